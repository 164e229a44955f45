"""A story as the store keeps it, kept up to date report by report: the card keeps its first
report's sentences, while the toll and the places and groups grow with every report."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.models import Mentions, Summary
from bot.store import StoredItem, StoryRecord
from bot.stories.summarize import toll_count
from bot.stories.tracker import merge_mentions, summary_json


def story_record(
    stored: StoredItem,
    story_id: str,
    before: StoryRecord | None,
    summary: Summary,
    mentions: Mentions,
    now: datetime,
) -> StoryRecord:
    """The story's record after this report: a new story's first record, or `before` updated."""
    when = stored.item.published or now
    if before is None:
        return StoryRecord(
            id=story_id,
            title=stored.item.title,
            first_item_id=stored.id,
            opened_at=when,
            last_item_at=when,
            summary=summary_json(summary),
            mentions=mentions.to_json(story_id),
        )
    # The card keeps its first report's sentences; the latest toll and the union of places
    # and groups come from every report.
    merged = dict(before.summary or {})
    if more_precise_toll(summary.toll, merged.get("toll")):
        merged |= {"toll": summary.toll, "toll_note": summary.toll_note}
    return replace(
        before,
        last_item_at=max(before.last_item_at, when),
        summary=merged,
        mentions=merge_mentions(before.mentions or {}, mentions.to_json(story_id)),
    )


def more_precise_toll(new: str | None, old: str | None) -> bool:
    """A later report's toll replaces the card's when it is a higher count, or the first count:
    "dozens killed" from a follow-up must not hide "30+ killed"."""
    if not new:
        return False
    if not old:
        return True
    new_n, old_n = toll_count(new), toll_count(old)
    return new_n is not None and (old_n is None or new_n > old_n)
