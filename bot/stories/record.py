"""A story as the store keeps it, kept up to date report by report: the card keeps its first
report's sentences, while the toll and the places and groups grow with every report."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import replace
from datetime import datetime
from typing import TypeVar

from bot.models import Fact, Mentions, Summary
from bot.store import StoredItem, StoryRecord
from bot.stories.summarize import toll_count

T = TypeVar("T")


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
            summary=summary,
            mentions=mentions,
            toll=summary.toll,
            toll_note=summary.toll_note,
        )
    story = replace(
        before,
        last_item_at=max(before.last_item_at, when),
        mentions=merge_mentions(before.mentions, mentions),
    )
    if more_precise_toll(summary.toll, before.toll):
        story = replace(story, toll=summary.toll, toll_note=summary.toll_note)
    return story


def more_precise_toll(new: str | None, old: str | None) -> bool:
    """A later report's toll replaces the card's when it is a higher count, or the first count:
    "dozens killed" from a follow-up must not hide "30+ killed"."""
    if not new:
        return False
    if not old:
        return True
    new_n, old_n = toll_count(new), toll_count(old)
    return new_n is not None and (old_n is None or new_n > old_n)


def as_last_reported(story: StoryRecord) -> Summary:
    """The card's summary with the story's latest toll first, so that a follow-up is compared
    with the latest toll, not with the first report's."""
    facts = story.summary.facts
    if story.toll:
        latest = next(
            (f for f in facts if f.kind == "toll" and f.value == story.toll),
            Fact("toll", story.toll, "", (0, 0)),
        )
        facts = (latest, *(f for f in facts if f is not latest))
    return Summary(story.summary.sentences, facts)


def merge_mentions(old: Mentions, new: Mentions) -> Mentions:
    """A story's mentions: every report's places, groups and regions, first seen first."""
    return Mentions(
        countries=_union(old.countries, new.countries, lambda c: c),
        admin1=_union(old.admin1, new.admin1, lambda a: (a.country, a.name)),
        places=_union(old.places, new.places, lambda p: (p.name, p.country)),
        regions=_union(old.regions, new.regions, lambda r: r),
        groups=_union(old.groups, new.groups, lambda g: g.name),
        dateline=old.dateline or new.dateline,
        implied=_implied(old, new),
    )


def _implied(old: Mentions, new: Mentions) -> tuple[tuple[str, str], ...]:
    """What gave each country no report of the story names (a country one report names is named)."""
    named = {c for m in (old, new) for c in m.countries if c not in dict(m.implied)}
    found: dict[str, str] = {}
    for country, why in old.implied + new.implied:
        if country not in named:
            found.setdefault(country, why)  # as first reported
    return tuple(found.items())


def _union(old: tuple[T, ...], new: tuple[T, ...], key: Callable[[T], Hashable]) -> tuple[T, ...]:
    seen = {key(x) for x in old}
    return old + tuple(x for x in new if key(x) not in seen)
