"""Stories, and each processed batch written with its stories and outbox rows at once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Connection, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.models import Mentions
from bot.store.base import CHUNK, StoreBase
from bot.store.convert import details_json, event_json, story_columns, story_record
from bot.store.schema import alerts, items, stories
from bot.store.values import ItemOutcome, NewAlert, StoryRecord

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


class Stories(StoreBase):
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
                        "mentions": o.mentions.to_json(str(o.item_id)),
                        "event": event_json(o.event),
                        "event_error": o.event_error,
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
        mentions: Mentions,
        story: StoryRecord,
        new_alerts: Sequence[NewAlert],
    ) -> list[int]:
        """record_batch for one item: its new alert ids."""
        outcome = ItemOutcome(item_id, mentions, story, tuple(new_alerts))
        return self.record_batch([outcome], now=now).get(item_id, [])

    def _upsert_story(self, conn: Connection, s: StoryRecord) -> None:
        values = story_columns(s)
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
            "details": details_json(a.details),
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
        return story_record(r)

    def stories_and_followers(self, story_ids: Iterable[str]) -> dict[str, tuple[StoryRecord, set[str]]]:
        """The stored ones of these stories, each with the teams that have its card."""
        ids, found = sorted(set(story_ids)), {}
        with self._tx() as conn:
            for start in range(0, len(ids), CHUNK):
                chunk = {"ids": ids[start : start + CHUNK]}
                for r in conn.execute(_STORIES, chunk).mappings():
                    found[r["id"]] = (story_record(r), set())
                for story_id, team in conn.execute(_FOLLOWERS, chunk):
                    if story_id in found:
                        found[story_id][1].add(team)
        return found

    def close_stories(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        if ids:
            with self._tx() as conn:
                conn.execute(update(stories).where(stories.c.id.in_(ids)).values(closed=True))

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
                found |= {r["id"]: story_record(r) for r in rows}
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
        return [story_record(r) for r in rows]
