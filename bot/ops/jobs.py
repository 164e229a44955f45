"""Run a scheduled job once per slot across replicas.

Every replica's scheduler fires the same cron job at the same time. Each one computes the
slot (the scheduled fire time the run belongs to) and tries to record (job, slot) in the
`job_runs` table; the unique key lets exactly one insert succeed, and only that replica
runs the job. A run that crashes stays "running" and is not retried for that slot: a
digest or a prune run twice is worse than one run late (the next slot catches up).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.base import BaseTrigger

from bot.store import Store

log = logging.getLogger(__name__)

# How far back to look for a trigger's latest fire time: short first (frequent crons
# iterate few fire times), then long enough for monthly and yearly schedules.
LOOKBACKS = (timedelta(hours=1), timedelta(days=1), timedelta(days=8), timedelta(days=32),
             timedelta(days=367))


@dataclass(frozen=True)
class Outcome:
    ran: bool  # False: another replica (or an earlier run) already had this slot
    ok: bool = True
    detail: dict | None = None
    error: str | None = None


def latest_fire(trigger: BaseTrigger, now: datetime) -> datetime | None:
    """The trigger's most recent fire time at or before `now` (what this run is for)."""
    for back in LOOKBACKS:
        fire = trigger.get_next_fire_time(None, now - back)
        if fire is None or fire > now:
            continue
        latest = fire
        while (fire := trigger.get_next_fire_time(latest, latest + timedelta(seconds=1))) is not None \
                and fire <= now:
            latest = fire
        return latest.astimezone(UTC)
    return None


def previous_fire(trigger: BaseTrigger, before: datetime) -> datetime | None:
    """The fire time just before `before` (the start of a period that ends at `before`)."""
    return latest_fire(trigger, before - timedelta(seconds=1))


def slot_key(when: datetime) -> str:
    """A stable text key for a scheduled time: ISO UTC to the second."""
    return when.astimezone(UTC).replace(microsecond=0).isoformat()


def run_once(store: Store, job: str, slot: str, fn: Callable[[], dict | None], *,
             owner: str, now: Callable[[], datetime]) -> Outcome:
    """Claim (job, slot) and run `fn` when the claim is ours; record how it ended."""
    if not store.claim_job(job, slot, owner=owner, now=now()):
        log.info("%s for %s: already claimed by another run, skipped", job, slot)
        return Outcome(ran=False)
    try:
        detail = fn()
    except Exception as e:
        log.exception("%s for %s failed", job, slot)
        error = f"{type(e).__name__}: {e}"
        store.finish_job(job, slot, status="failed", now=now(), detail={"error": error[:500]})
        return Outcome(ran=True, ok=False, error=error)
    store.finish_job(job, slot, status="done", now=now(), detail=detail)
    return Outcome(ran=True, detail=detail)


def run_for_trigger(store: Store, job: str, trigger: BaseTrigger, fn: Callable[[datetime], dict | None],
                    *, owner: str, now: Callable[[], datetime]) -> Outcome:
    """Run `fn(slot_time)` once for the trigger's latest fire time, across replicas."""
    fired = latest_fire(trigger, now())
    if fired is None:
        return Outcome(ran=False)
    return run_once(store, job, slot_key(fired), lambda: fn(fired), owner=owner, now=now)
