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
from datetime import datetime

from bot.clock import Trigger, latest_fire, slot_key
from bot.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobOutcome:
    ran: bool  # False: another replica (or an earlier run) already had this slot
    ok: bool = True
    detail: dict | None = None
    error: str | None = None


def run_once(
    store: Store,
    job: str,
    slot: str,
    fn: Callable[[], dict | None],
    *,
    owner: str,
    now: Callable[[], datetime],
) -> JobOutcome:
    """Claim (job, slot) and run `fn` when the claim is ours; record how it ended."""
    if not store.claim_job(job, slot, owner=owner, now=now()):
        log.info("%s for %s: already claimed by another run, skipped", job, slot)
        return JobOutcome(ran=False)
    try:
        detail = fn()
    except Exception as e:
        log.exception("%s for %s failed", job, slot)
        error = f"{type(e).__name__}: {e}"
        store.finish_job(job, slot, status="failed", now=now(), detail={"error": error[:500]})
        return JobOutcome(ran=True, ok=False, error=error)
    store.finish_job(job, slot, status="done", now=now(), detail=detail)
    return JobOutcome(ran=True, detail=detail)


def run_for_trigger(
    store: Store,
    job: str,
    trigger: Trigger,
    fn: Callable[[datetime], dict | None],
    *,
    owner: str,
    now: Callable[[], datetime],
) -> JobOutcome:
    """Run `fn(slot_time)` once for the trigger's latest fire time, across replicas."""
    fired = latest_fire(trigger, now())
    if fired is None:
        return JobOutcome(ran=False)
    return run_once(store, job, slot_key(fired), lambda: fn(fired), owner=owner, now=now)
