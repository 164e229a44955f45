"""Rows ↔ values: the only place that knows how values are laid out in tables."""

from __future__ import annotations

from bot.models import Item
from bot.store.values import SourceState, StoredItem, StoryRecord


def item_row(item: Item) -> dict:
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


def stored_item(r) -> StoredItem:
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


def source_state(r) -> SourceState:
    return SourceState(**{k: r[k] for k in SourceState.__dataclass_fields__})


def story_record(r) -> StoryRecord | None:
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
