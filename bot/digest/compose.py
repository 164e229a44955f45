"""One digest put together: what it covers, the weekly trend and the chart, handed to a
sender that renders and posts it (bot/deliver/digest_post.py). Nothing here knows Slack."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.config import Digest, Team
from bot.digest import charts, trends
from bot.digest.charts import Chart
from bot.digest.collect import DigestContent, collect, matched
from bot.digest.trends import RegionTrend
from bot.services import Services

CHART_DAYS = 14


@dataclass(frozen=True)
class DigestPost:
    """One digest, ready to render."""

    team: Team
    content: DigestContent
    trend: list[RegionTrend]
    chart: Chart
    digest: Digest  # its schedule: the time zone times are shown in, and the cron in words

    @property
    def chart_name(self) -> str:
        return f"lookout-{self.team.name}-{self.content.until:%Y%m%d-%H%M}.png"


class DigestSender(Protocol):
    def send(self, post: DigestPost) -> str | None:
        """Render and post the digest message, then its chart. Raises when the message was
        not posted; returns why the chart was not (None when it was, or there was none)."""


def compose(
    services: Services, team: Team, *, since: datetime, until: datetime, digest: Digest
) -> DigestPost:
    tz = ZoneInfo(digest.timezone)
    recent = matched(services, team, min(since, until - timedelta(days=CHART_DAYS)), until)
    in_window = [m for m in recent if m.reported_between(since, until)]
    content = collect(services, team, since, until, in_window)
    trend = trends.weekly(services, team, until, recent)
    chart = charts.stories_chart(services, team, recent, days=CHART_DAYS, end=until, tz=tz)
    return DigestPost(team, content, trend, chart, digest)


def send(
    services: Services, sender: DigestSender, team: Team, *, since: datetime, until: datetime, digest: Digest
) -> dict:
    """Build and post one digest; returns what was sent (recorded on the job run)."""
    post = compose(services, team, since=since, until=until, digest=digest)
    chart_error = sender.send(post)
    sent = {
        "since": since.isoformat(),
        "until": until.isoformat(),
        "stories": post.content.count,
        "chart_series": len(post.chart.series),
    }
    return sent | ({"chart_error": chart_error[:300]} if chart_error else {})
