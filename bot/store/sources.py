"""Configured sources: health, validators, poll schedule and leases."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, insert, or_, select, update

from bot.store.base import StoreBase, chunks
from bot.store.convert import source_state
from bot.store.schema import sources
from bot.store.values import SourceState


class Sources(StoreBase):
    def ensure_sources(self, ids: Iterable[str]) -> None:
        wanted = set(ids)
        with self._tx() as conn:
            have = set(conn.execute(select(sources.c.id)).scalars())
            missing = [{"id": i} for i in sorted(wanted - have)]
            if missing:
                conn.execute(insert(sources), missing)

    def claim_source(
        self, source_id: str, *, owner: str, now: datetime, lease: timedelta, force: bool = False
    ) -> SourceState | None:
        """Lease a source that is due (or any, with force). None when not due or leased elsewhere."""
        with self._tx() as conn:
            due = or_(sources.c.next_poll_at.is_(None), sources.c.next_poll_at <= now)
            free = or_(sources.c.lease_until.is_(None), sources.c.lease_until < now)
            cond = and_(sources.c.id == source_id, free, *(() if force else (due,)))
            row = (
                conn.execute(select(sources).where(cond).with_for_update(skip_locked=True)).mappings().first()
            )
            if row is None:
                return None
            conn.execute(
                update(sources)
                .where(sources.c.id == source_id)
                .values(lease_owner=owner, lease_until=now + lease)
            )
            return source_state(row)

    def record_fetch(self, source_id: str, *, values: dict[str, Any]) -> None:
        """Store the outcome of one fetch (health fields, validators, next poll) and free the lease."""
        allowed = set(sources.c.keys()) - {"id", "lease_owner", "lease_until"}
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"not source columns: {sorted(unknown)}")
        with self._tx() as conn:
            conn.execute(
                update(sources)
                .where(sources.c.id == source_id)
                .values(**values, lease_owner=None, lease_until=None)
            )

    def source_states(self) -> list[SourceState]:
        with self._tx() as conn:
            rows = conn.execute(select(sources).order_by(sources.c.id)).mappings().all()
        return [source_state(r) for r in rows]

    def record_health(self, values: dict[str, dict[str, Any]]) -> None:
        """record_fetch for many sources (source id → column values) in one transaction, each
        also freeing its lease."""
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for source_id, row_values in values.items():
            # One executemany per shape of row (failures keep their validators).
            row = row_values | {"lease_owner": None, "lease_until": None}
            groups.setdefault(tuple(sorted(row)), []).append(row | {"row_id": source_id})
        if not groups:
            return
        with self._tx() as conn:
            for columns, rows in groups.items():
                stmt = (
                    update(sources)
                    .where(sources.c.id == bindparam("row_id"))
                    .values({c: bindparam(c) for c in columns})
                )
                conn.execute(stmt, rows)

    def claim_due_sources(
        self, ids: Sequence[str], *, owner: str, now: datetime, lease: timedelta, force: bool = False
    ) -> dict[str, SourceState]:
        """claim_source for many sources in one transaction, with the same rules."""
        claimed: dict[str, SourceState] = {}
        with self._tx() as conn:
            for chunk in chunks(ids):
                due = or_(sources.c.next_poll_at.is_(None), sources.c.next_poll_at <= now)
                free = or_(sources.c.lease_until.is_(None), sources.c.lease_until < now)
                cond = and_(sources.c.id.in_(chunk), free, *(() if force else (due,)))
                rows = (
                    conn.execute(select(sources).where(cond).with_for_update(skip_locked=True))
                    .mappings()
                    .all()
                )
                if not rows:
                    continue
                got = [r["id"] for r in rows]
                conn.execute(
                    update(sources)
                    .where(sources.c.id.in_(got))
                    .values(lease_owner=owner, lease_until=now + lease)
                )
                claimed |= {r["id"]: source_state(r) for r in rows}
        return claimed
