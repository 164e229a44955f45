"""The one store surface. Methods are named as questions or verbs; only this talks SQL."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    bindparam,
    case,
    func,
    insert,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from bot.models import Item
from bot.store.db import SingleProcessLock, make_engine, migrate
from bot.store.schema import (
    alerts,
    digest_settings,
    feedback,
    items,
    job_runs,
    mutes,
    sources,
    stories,
)
from bot.store.teams import TeamRecords

CHUNK = 500  # ids per IN (...) clause: well under every database's parameter limit

# The statements every processed item runs, built once: building a Core statement took
# longer than SQLite took to run it (twice as long for the story read).
_STORIES = select(stories).where(stories.c.id.in_(bindparam("ids", expanding=True)))
_STORY = select(stories).where(stories.c.id == bindparam("story"))
_FOLLOWERS = select(alerts.c.story_id, alerts.c.team).where(
    alerts.c.story_id.in_(bindparam("ids", expanding=True)), alerts.c.kind == "parent"
)
_MARK_PROCESSED = update(items).where(items.c.id == bindparam("item"), items.c.processed_at.is_(None))
_UPDATE_STORY = update(stories).where(stories.c.id == bindparam("story"))
_INSERT_STORY = insert(stories)
# A row that already exists (a race, a replay) is skipped, not fatal, and returns no id.
_INSERT_ALERT = {
    dialect.dialect.name: dialect.insert(alerts).on_conflict_do_nothing().returning(alerts.c.id)
    for dialect in (sqlite, postgresql)
}


@dataclass(frozen=True)
class StoredItem:
    id: int
    item: Item
    story_id: str | None = None


@dataclass(frozen=True)
class StoryRecord:
    id: str
    title: str
    first_item_id: int
    opened_at: datetime
    last_item_at: datetime
    summary: dict | None = None
    mentions: dict | None = None


@dataclass(frozen=True)
class NewAlert:
    team: str
    channel: str
    kind: str  # parent | reply
    reasons: tuple[str, ...] = ()
    broadcast: bool = False
    details: dict | None = None  # reply extras: {"new_facts": [...], "broadcast_reason": str}


@dataclass(frozen=True)
class ItemOutcome:
    """What processing one item decided, written by record_batch."""

    item_id: int
    mentions: dict
    story: StoryRecord
    alerts: tuple[NewAlert, ...] = ()


@dataclass(frozen=True)
class Mute:
    team: str
    kind: str  # story | group | region | keyword
    value: str
    until: datetime | None = None
    created_by: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Feedback:
    team: str
    story_id: str
    kind: str  # not_relevant
    user_id: str
    reasons: tuple[str, ...] = ()  # why the team's card fired
    created_at: datetime | None = None


@dataclass(frozen=True)
class OutboxAlert:
    id: int
    team: str
    channel: str
    story_id: str
    item_id: int
    kind: str
    reasons: tuple[str, ...]
    broadcast: bool
    attempts: int
    thread_ts: str | None  # the team's parent message ts, for replies
    details: dict | None = None
    status: str = "pending"
    slack_ts: str | None = None
    error: str | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class SourceState:
    id: str
    etag: str | None = None
    last_modified: str | None = None
    next_poll_at: datetime | None = None
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    last_status: int | None = None
    consecutive_failures: int = 0
    items_seen: int = 0
    healthy: bool = True


@dataclass(frozen=True)
class JobRun:
    job: str
    slot: str
    owner: str
    started_at: datetime
    finished_at: datetime | None
    status: str  # running | done | failed
    detail: dict | None


@dataclass(frozen=True)
class ProcessedItem:
    stored: StoredItem
    mentions: dict  # the `match` output contract
    processed_at: datetime


@dataclass(frozen=True)
class Activity:
    fetched: int
    processed: int
    queued: int
    sent: int


@dataclass(frozen=True)
class QueueStatus:
    pending: int
    failed: int
    sent: int
    oldest_pending: datetime | None
    leases: list[tuple[str, int]] = field(default_factory=list)  # (owner, rows leased)


class Store(TeamRecords):
    def __init__(self, engine: Engine):
        self.engine = engine
        self._lock: SingleProcessLock | None = None

    @classmethod
    def open(cls, url: str) -> Store:
        store = cls(make_engine(url))
        migrate(store.engine)
        return store

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def hold_single_process_lock(self) -> None:
        """On SQLite, refuse a second worker on the same file (PostgreSQL needs no lock)."""
        database = make_url(str(self.engine.url)).database
        if self.is_sqlite and database and database != ":memory:":
            self._lock = SingleProcessLock(Path(database))
            self._lock.acquire()

    def close(self) -> None:
        if self._lock:
            self._lock.release()
        self.engine.dispose()

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    # ---- sources -------------------------------------------------------------------------

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
            return _source_state(row)

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
        return [_source_state(r) for r in rows]

    # ---- items ---------------------------------------------------------------------------

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
                fresh[key] = _item_row(item) | {
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
        return [_stored_item(r) for r in rows]

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

    def items_with_mentions(self, ids: Sequence[int]) -> list[tuple[StoredItem, dict | None]]:
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
                found += [(_stored_item(r), r["mentions"]) for r in rows]
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
        return _stored_item(row) if row else None

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
        return [_stored_item(r) for r in rows]

    def recent_items(self, since: datetime) -> list[tuple[StoredItem, dict | None]]:
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
        return [(_stored_item(r), r["mentions"]) for r in rows]

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

    def record_batch(self, outcomes: Sequence[ItemOutcome], *, now: datetime) -> dict[int, list[int]]:
        """Items marked processed with their story and outbox rows, all in one transaction:
        a crash leaves all or nothing.

        Returns the new alert ids of each item written; an item another worker processed
        first is left out, and nothing is written for it. Outcomes of one story come in
        order, each story record including the earlier ones (as the pipeline decides them),
        so each story is written once, as its last written item left it.
        """
        written, latest = {}, {}
        with self._tx() as conn:
            for o in outcomes:
                done = conn.execute(
                    _MARK_PROCESSED,
                    {
                        "item": o.item_id,
                        "processed_at": now,
                        "story_id": o.story.id,
                        "mentions": o.mentions,
                        "lease_until": None,
                    },
                )
                if done.rowcount:
                    latest[o.story.id] = o.story  # a later item's record includes earlier ones'
                    ids = (self._queue_alert(conn, a, o.story.id, o.item_id, now) for a in o.alerts)
                    written[o.item_id] = [i for i in ids if i is not None]
            for story in latest.values():
                self._upsert_story(conn, story)
        return written

    def record_processed(
        self,
        item_id: int,
        *,
        now: datetime,
        mentions: dict,
        story: StoryRecord,
        new_alerts: Sequence[NewAlert],
    ) -> list[int]:
        """record_batch for one item: its new alert ids."""
        outcome = ItemOutcome(item_id, mentions, story, tuple(new_alerts))
        return self.record_batch([outcome], now=now).get(item_id, [])

    def _upsert_story(self, conn: Connection, s: StoryRecord) -> None:
        values = {
            "title": s.title,
            "last_item_at": s.last_item_at,
            "summary": s.summary,
            "mentions": s.mentions,
        }
        changed = conn.execute(_UPDATE_STORY, {"story": s.id, **values})
        if changed.rowcount == 0:
            conn.execute(
                _INSERT_STORY,
                {"id": s.id, "first_item_id": s.first_item_id, "opened_at": s.opened_at, **values},
            )

    def _queue_alert(
        self, conn: Connection, a: NewAlert, story_id: str, item_id: int, now: datetime
    ) -> int | None:
        """The new alert's id; None when the team already has an alert for this item."""
        row = {
            "team": a.team,
            "channel": a.channel,
            "story_id": story_id,
            "item_id": item_id,
            "kind": a.kind,
            "reasons": list(a.reasons),
            "broadcast": a.broadcast,
            "details": a.details,
            "next_attempt_at": now,
            "created_at": now,
        }
        new_id = conn.execute(_INSERT_ALERT[conn.dialect.name], row).scalar()
        if new_id is None and a.kind == "parent":
            # Another worker gave the team this story's card since we looked: the item goes
            # into its thread instead (if the conflict was this item itself, this skips too).
            new_id = conn.execute(
                _INSERT_ALERT[conn.dialect.name], row | {"kind": "reply", "reasons": []}
            ).scalar()
        return new_id

    def story(self, story_id: str) -> StoryRecord | None:
        with self._tx() as conn:
            r = conn.execute(_STORY, {"story": story_id}).mappings().first()
        return _story_record(r)

    def stories_and_followers(self, story_ids: Iterable[str]) -> dict[str, tuple[StoryRecord, set[str]]]:
        """The stored ones of these stories, each with the teams that have its card."""
        ids, found = sorted(set(story_ids)), {}
        with self._tx() as conn:
            for start in range(0, len(ids), CHUNK):
                chunk = {"ids": ids[start : start + CHUNK]}
                for r in conn.execute(_STORIES, chunk).mappings():
                    found[r["id"]] = (_story_record(r), set())
                for story_id, team in conn.execute(_FOLLOWERS, chunk):
                    if story_id in found:
                        found[story_id][1].add(team)
        return found

    def close_stories(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        if ids:
            with self._tx() as conn:
                conn.execute(update(stories).where(stories.c.id.in_(ids)).values(closed=True))

    # ---- mutes ---------------------------------------------------------------------------

    MUTE_KINDS = ("story", "group", "region", "keyword")

    def add_mute(self, mute: Mute, *, now: datetime) -> None:
        """Mute (or re-mute with a new expiry) one thing for one team."""
        if mute.kind not in self.MUTE_KINDS:
            raise ValueError(f"mute kind must be one of {', '.join(self.MUTE_KINDS)}, not {mute.kind!r}")
        values = {
            "until": mute.until,
            "created_by": mute.created_by,
            "created_at": now,
            "reason": mute.reason,
        }
        key = and_(mutes.c.team == mute.team, mutes.c.kind == mute.kind, mutes.c.value == mute.value)
        with self._tx() as conn:
            if conn.execute(update(mutes).where(key).values(**values)).rowcount == 0:
                conn.execute(insert(mutes).values(team=mute.team, kind=mute.kind, value=mute.value, **values))
            if mute.kind == "story":
                # Replies queued before the mute are withdrawn with it: muted means no more posts.
                # (A post in flight loses its lease renewal, which needs a pending row.)
                conn.execute(
                    update(alerts)
                    .where(
                        alerts.c.team == mute.team,
                        alerts.c.story_id == mute.value,
                        alerts.c.kind == "reply",
                        alerts.c.status == "pending",
                    )
                    .values(status="muted", lease_owner=None, lease_until=None)
                )

    def remove_mute(self, team: str, kind: str, value: str) -> bool:
        with self._tx() as conn:
            gone = conn.execute(
                mutes.delete().where(mutes.c.team == team, mutes.c.kind == kind, mutes.c.value == value)
            )
        return gone.rowcount > 0

    def active_mutes(self, team: str | None, *, now: datetime) -> list[Mute]:
        """Mutes in force (expired ones are ignored), for one team or all."""
        q = select(mutes).where(or_(mutes.c.until.is_(None), mutes.c.until > now))
        if team is not None:
            q = q.where(mutes.c.team == team)
        with self._tx() as conn:
            rows = conn.execute(q.order_by(mutes.c.team, mutes.c.kind, mutes.c.value)).mappings().all()
        return [
            Mute(r["team"], r["kind"], r["value"], r["until"], r["created_by"], r["reason"]) for r in rows
        ]

    # ---- outbox --------------------------------------------------------------------------

    def claim_alerts(
        self, *, owner: str, now: datetime, lease: timedelta, limit: int = 20
    ) -> list[OutboxAlert]:
        """Lease due alerts. Replies wait until their team's parent has a ts.

        FOR UPDATE SKIP LOCKED lets replicas on PostgreSQL claim disjoint rows; the
        lease expiry hands a dead worker's rows to the next claimant.
        """
        parent = alerts.alias("parent")
        parent_sent = (
            select(parent.c.id)
            .where(
                parent.c.team == alerts.c.team,
                parent.c.story_id == alerts.c.story_id,
                parent.c.kind == "parent",
                parent.c.slack_ts.is_not(None),
            )
            .exists()
        )
        due = and_(
            alerts.c.status == "pending",
            alerts.c.next_attempt_at <= now,
            or_(alerts.c.lease_until.is_(None), alerts.c.lease_until < now),
            or_(alerts.c.kind == "parent", parent_sent),
        )
        with self._tx() as conn:
            ids = list(
                conn.execute(
                    select(alerts.c.id)
                    .where(due)
                    .order_by(alerts.c.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                ).scalars()
            )
            if not ids:
                return []
            conn.execute(
                update(alerts)
                .where(alerts.c.id.in_(ids))
                .values(lease_owner=owner, lease_until=now + lease, attempts=alerts.c.attempts + 1)
            )
        return [a for a in (self.alert(i) for i in ids) if a]

    def alert(self, alert_id: int) -> OutboxAlert | None:
        parent = alerts.alias("parent")
        thread = (
            select(parent.c.slack_ts)
            .where(
                parent.c.team == alerts.c.team,
                parent.c.story_id == alerts.c.story_id,
                parent.c.kind == "parent",
            )
            .scalar_subquery()
        )
        with self._tx() as conn:
            r = (
                conn.execute(select(alerts, thread.label("parent_ts")).where(alerts.c.id == alert_id))
                .mappings()
                .first()
            )
        if r is None:
            return None
        return OutboxAlert(
            id=r["id"],
            team=r["team"],
            channel=r["channel"],
            story_id=r["story_id"],
            item_id=r["item_id"],
            kind=r["kind"],
            reasons=tuple(r["reasons"] or ()),
            broadcast=r["broadcast"],
            attempts=r["attempts"],
            details=r["details"],
            thread_ts=r["parent_ts"] if r["kind"] == "reply" else None,
            status=r["status"],
            slack_ts=r["slack_ts"],
            error=r["error"],
            created_at=r["created_at"],
        )

    def mark_sent(
        self, alert_id: int, *, ts: str, now: datetime, owner: str, channel_id: str | None = None
    ) -> None:
        """Record the Slack ts (and channel id); a reply also marks its parent as owing an update."""
        with self._tx() as conn:
            row = conn.execute(
                update(alerts)
                .where(alerts.c.id == alert_id, alerts.c.status == "pending")
                .values(
                    status="sent",
                    slack_ts=ts,
                    sent_at=now,
                    error=None,
                    lease_owner=None,
                    lease_until=None,
                    slack_channel=channel_id,
                )
                .returning(alerts.c.kind, alerts.c.team, alerts.c.story_id)
            ).first()
            if row and row.kind == "reply":
                conn.execute(
                    update(alerts)
                    .where(
                        alerts.c.team == row.team,
                        alerts.c.story_id == row.story_id,
                        alerts.c.kind == "parent",
                    )
                    .values(needs_update=True)
                )

    def mark_retry(self, alert_id: int, *, error: str, at: datetime) -> None:
        with self._tx() as conn:
            conn.execute(
                update(alerts)
                .where(alerts.c.id == alert_id)
                .values(error=error, next_attempt_at=at, lease_owner=None, lease_until=None)
            )

    def mark_failed(self, alert_id: int, *, error: str) -> None:
        with self._tx() as conn:
            conn.execute(
                update(alerts)
                .where(alerts.c.id == alert_id)
                .values(status="failed", error=error, lease_owner=None, lease_until=None)
            )

    def renew_alert_lease(self, alert_id: int, *, owner: str, now: datetime, lease: timedelta) -> bool:
        """Extend our lease just before posting; False when it expired and another worker
        took the row over (then we must not post: that worker may be posting it now)."""
        with self._tx() as conn:
            done = conn.execute(
                update(alerts)
                .where(
                    alerts.c.id == alert_id,
                    alerts.c.status == "pending",
                    alerts.c.lease_owner == owner,
                    alerts.c.lease_until >= now,
                )
                .values(lease_until=now + lease)
            )
        return done.rowcount == 1

    def release_alerts(self, ids: Sequence[int], *, owner: str) -> None:
        """Hand back claimed rows we will not post (shutting down), for another replica now.

        The claim's attempt is taken back too: we never tried, so the next claimant has no
        earlier post to look for in Slack.
        """
        if ids:
            with self._tx() as conn:
                conn.execute(
                    update(alerts)
                    .where(
                        alerts.c.id.in_(list(ids)),
                        alerts.c.lease_owner == owner,
                        alerts.c.status == "pending",
                    )
                    .values(lease_owner=None, lease_until=None, attempts=alerts.c.attempts - 1)
                )

    def parents_needing_update(self, limit: int = 20) -> list[OutboxAlert]:
        with self._tx() as conn:
            ids = list(
                conn.execute(
                    select(alerts.c.id)
                    .where(
                        alerts.c.kind == "parent", alerts.c.status == "sent", alerts.c.needs_update.is_(True)
                    )
                    .order_by(alerts.c.id)
                    .limit(limit)
                ).scalars()
            )
        return [a for a in (self.alert(i) for i in ids) if a]

    def mark_updated(self, alert_id: int) -> None:
        self._set_needs_update(alert_id, False)

    def flag_parent_update(self, alert_id: int) -> None:
        self._set_needs_update(alert_id, True)

    def _set_needs_update(self, alert_id: int, value: bool) -> None:
        with self._tx() as conn:
            conn.execute(update(alerts).where(alerts.c.id == alert_id).values(needs_update=value))

    def sent_alerts(self, story_id: str | None = None) -> list[OutboxAlert]:
        q = select(alerts.c.id).where(alerts.c.status == "sent")
        if story_id:
            q = q.where(alerts.c.story_id == story_id)
        with self._tx() as conn:
            ids = list(conn.execute(q.order_by(alerts.c.id)).scalars())
        return [a for a in (self.alert(i) for i in ids) if a]

    def queue_status(self, now: datetime) -> QueueStatus:
        with self._tx() as conn:
            counts = dict(conn.execute(select(alerts.c.status, func.count()).group_by(alerts.c.status)).all())
            oldest = conn.execute(
                select(func.min(alerts.c.created_at)).where(alerts.c.status == "pending")
            ).scalar()
            leases = [
                tuple(r)
                for r in conn.execute(
                    select(alerts.c.lease_owner, func.count())
                    .where(alerts.c.lease_until > now)
                    .group_by(alerts.c.lease_owner)
                ).all()
            ]
        if oldest is not None and oldest.tzinfo is None:  # aggregates bypass the column type
            from datetime import UTC

            oldest = oldest.replace(tzinfo=UTC)
        return QueueStatus(
            counts.get("pending", 0), counts.get("failed", 0), counts.get("sent", 0), oldest, leases
        )

    # ---- job runs, digest settings, reporting, retention (digests and operations) --------

    def claim_job(self, job: str, slot: str, *, owner: str, now: datetime) -> bool:
        """True for the one caller that records (job, slot) first; the unique key decides."""
        try:
            with self._tx() as conn:
                conn.execute(
                    insert(job_runs).values(job=job, slot=slot, owner=owner, started_at=now, status="running")
                )
        except IntegrityError:
            return False
        return True

    def finish_job(
        self, job: str, slot: str, *, status: str, now: datetime, detail: dict | None = None
    ) -> None:
        with self._tx() as conn:
            conn.execute(
                update(job_runs)
                .where(job_runs.c.job == job, job_runs.c.slot == slot)
                .values(status=status, finished_at=now, detail=detail)
            )

    def job_runs(self, job: str | None = None, *, status: str | None = None, limit: int = 20) -> list[JobRun]:
        """Latest runs first, optionally of one job and one status."""
        q = select(job_runs)
        if job is not None:
            q = q.where(job_runs.c.job == job)
        if status is not None:
            q = q.where(job_runs.c.status == status)
        with self._tx() as conn:
            rows = (
                conn.execute(q.order_by(job_runs.c.started_at.desc(), job_runs.c.id.desc()).limit(limit))
                .mappings()
                .all()
            )
        return [JobRun(**{k: r[k] for k in JobRun.__dataclass_fields__}) for r in rows]

    def digest_settings(self) -> dict[str, tuple[str, str]]:
        """team → (cron, time zone) set from Slack."""
        with self._tx() as conn:
            rows = conn.execute(select(digest_settings)).mappings().all()
        return {r["team"]: (r["cron"], r["timezone"]) for r in rows}

    def set_digest_setting(
        self, team: str, *, cron: str, timezone: str, by: str | None, now: datetime
    ) -> None:
        values = {"cron": cron, "timezone": timezone, "updated_by": by, "updated_at": now}
        with self._tx() as conn:
            done = conn.execute(
                update(digest_settings).where(digest_settings.c.team == team).values(**values)
            )
            if done.rowcount == 0:
                conn.execute(insert(digest_settings).values(team=team, **values))

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
        return [ProcessedItem(_stored_item(r), r["mentions"] or {}, r["processed_at"]) for r in rows]

    def stories_by_ids(self, ids: Iterable[str]) -> dict[str, StoryRecord]:
        ids = list(dict.fromkeys(ids))
        found: dict[str, StoryRecord] = {}
        with self._tx() as conn:
            for start in range(0, len(ids), 500):
                rows = (
                    conn.execute(select(stories).where(stories.c.id.in_(ids[start : start + 500])))
                    .mappings()
                    .all()
                )
                found |= {
                    r["id"]: StoryRecord(
                        r["id"],
                        r["title"],
                        r["first_item_id"],
                        r["opened_at"],
                        r["last_item_at"],
                        r["summary"],
                        r["mentions"],
                    )
                    for r in rows
                }
        return found

    def source_counts(self, story_ids: Iterable[str]) -> dict[str, int]:
        """story → how many distinct sources reported it."""
        ids = list(dict.fromkeys(story_ids))
        counts: dict[str, int] = {}
        with self._tx() as conn:
            for start in range(0, len(ids), 500):
                counts |= dict(
                    conn.execute(
                        select(items.c.story_id, func.count(items.c.source_id.distinct()))
                        .where(items.c.story_id.in_(ids[start : start + 500]), items.c.duplicate_of.is_(None))
                        .group_by(items.c.story_id)
                    ).all()
                )
        return counts

    def activity_since(self, since: datetime) -> Activity:
        """Items fetched, items processed and alerts sent since `since` (the operator's rates)."""
        with self._tx() as conn:
            fetched = conn.execute(select(func.count()).where(items.c.fetched_at >= since)).scalar()
            processed = conn.execute(select(func.count()).where(items.c.processed_at >= since)).scalar()
            sent = conn.execute(select(func.count()).where(alerts.c.sent_at >= since)).scalar()
            queued = conn.execute(select(func.count()).where(alerts.c.created_at >= since)).scalar()
        return Activity(fetched or 0, processed or 0, queued or 0, sent or 0)

    def prune(self, before: datetime, *, dry_run: bool = False) -> dict[str, int]:
        """Delete stories, items and alerts older than `before`, keeping open threads.

        A story is kept while it is open (not closed by the clusterer), its thread saw an
        alert after `before`, or it still has an alert waiting; its items and alerts stay
        with it. Items not yet processed are never pruned (nothing seen is lost).
        """
        with self._tx() as conn:
            recent_alert = select(alerts.c.story_id).where(
                or_(alerts.c.created_at >= before, alerts.c.status == "pending")
            )
            old_stories = select(stories.c.id).where(
                stories.c.last_item_at < before, stories.c.closed.is_(True), stories.c.id.not_in(recent_alert)
            )
            live = select(stories.c.id).where(stories.c.id.not_in(old_stories))
            old_items = select(items.c.id).where(
                items.c.fetched_at < before,
                items.c.processed_at.is_not(None),
                or_(items.c.story_id.is_(None), items.c.story_id.not_in(live)),
            )
            counts = {
                "stories": conn.execute(select(func.count()).select_from(old_stories.subquery())).scalar(),
                "items": conn.execute(select(func.count()).select_from(old_items.subquery())).scalar(),
                "alerts": conn.execute(
                    select(func.count()).where(
                        or_(alerts.c.item_id.in_(old_items), alerts.c.story_id.in_(old_stories))
                    )
                ).scalar(),
                "job_runs": conn.execute(select(func.count()).where(job_runs.c.started_at < before)).scalar(),
            }
            if not dry_run:
                # Order matters: alerts reference items; stories are chosen before items go.
                old_story_ids = list(conn.execute(old_stories).scalars())
                old_item_ids = list(conn.execute(old_items).scalars())
                for start in range(0, max(len(old_item_ids), len(old_story_ids)), 500):
                    item_ids = old_item_ids[start : start + 500]
                    story_ids = old_story_ids[start : start + 500]
                    conn.execute(
                        alerts.delete().where(
                            or_(alerts.c.item_id.in_(item_ids), alerts.c.story_id.in_(story_ids))
                        )
                    )
                    conn.execute(items.delete().where(items.c.id.in_(item_ids)))
                    conn.execute(stories.delete().where(stories.c.id.in_(story_ids)))
                conn.execute(job_runs.delete().where(job_runs.c.started_at < before))
        return {k: int(v or 0) for k, v in counts.items()}

    # ---- story threads -------------------------------------------------------------------

    def parent_at(self, channel_id: str, ts: str) -> OutboxAlert | None:
        """The story card posted at (channel id, ts), if that message is one."""
        # Rows sent before channel ids were kept match when teams.yaml names the channel by id.
        same_channel = or_(
            alerts.c.slack_channel == channel_id,
            and_(alerts.c.slack_channel.is_(None), alerts.c.channel == channel_id),
        )
        with self._tx() as conn:
            found = conn.execute(
                select(alerts.c.id).where(alerts.c.kind == "parent", alerts.c.slack_ts == ts, same_channel)
            ).scalar()
        return self.alert(found) if found is not None else None

    def story_reports(self, story_id: str) -> list[tuple[StoredItem, dict | None]]:
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
        return [(_stored_item(r), r["mentions"]) for r in rows]

    def add_feedback(self, fb: Feedback, *, now: datetime) -> bool:
        """Record feedback once per (team, story, kind, user); False when it was already there."""
        try:
            with self._tx() as conn:
                conn.execute(
                    insert(feedback).values(
                        team=fb.team,
                        story_id=fb.story_id,
                        kind=fb.kind,
                        user_id=fb.user_id,
                        reasons=list(fb.reasons),
                        created_at=now,
                    )
                )
        except IntegrityError:
            return False
        return True

    def feedback_for(self, story_id: str | None = None) -> list[Feedback]:
        q = select(feedback).order_by(feedback.c.id)
        if story_id is not None:
            q = q.where(feedback.c.story_id == story_id)
        with self._tx() as conn:
            rows = conn.execute(q).mappings().all()
        return [
            Feedback(
                r["team"], r["story_id"], r["kind"], r["user_id"], tuple(r["reasons"] or ()), r["created_at"]
            )
            for r in rows
        ]

    # ---- look-ups for /lookout -------------------------------------------------------------

    def recent_stories(self, since: datetime, *, limit: int = 1000) -> list[StoryRecord]:
        """Stories with a report at or after `since`, newest first."""
        with self._tx() as conn:
            rows = (
                conn.execute(
                    select(stories)
                    .where(stories.c.last_item_at >= since)
                    .order_by(stories.c.last_item_at.desc())
                    .limit(limit)
                )
                .mappings()
                .all()
            )
        return [
            StoryRecord(
                r["id"],
                r["title"],
                r["first_item_id"],
                r["opened_at"],
                r["last_item_at"],
                r["summary"],
                r["mentions"],
            )
            for r in rows
        ]


def _item_row(item: Item) -> dict:
    return {
        "source_id": item.source_id,
        "guid": item.guid,
        "url": item.url,
        "title": item.title,
        "summary": item.summary,
        "text": item.text,
        "language": item.language,
        "published": item.published,
    }


def _stored_item(r) -> StoredItem:
    item = Item(
        source_id=r["source_id"],
        guid=r["guid"],
        url=r["url"],
        title=r["title"],
        summary=r["summary"],
        text=r["text"],
        published=r["published"],
        language=r["language"],
    )
    return StoredItem(r["id"], item, r["story_id"])


def _source_state(r) -> SourceState:
    return SourceState(**{k: r[k] for k in SourceState.__dataclass_fields__})


def _story_record(r) -> StoryRecord | None:
    if r is None:
        return None
    return StoryRecord(
        r["id"],
        r["title"],
        r["first_item_id"],
        r["opened_at"],
        r["last_item_at"],
        r["summary"],
        r["mentions"],
    )
