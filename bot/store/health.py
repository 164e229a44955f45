"""Source health in the store: the sources table rows ↔ SourceHealth values.

The rules (when a source turns unhealthy, how long to back off) live in
bot.fetch.health; this module only reads and writes them. Claims and health
writes come in batches too: a cycle over 1,000 sources is then a handful of
transactions instead of 2,000 commits.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, or_, select, update

from bot.config import SourceConfig
from bot.fetch import FetchResult
from bot.fetch.health import Report, SourceHealth, next_delay
from bot.fetch.health import update as update_health
from bot.store.schema import items, sources
from bot.store.store import CHUNK, SourceState, Store


def health_of(state: SourceState) -> SourceHealth:
    return SourceHealth(
        last_success=state.last_success,
        last_error=state.last_error,
        consecutive_failures=state.consecutive_failures,
        last_status=state.last_status,
        items_seen=state.items_seen,
        healthy=state.healthy,
    )


@dataclass(frozen=True)
class HealthUpdate:
    """One source's new row values, and the report that became due (if any)."""

    source: SourceConfig
    health: SourceHealth
    report: Report
    values: dict[str, Any]


def health_update(
    source: SourceConfig, state: SourceState, result: FetchResult, *, new_items: int, now: datetime
) -> HealthUpdate:
    health, report = update_health(health_of(state), result, now=now, new_items=new_items)
    if result.ok and not result.retry_after:
        # The scheduler times healthy polls (with its own jitter); this gate only stops a
        # second worker polling too soon, so it opens well before the next tick is due.
        delay = source.interval / 2
    else:
        delay = next_delay(source.interval, health, retry_after=result.retry_after)
    values = {
        "last_attempt": now,
        "last_success": health.last_success,
        "last_error": health.last_error,
        "last_status": health.last_status,
        "consecutive_failures": health.consecutive_failures,
        "items_seen": health.items_seen,
        "healthy": health.healthy,
        "next_poll_at": now + timedelta(seconds=delay),
    }
    if result.ok:  # validators only move forward on a good answer
        values |= {"etag": result.etag, "last_modified": result.last_modified}
    return HealthUpdate(source, health, report, values)


def record_result(
    store: Store,
    source: SourceConfig,
    state: SourceState,
    result: FetchResult,
    *,
    new_items: int,
    now: datetime,
) -> tuple[SourceHealth, Report]:
    """Store the outcome of one fetch, schedule the next, free the lease; say what changed."""
    change = health_update(source, state, result, new_items=new_items, now=now)
    store.record_fetch(source.id, values=change.values)
    return change.health, change.report


def record_updates(store: Store, changes: Sequence[HealthUpdate]) -> None:
    """Many record_result writes in one transaction (each also frees its lease)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for change in changes:  # one executemany per shape of row (failures keep their validators)
        row = change.values | {"lease_owner": None, "lease_until": None}
        groups.setdefault(tuple(sorted(row)), []).append(row | {"row_id": change.source.id})
    if not groups:
        return
    with store.engine.begin() as conn:
        for columns, rows in groups.items():
            stmt = (
                update(sources)
                .where(sources.c.id == bindparam("row_id"))
                .values({c: bindparam(c) for c in columns})
            )
            conn.execute(stmt, rows)


def claim_due_sources(
    store: Store, ids: Sequence[str], *, owner: str, now: datetime, lease: timedelta, force: bool = False
) -> dict[str, SourceState]:
    """Store.claim_source for many sources in one transaction, with the same rules."""
    claimed: dict[str, SourceState] = {}
    with store.engine.begin() as conn:
        for chunk in _chunks(ids):
            due = or_(sources.c.next_poll_at.is_(None), sources.c.next_poll_at <= now)
            free = or_(sources.c.lease_until.is_(None), sources.c.lease_until < now)
            cond = and_(sources.c.id.in_(chunk), free, *(() if force else (due,)))
            rows = (
                conn.execute(select(sources).where(cond).with_for_update(skip_locked=True)).mappings().all()
            )
            if not rows:
                continue
            got = [r["id"] for r in rows]
            conn.execute(
                update(sources)
                .where(sources.c.id.in_(got))
                .values(lease_owner=owner, lease_until=now + lease)
            )
            claimed |= {
                r["id"]: SourceState(**{k: r[k] for k in SourceState.__dataclass_fields__}) for r in rows
            }
    return claimed


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def is_stored(store: Store, source_id: str, guid: str) -> bool:
    """True when this source's item was stored before (no need to fetch its page again)."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(items.c.id).where(items.c.source_id == source_id, items.c.guid == guid).limit(1)
        ).first()
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
        rows.append(
            HealthRow(
                source.id,
                source.label,
                source.kind,
                source.enabled,
                health_of(state),
                state.last_attempt,
                state.next_poll_at,
            )
        )
    return rows
