"""Per-team digests, what goes in them: the stories a team's watch matched since its last digest, grouped by
country then admin1, with toll totals, top groups, the weekly trend and a chart.

Which stories matched is worked out again from the store (each processed item's mentions
run through the team's watch), so digest-only teams need no outbox rows, and a watch
edited since still decides what the next digest holds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from bot.config import Team
from bot.event import topics
from bot.models import Mentions
from bot.route import is_muted
from bot.services import Services
from bot.store import StoryRecord
from bot.stories.summarize import toll_count


@dataclass(frozen=True)
class Matched:
    """A story a team's watch matched, as digests, charts and trends show it."""

    story: StoryRecord
    url: str
    sources: int
    reported: tuple[datetime, ...]  # when each of its reports was processed, inside the range

    def reported_between(self, since: datetime, until: datetime) -> bool:
        return any(since <= t < until for t in self.reported)

    @property
    def mentions(self) -> Mentions:
        return self.story.mentions

    @property
    def country(self) -> str | None:
        """Where it happened: the country most of its places and admin1 regions are in (a
        US general quoted on Mali is a Mali story), else the first country named."""
        m = self.mentions
        located = [p.country for p in m.places] + [a.country for a in m.admin1]
        if located:
            counts = Counter(located)
            return max(dict.fromkeys(located), key=lambda c: counts[c])  # ties: first seen
        return m.countries[0] if m.countries else None

    @property
    def admin1(self) -> str | None:
        return next((a.name for a in self.mentions.admin1 if a.country == self.country), None)

    @property
    def groups(self) -> list[str]:
        return [g.name for g in self.mentions.groups]

    @property
    def toll(self) -> str | None:
        return self.story.toll


@dataclass(frozen=True)
class Area:
    name: str  # admin1 name, or "" for stories naming only the country
    stories: tuple[Matched, ...]
    tolls: dict[str, int]  # outcome → at least this many (killed, kidnapped, wounded)


@dataclass(frozen=True)
class CountrySection:
    code: str  # ISO alpha-2, or "" for stories naming no country
    name: str
    areas: tuple[Area, ...]
    tolls: dict[str, int]

    @property
    def count(self) -> int:
        return sum(len(a.stories) for a in self.areas)


@dataclass(frozen=True)
class DigestContent:
    team: str
    since: datetime
    until: datetime
    countries: tuple[CountrySection, ...]
    top_groups: tuple[tuple[str, int], ...]
    tolls: dict[str, int]

    @property
    def count(self) -> int:
        return sum(c.count for c in self.countries)


def matched(services: Services, team: Team, since: datetime, until: datetime) -> list[Matched]:
    """Stories with a report processed in [since, until) that the team's watch matches, under
    its `topics` setting as cards are (`bot.event.topics`): on `topics: security` (the
    default) a story about its places or groups is in only when it is security news, one its
    keywords matched whatever it says; a story whose event is unknown is in (fail open)."""
    store = services.store
    reports: dict[str, list[datetime]] = defaultdict(list)
    reasons: dict[str, set[str]] = defaultdict(set)  # the watch's reasons, over the window's reports
    for row in store.processed_between(since, until):
        story_id = row.stored.story_id
        assert story_id is not None  # processed_between returns items in stories only
        reports[story_id].append(row.processed_at)
        mentions = row.mentions
        text = row.stored.item.body
        m = services.matcher.match(team, mentions, text)
        if m is not None and not is_muted(services, team, story_id, mentions, text, until):
            reasons[story_id].update(m.reasons)
    hits = set(reasons)
    records = store.stories_by_ids(hits)
    sources = store.source_counts(hits)
    found = []
    for story_id in hits:
        story = records.get(story_id)
        if story is None:
            continue  # pruned meanwhile
        if topics.card_reasons(team.watch, tuple(sorted(reasons[story_id])), story.event) is None:
            continue  # not security news, and no keyword of the team's asked for it
        first = store.item(story.first_item_id)
        found.append(
            Matched(
                story, first.item.url if first else "", sources.get(story_id, 1), tuple(reports[story_id])
            )
        )
    return sorted(found, key=lambda m: (m.story.opened_at, m.story.id))


def collect(
    services: Services, team: Team, since: datetime, until: datetime, stories: list[Matched] | None = None
) -> DigestContent:
    """Group the window's stories by country then admin1, with totals and top groups."""
    stories = matched(services, team, since, until) if stories is None else stories
    by_country: dict[str, dict[str, list[Matched]]] = defaultdict(lambda: defaultdict(list))
    for m in stories:
        by_country[m.country or ""][m.admin1 or ""].append(m)
    sections = [_country(services, code, areas) for code, areas in by_country.items()]
    # Most stories first; stories naming no country last.
    sections.sort(key=lambda c: (c.code == "", -c.count, c.name))
    groups = Counter(g for m in stories for g in dict.fromkeys(m.groups))
    return DigestContent(
        team.name,
        since,
        until,
        tuple(sections),
        tuple(sorted(groups.items(), key=lambda kv: (-kv[1], kv[0]))[:5]),
        tolls(stories),
    )


def _country(services: Services, code: str, areas: dict[str, list[Matched]]) -> CountrySection:
    parts = [Area(name, tuple(ms), tolls(ms)) for name, ms in areas.items()]
    parts.sort(key=lambda a: (a.name == "", -len(a.stories), a.name))
    name = services.matcher.country_name(code) if code else "Elsewhere"
    return CountrySection(code, name, tuple(parts), tolls([m for a in parts for m in a.stories]))


def tolls(stories: list[Matched]) -> dict[str, int]:
    """Toll totals by outcome ("killed", "kidnapped", …); each story counted once."""
    total: Counter[str] = Counter()
    for m in stories:
        n = toll_count(m.toll)
        if n is not None and m.toll:
            total[m.toll.rsplit(" ", 1)[-1]] += n
    return dict(total)
