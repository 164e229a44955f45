"""The weekly picture per watched region: this week against last, groups newly active,
and the largest events, all from stories in the store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import Team, Watch
from bot.services import Services
from bot.stories.summarize import toll_count

WEEK = timedelta(days=7)
LARGEST = 3


@dataclass(frozen=True)
class RegionTrend:
    region: str  # a watched region name, or "all watched" for a team watching no region
    this_week: int
    last_week: int
    new_groups: tuple[str, ...]  # active this week, not last week
    largest: tuple  # the week's biggest stories (Matched), by toll then sources

    @property
    def change(self) -> str:
        if self.last_week == 0:
            return "new activity" if self.this_week else "no stories"
        pct = round(100 * (self.this_week - self.last_week) / self.last_week)
        return f"{pct:+d}% on last week"


def weekly(services: Services, team: Team, now: datetime, stories: Sequence) -> list[RegionTrend]:
    """One row per watched region; `stories` are the team's matched stories of ≥ 14 days."""
    this = [m for m in stories if now - WEEK <= m.story.opened_at < now]
    last = [m for m in stories if now - 2 * WEEK <= m.story.opened_at < now - WEEK]
    regions = team.watch.regions or [None]
    return [_row(services, team, r, this, last) for r in regions]


def _row(services: Services, team: Team, region: str | None, this: list, last: list) -> RegionTrend:
    if region is not None:
        area = Team(name=team.name, channel=team.channel, watch=Watch(regions=[region]))
        this = [m for m in this if _in(services, area, m)]
        last = [m for m in last if _in(services, area, m)]
    before = {g for m in last for g in m.groups}
    new = tuple(dict.fromkeys(g for m in this for g in m.groups if g not in before))
    largest = sorted(this, key=lambda m: (-(toll_count(m.toll) or 0), -m.sources, m.story.id))
    return RegionTrend(region or "all watched", len(this), len(last), new, tuple(largest[:LARGEST]))


def _in(services: Services, area: Team, m) -> bool:
    # The story's places and regions, through the same matcher that decides alerts.
    return services.matcher.match(area, m.mentions, "") is not None
