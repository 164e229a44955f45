"""Fetched items: stored first, claimed, deduplicated, read back with their mentions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, insert, or_, select, tuple_, update

from bot.models import Item, Mentions
from bot.store.base import CHUNK, StoreBase
from bot.store.convert import item_row, mentions_from_json, stored_item
from bot.store.schema import items
from bot.store.values import ProcessedItem, StoredItem


class Items(StoreBase):
    def add_items(
        self,
        new: Sequence[Item],
        *,
        now: datetime,
        keys: Sequence[tuple[str | None, str | None]] | None = None,
    ) -> list[int]:
        """Insert items not seen before (by source + guid); return the ids of the new ones.

        `keys` gives each item's (canonical_url, content_key) for cross-source dedup.
        """
        return self.add_feeds([new], now=now, keys=None if keys is None else [keys])[0]

    def add_feeds(
        self,
        feeds: Sequence[Sequence[Item]],
        *,
        now: datetime,
        keys: Sequence[Sequence[tuple[str | None, str | None]]] | None = None,
    ) -> list[list[int]]:
        """add_items for several feeds at once: each feed's new ids, in its own order.

        One transaction: one look-up of what is already stored, one multi-row INSERT; the new
        rows get their ids in the order given (a feed's first item, the lowest id).
        """
        keys = keys or [[(None, None)] * len(f) for f in feeds]
        fresh: dict[tuple[str, str], dict] = {}
        wanted: list[list[tuple[str, str]]] = []
        for feed, feed_keys in zip(feeds, keys, strict=True):
            wanted.append([])
            for item, (canonical, content) in zip(feed, feed_keys, strict=True):
                key = (item.source_id, item.guid)
                if key in fresh:
                    continue  # a feed that repeats a guid gives one item: the first
                fresh[key] = item_row(item) | {
                    "fetched_at": now,
                    "canonical_url": canonical,
                    "content_key": content,
                }
                wanted[-1].append(key)
        with self._tx() as conn:
            pairs = list(fresh)
            for start in range(0, len(pairs), CHUNK):
                for stored in conn.execute(
                    select(items.c.source_id, items.c.guid).where(
                        tuple_(items.c.source_id, items.c.guid).in_(pairs[start : start + CHUNK])
                    )
                ):
                    del fresh[tuple(stored)]
            # RETURNING in one statement (insertmanyvalues) comes back in no promised order:
            # rows are matched to items by their unique (source, guid).
            inserted = (
                {
                    (r.source_id, r.guid): r.id
                    for r in conn.execute(
                        insert(items).returning(items.c.id, items.c.source_id, items.c.guid),
                        list(fresh.values()),
                    )
                }
                if fresh
                else {}
            )
        return [[inserted[k] for k in feed if k in inserted] for feed in wanted]

    def claim_items(
        self, *, owner: str, now: datetime, lease: timedelta, limit: int = 200
    ) -> list[StoredItem]:
        """Lease stored items that are not processed yet (replicas get disjoint sets)."""
        free = or_(items.c.lease_until.is_(None), items.c.lease_until < now)
        with self._tx() as conn:
            rows = (
                conn.execute(
                    select(items)
                    .where(items.c.processed_at.is_(None), free)
                    .order_by(items.c.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
                .mappings()
                .all()
            )
            if rows:
                conn.execute(
                    update(items)
                    .where(items.c.id.in_([r["id"] for r in rows]))
                    .values(lease_owner=owner, lease_until=now + lease)
                )
        return [stored_item(r) for r in rows]

    def release_items(self, ids: Sequence[int], *, owner: str) -> None:
        """Hand back claimed items we will not process (shutting down)."""
        if ids:
            with self._tx() as conn:
                conn.execute(
                    update(items)
                    .where(
                        items.c.id.in_(list(ids)),
                        items.c.lease_owner == owner,
                        items.c.processed_at.is_(None),
                    )
                    .values(lease_owner=None, lease_until=None)
                )

    def processed_ids_since(self, since: datetime, *, not_by: str | None = None) -> list[int]:
        """Ids of items put into stories at or after `since`, in id order (to sync a clusterer);
        with `not_by`, leaving out those that owner processed (it holds them already)."""
        cond = [items.c.processed_at >= since, items.c.story_id.is_not(None), items.c.duplicate_of.is_(None)]
        if not_by is not None:
            cond.append(or_(items.c.lease_owner.is_(None), items.c.lease_owner != not_by))
        # Sorted here: with ORDER BY id, SQLite walks the whole table in id order instead of
        # the few index entries since `since` (ix_items_in_stories).
        with self._tx() as conn:
            return sorted(conn.execute(select(items.c.id).where(*cond)).scalars())

    def items_with_mentions(self, ids: Sequence[int]) -> list[tuple[StoredItem, Mentions]]:
        """These items with their mentions, in id order (unknown ids are left out)."""
        ids = sorted(set(ids))
        found = []
        with self._tx() as conn:
            for start in range(0, len(ids), CHUNK):
                rows = (
                    conn.execute(
                        select(items).where(items.c.id.in_(ids[start : start + CHUNK])).order_by(items.c.id)
                    )
                    .mappings()
                    .all()
                )
                found += [(stored_item(r), mentions_from_json(r["mentions"])) for r in rows]
        return found

    def duplicates(self, ids: Sequence[int]) -> dict[int, int]:
        """Which of these items repeat an earlier one (same canonical URL or same text): item
        id → the lowest such id. Earlier items in `ids` count too, processed or not."""
        found: dict[int, int] = {}
        later, earlier = items.alias("later"), items.alias("earlier")
        ids = list(ids)
        with self._tx() as conn:
            for column in ("canonical_url", "content_key"):
                for start in range(0, len(ids), CHUNK):
                    rows = conn.execute(
                        select(later.c.id, func.min(earlier.c.id))
                        .join(earlier, and_(earlier.c[column] == later.c[column], earlier.c.id < later.c.id))
                        .where(later.c.id.in_(ids[start : start + CHUNK]))
                        .group_by(later.c.id)
                    )
                    for item_id, original in rows:
                        found[item_id] = min(original, found.get(item_id, original))
        return found

    def item(self, item_id: int) -> StoredItem | None:
        with self._tx() as conn:
            row = conn.execute(select(items).where(items.c.id == item_id)).mappings().first()
        return stored_item(row) if row else None

    def story_items(self, story_id: str) -> list[StoredItem]:
        with self._tx() as conn:
            rows = (
                conn.execute(
                    select(items)
                    .where(items.c.story_id == story_id, items.c.duplicate_of.is_(None))
                    .order_by(items.c.id)
                )
                .mappings()
                .all()
            )
        return [stored_item(r) for r in rows]

    def recent_items(self, since: datetime) -> list[tuple[StoredItem, Mentions]]:
        """Items in stories published (or fetched) since `since`, oldest first, with mentions."""
        when = func.coalesce(items.c.published, items.c.fetched_at)
        with self._tx() as conn:
            rows = (
                conn.execute(
                    select(items)
                    .where(items.c.story_id.is_not(None), when >= since, items.c.duplicate_of.is_(None))
                    .order_by(when, items.c.id)
                )
                .mappings()
                .all()
            )
        return [(stored_item(r), mentions_from_json(r["mentions"])) for r in rows]

    def mark_duplicates(self, originals: dict[int, int], *, now: datetime) -> int:
        """Mark items (id → original id) processed as duplicates, in one transaction; items
        another worker has processed meanwhile are left as they are. Returns how many."""
        ids = sorted(originals)
        marked = 0
        with self._tx() as conn:
            for start in range(0, len(ids), CHUNK):
                chunk = {i: originals[i] for i in ids[start : start + CHUNK]}
                marked += conn.execute(
                    update(items)
                    .where(items.c.id.in_(list(chunk)), items.c.processed_at.is_(None))
                    .values(duplicate_of=case(chunk, value=items.c.id), processed_at=now, lease_until=None)
                ).rowcount
        return marked

    def processed_between(self, since: datetime, until: datetime) -> list[ProcessedItem]:
        """Items put into stories in [since, until), oldest first, with mentions and time."""
        with self._tx() as conn:
            rows = (
                conn.execute(
                    select(items)
                    .where(
                        items.c.processed_at >= since,
                        items.c.processed_at < until,
                        items.c.story_id.is_not(None),
                        items.c.duplicate_of.is_(None),
                    )
                    .order_by(items.c.processed_at, items.c.id)
                )
                .mappings()
                .all()
            )
        return [
            ProcessedItem(stored_item(r), mentions_from_json(r["mentions"]), r["processed_at"]) for r in rows
        ]

    def story_reports(self, story_id: str) -> list[tuple[StoredItem, Mentions]]:
        """A story's articles (duplicates aside), first first, each with its mentions."""
        with self._tx() as conn:
            rows = (
                conn.execute(
                    select(items)
                    .where(items.c.story_id == story_id, items.c.duplicate_of.is_(None))
                    .order_by(func.coalesce(items.c.published, items.c.fetched_at), items.c.id)
                )
                .mappings()
                .all()
            )
        return [(stored_item(r), mentions_from_json(r["mentions"])) for r in rows]

    def event_failures_since(self, since: datetime) -> tuple[int, str | None]:
        """Items processed since `since` on which the event stage failed, and the latest error."""
        failed = and_(items.c.processed_at >= since, items.c.event_error.is_not(None))
        with self._tx() as conn:
            count = conn.execute(select(func.count()).where(failed)).scalar() or 0
            latest = (
                conn.execute(
                    select(items.c.event_error).where(failed).order_by(items.c.processed_at.desc()).limit(1)
                ).scalar()
                if count
                else None
            )
        return count, latest

    def is_stored(self, source_id: str, guid: str) -> bool:
        """True when this source's item was stored before (no need to fetch its page again)."""
        with self._tx() as conn:
            row = conn.execute(
                select(items.c.id).where(items.c.source_id == source_id, items.c.guid == guid).limit(1)
            ).first()
        return row is not None
