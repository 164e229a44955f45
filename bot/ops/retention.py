"""Retention: old items, stories and their alerts are deleted after a configurable age.

Stories still open, or whose Slack thread saw an alert inside the retention age, are kept
with everything they reference (see `Store.prune`). The daily job runs once across
replicas through `bot.ops.jobs`.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from bot.clock import utcnow
from bot.ops import jobs
from bot.services import Services

log = logging.getLogger(__name__)

JOB = "prune"
# Once a day, at a quiet hour for most news desks; the job only deletes, so timing is loose.
TRIGGER = CronTrigger(hour=3, minute=17, timezone="UTC")


def cutoff(services: Services, now: datetime, older_than: timedelta | None = None) -> datetime:
    age = older_than or timedelta(days=services.settings.lookout_retention_days)
    return now - age


def prune(
    services: Services,
    *,
    now: datetime | None = None,
    older_than: timedelta | None = None,
    dry_run: bool = False,
) -> dict:
    """Delete what is older than the retention age; returns the counts (would-be, on dry run)."""
    now = now or utcnow()
    before = cutoff(services, now, older_than)
    removed = services.store.prune(before, dry_run=dry_run)
    log.info("prune before %s%s: %s", before.isoformat(), " (dry run)" if dry_run else "", removed)
    return {"before": before.isoformat(), "removed": removed, "dry_run": dry_run}


def run_scheduled(services: Services) -> jobs.JobOutcome:
    return jobs.run_for_trigger(
        services.store, JOB, TRIGGER, lambda _fired: prune(services), owner=services.owner, now=utcnow
    )
