"""Time: the clock every stage reads, and the fire times of cron schedules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

# How far back to look for a trigger's latest fire time: short first (frequent crons
# iterate few fire times), then long enough for monthly and yearly schedules.
LOOKBACKS = (
    timedelta(hours=1),
    timedelta(days=1),
    timedelta(days=8),
    timedelta(days=32),
    timedelta(days=367),
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Trigger(Protocol):
    """What APScheduler's triggers offer (CronTrigger, IntervalTrigger)."""

    def get_next_fire_time(self, previous: datetime | None, now: datetime) -> datetime | None: ...


def latest_fire(trigger: Trigger, now: datetime) -> datetime | None:
    """The trigger's most recent fire time at or before `now` (what this run is for)."""
    for back in LOOKBACKS:
        fire = trigger.get_next_fire_time(None, now - back)
        if fire is None or fire > now:
            continue
        latest = fire
        while (
            fire := trigger.get_next_fire_time(latest, latest + timedelta(seconds=1))
        ) is not None and fire <= now:
            latest = fire
        return latest.astimezone(UTC)
    return None


def previous_fire(trigger: Trigger, before: datetime) -> datetime | None:
    """The fire time just before `before` (the start of a period that ends at `before`)."""
    return latest_fire(trigger, before - timedelta(seconds=1))


def slot_key(when: datetime) -> str:
    """A stable text key for a scheduled time: ISO UTC to the second."""
    return when.astimezone(UTC).replace(microsecond=0).isoformat()
