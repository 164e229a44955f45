"""Source health in the store: the sources table rows ↔ SourceHealth values.

The rules (when a source turns unhealthy, how long to back off) live in
bot.sources.health; this module only reads and writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.config import SourceConfig
from bot.sources import FetchResult
from bot.sources.health import Report, SourceHealth, next_delay, update
from bot.store.schema import items
from bot.store.store import SourceState, Store


def health_of(state: SourceState) -> SourceHealth:
    return SourceHealth(
        last_success=state.last_success, last_error=state.last_error,
        consecutive_failures=state.consecutive_failures, last_status=state.last_status,
        items_seen=state.items_seen, healthy=state.healthy,
    )


def record_result(store: Store, source: SourceConfig, state: SourceState, result: FetchResult,
                  *, new_items: int, now: datetime) -> tuple[SourceHealth, Report]:
    """Store the outcome of one fetch, schedule the next, free the lease; say what changed."""
    health, report = update(health_of(state), result, now=now, new_items=new_items)
    if result.ok and not result.retry_after:
        # The scheduler times healthy polls (with its own jitter); this gate only stops a
        # second worker polling too soon, so it opens well before the next tick is due.
        delay = source.interval / 2
    else:
        delay = next_delay(source.interval, health, retry_after=result.retry_after)
    values = {
        "last_attempt": now, "last_success": health.last_success,
        "last_error": health.last_error, "last_status": health.last_status,
        "consecutive_failures": health.consecutive_failures,
        "items_seen": health.items_seen, "healthy": health.healthy,
        "next_poll_at": now + timedelta(seconds=delay),
    }
    if result.ok:  # validators only move forward on a good answer
        values |= {"etag": result.etag, "last_modified": result.last_modified}
    store.record_fetch(source.id, values=values)
    return health, report


def is_stored(store: Store, source_id: str, guid: str) -> bool:
    """True when this source's item was stored before (no need to fetch its page again)."""
    with store.engine.connect() as conn:
        row = conn.execute(select(items.c.id).where(
            items.c.source_id == source_id, items.c.guid == guid).limit(1)).first()
    return row is not None


@dataclass(frozen=True)
class HealthRow:
    """One line of `python -m bot sources`."""

    id: str
    label: str
    kind: str
    enabled: bool
    health: SourceHealth
    last_attempt: datetime | None
    next_poll_at: datetime | None


def health_rows(store: Store, configured: tuple[SourceConfig, ...]) -> list[HealthRow]:
    """Configured sources with their stored health (never-polled ones look fresh)."""
    states = {s.id: s for s in store.source_states()}
    rows = []
    for source in configured:
        state = states.get(source.id) or SourceState(id=source.id)
        rows.append(HealthRow(source.id, source.label, source.kind, source.enabled,
                              health_of(state), state.last_attempt, state.next_poll_at))
    return rows
