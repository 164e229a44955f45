"""APScheduler jobs. The scheduler only schedules: each job calls one plain function."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot import pipeline
from bot.config import Digest
from bot.deliver.outbox import Delivery
from bot.digest.schedule import job_name, schedules, trigger_for
from bot.ops import metrics, retention
from bot.ops.digests import run_scheduled
from bot.services import Services

log = logging.getLogger(__name__)

DELIVERY_ROUNDS = 3  # delivery rounds that may run at once in one process


def build(services: Services, delivery: Delivery) -> BackgroundScheduler:
    sched = BackgroundScheduler(
        timezone=UTC,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 120},
    )
    now = datetime.now(UTC)
    add_poll_jobs(sched, services)
    every = services.settings.lookout_delivery_every
    # Several rounds may overlap: one stuck on a slow Slack call must not hold up the queue.
    # Each claims its own rows; per-channel pacing is shared, so Slack sees ~1/s per channel.
    sched.add_job(
        _deliver,
        IntervalTrigger(seconds=every),
        args=[delivery],
        max_instances=DELIVERY_ROUNDS,
        id="deliver",
        name="deliver outbox",
        next_run_time=now,
    )
    add_digest_and_prune_jobs(sched, services)
    return sched


SOURCE_SYNC_EVERY = 60  # seconds: sources added, paused or removed in Slack reach workers this fast


def add_poll_jobs(sched: BackgroundScheduler, services: Services) -> None:
    """One poll job per enabled source, kept in step with the changes made in Slack."""
    current: dict[str, int] = {}
    sync = lambda: _sync_polls(sched, services, current)  # noqa: E731
    sync()
    sched.add_job(
        sync, IntervalTrigger(seconds=SOURCE_SYNC_EVERY), id="source-sync", name="pick up source changes"
    )


def _sync_polls(sched: BackgroundScheduler, services: Services, current: dict[str, int]) -> None:
    """Add, re-time or remove poll jobs to match the live sources (id → interval)."""
    wanted = {s.id: s.interval for s in services.sources() if s.enabled}
    for source_id in set(current) - set(wanted):
        sched.remove_job(f"poll:{source_id}")
        del current[source_id]
        log.info("source %s no longer polled", source_id)
    for source_id, interval in wanted.items():
        if current.get(source_id) == interval:
            continue
        sched.add_job(
            _poll_one,
            IntervalTrigger(seconds=interval, jitter=max(1, min(60, interval // 10))),
            args=[services, source_id],
            id=f"poll:{source_id}",
            name=f"poll {source_id}",
            next_run_time=datetime.now(UTC),
            replace_existing=True,
        )
        current[source_id] = interval


def _poll_one(services: Services, source_id: str) -> None:
    # The source may be backing off after errors (next_poll_at): poll() skips it then.
    source = services.source(source_id)
    if source is None:
        return
    started = time.monotonic()
    report = pipeline.poll(services, [source])
    metrics.record_poll(source_id, time.monotonic() - started, report)
    if report.polled:
        log.info(
            "polled %s: %d new, %d alerts queued%s",
            source_id,
            report.new_items,
            report.alerts,
            f", error: {report.errors[source_id]}" if source_id in report.errors else "",
        )


def _deliver(delivery: Delivery) -> None:
    report = delivery.run_once()
    metrics.record_delivery(report)
    if report.sent or report.failed or report.retried or report.recovered:
        log.info(
            "delivery: %d sent, %d recovered, %d retried, %d failed",
            report.sent,
            report.recovered,
            report.retried,
            report.failed,
        )


# ---- digests and pruning: cron jobs that run once across replicas (bot.ops.jobs) ----------------

DIGEST_SYNC_EVERY = 60  # seconds: schedules set from Slack reach every worker this fast
DIGEST_GRACE = 3600  # a worker busy or restarting at 07:00 still sends the 07:00 digest


def add_digest_and_prune_jobs(sched: BackgroundScheduler, services: Services) -> None:
    from bot.deliver.digest_post import build_sender

    sender = build_sender(services.settings)
    current: dict[str, tuple[str, str]] = {}
    sync = lambda: _sync_digests(sched, services, sender, current)  # noqa: E731
    sync()
    sched.add_job(
        sync,
        IntervalTrigger(seconds=DIGEST_SYNC_EVERY),
        id="digest-sync",
        name="pick up digest schedule changes",
    )
    sched.add_job(
        _prune,
        retention.TRIGGER,
        args=[services],
        id="prune",
        name="prune old items",
        misfire_grace_time=DIGEST_GRACE,
    )


def _sync_digests(
    sched: BackgroundScheduler, services: Services, sender, current: dict[str, tuple[str, str]]
) -> None:
    """Add, move or remove each team's digest job to match its effective schedule."""
    wanted = {team: (d.cron, d.timezone) for team, d in schedules(services).items()}
    for team in set(current) - set(wanted):
        sched.remove_job(job_name(team))
        del current[team]
    for team, (cron, tz) in wanted.items():
        if current.get(team) == (cron, tz):
            continue
        trigger = trigger_for(Digest(cron=cron, timezone=tz))
        sched.add_job(
            _digest,
            trigger,
            args=[services, sender, team],
            id=job_name(team),
            name=f"digest {team}",
            replace_existing=True,
            misfire_grace_time=DIGEST_GRACE,
        )
        current[team] = (cron, tz)
        log.info("digest for %s scheduled: %s (%s)", team, cron, tz)


def _digest(services: Services, sender, team: str) -> None:
    outcome = run_scheduled(services, sender, team)
    if outcome.ran:
        metrics.record_job("digest", outcome.ok, outcome.detail)
        log.info("digest for %s: %s", team, outcome.detail or outcome.error)


def _prune(services: Services) -> None:
    outcome = retention.run_scheduled(services)
    if outcome.ran:
        metrics.record_job("prune", outcome.ok)
