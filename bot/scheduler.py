"""APScheduler jobs. The scheduler only schedules: each job calls one plain function."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot import pipeline
from bot.pipeline import Services
from bot.slack.deliver import Delivery

log = logging.getLogger(__name__)

DELIVERY_ROUNDS = 3  # delivery rounds that may run at once in one process

def build(services: Services, delivery: Delivery) -> BackgroundScheduler:
    sched = BackgroundScheduler(
        timezone=UTC,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 120},
    )
    now = datetime.now(UTC)
    for source in services.config.sources:
        if not source.enabled:
            continue
        sched.add_job(
            _poll_one, IntervalTrigger(seconds=source.interval,
                                       jitter=max(1, min(60, source.interval // 10))),
            args=[services, source.id], id=f"poll:{source.id}", name=f"poll {source.id}",
            next_run_time=now,
        )
    every = services.settings.lookout_delivery_every
    # Several rounds may overlap: one stuck on a slow Slack call must not hold up the queue.
    # Each claims its own rows; per-channel pacing is shared, so Slack sees ~1/s per channel.
    sched.add_job(_deliver, IntervalTrigger(seconds=every), args=[delivery],
                  max_instances=DELIVERY_ROUNDS,
                  id="deliver", name="deliver outbox", next_run_time=now)
    return sched


def _poll_one(services: Services, source_id: str) -> None:
    # The source may be backing off after errors (next_poll_at): poll() skips it then.
    source = services.source(source_id)
    if source is None:
        return
    report = pipeline.poll(services, [source])
    if report.polled:
        log.info("polled %s: %d new, %d alerts queued%s", source_id, report.new_items,
                 report.alerts, f", error: {report.errors[source_id]}"
                 if source_id in report.errors else "")


def _deliver(delivery: Delivery) -> None:
    report = delivery.run_once()
    if report.sent or report.failed or report.retried or report.recovered:
        log.info("delivery: %d sent, %d recovered, %d retried, %d failed", report.sent,
                 report.recovered, report.retried, report.failed)
