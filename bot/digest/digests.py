"""Per-team digests: the stories a team's watch matched since its last digest, grouped by
country then admin1, with toll totals, top groups, the weekly trend and a chart.

Which stories matched is worked out again from the store (each processed item's mentions
run through the team's watch), so digest-only teams need no outbox rows, and a watch
edited since still decides what the next digest holds.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot import clock
from bot.clock import utcnow
from bot.config import Digest, Team
from bot.models import Mentions
from bot.ops import jobs
from bot.route import is_muted
from bot.services import Services
from bot.store import StoryRecord
from bot.stories.summarize import toll_count

log = logging.getLogger(__name__)

MAX_WINDOW = timedelta(days=31)  # a digest after a long outage covers a month, not forever
CHART_DAYS = 14


class DigestSender(Protocol):
    def send(
        self,
        *,
        channel: str,
        text: str,
        blocks: list[dict],
        chart: bytes | None,
        chart_name: str,
        chart_title: str,
    ) -> None:
        """Post the digest message, then its chart. Raises on failure."""


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


# ---- schedules ------------------------------------------------------------------------------


def schedule_for(services: Services, team: Team, stored: dict | None = None) -> Digest | None:
    """The team's digest schedule: set from Slack, else teams.yaml, else the default for
    digest-mode teams; None for a real-time team that asked for no digest."""
    stored = services.store.digest_settings() if stored is None else stored
    if team.name in stored:
        cron, tz = stored[team.name]
        return Digest(cron=cron, timezone=tz)
    if team.digest is not None:
        return team.digest
    return Digest() if team.mode in ("digest", "both") else None


def schedules(services: Services) -> dict[str, Digest]:
    stored = services.store.digest_settings()
    found = {t.name: schedule_for(services, t, stored) for t in services.teams()}
    return {name: d for name, d in found.items() if d is not None}


def trigger_for(digest: Digest) -> CronTrigger:
    minute, hour, day, month, dow = digest.cron.split()
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=_dow_names(dow),
        timezone=ZoneInfo(digest.timezone),
    )


def _dow_names(field: str) -> str:
    """Standard cron counts weekdays from Sunday = 0 (and 7); APScheduler 3 from Monday = 0.
    Day numbers become names, which both read the same way ("1-5" → "mon-fri")."""
    names = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
    return re.sub(
        r"(?<![/\d])\d+", lambda m: names[int(m.group())] if int(m.group()) < 8 else m.group(), field
    )


def job_name(team: str) -> str:
    return f"digest:{team}"


# ---- which stories ---------------------------------------------------------------------------


def matched(services: Services, team: Team, since: datetime, until: datetime) -> list[Matched]:
    """Stories with a report processed in [since, until) that the team's watch matches."""
    store = services.store
    reports: dict[str, list[datetime]] = defaultdict(list)
    hits: set[str] = set()
    for row in store.processed_between(since, until):
        story_id = row.stored.story_id
        assert story_id is not None  # processed_between returns items in stories only
        reports[story_id].append(row.processed_at)
        if story_id in hits:
            continue
        mentions = row.mentions
        text = row.stored.item.body
        if services.matcher.match(team, mentions, text) and not is_muted(
            services, team, story_id, mentions, text, until
        ):
            hits.add(story_id)
    records = store.stories_by_ids(hits)
    sources = store.source_counts(hits)
    found = []
    for story_id in hits:
        story = records.get(story_id)
        if story is None:
            continue  # pruned meanwhile
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


# ---- running --------------------------------------------------------------------------------


def window(services: Services, team: str, until: datetime, digest: Digest) -> tuple[datetime, datetime]:
    """Since the last digest sent (else one schedule period back), up to `until`."""
    last = services.store.job_runs(job_name(team), status="done", limit=1)
    since = None
    if last and (last[0].detail or {}).get("until"):
        since = datetime.fromisoformat(last[0].detail["until"])
    if since is None:
        since = clock.previous_fire(trigger_for(digest), until) or until - timedelta(days=1)
    return max(since, until - MAX_WINDOW), until


def send(
    services: Services, sender: DigestSender, team: Team, *, since: datetime, until: datetime, digest: Digest
) -> dict:
    """Build and post one digest; returns what was sent (recorded on the job run)."""
    from bot.deliver import render_digest
    from bot.digest import charts, trends

    tz = ZoneInfo(digest.timezone)
    recent = matched(services, team, min(since, until - timedelta(days=CHART_DAYS)), until)
    in_window = [m for m in recent if m.reported_between(since, until)]
    content = collect(services, team, since, until, in_window)
    trend = trends.weekly(services, team, until, recent)
    chart = charts.stories_chart(services, team, recent, days=CHART_DAYS, end=until, tz=tz)
    text, blocks = render_digest.digest(content, trend, tz=tz, cron=digest.cron)
    sender.send(
        channel=team.channel,
        text=text,
        blocks=blocks,
        chart=chart.png if chart.total else None,
        chart_name=f"lookout-{team.name}-{until:%Y%m%d-%H%M}.png",
        chart_title=chart.title,
    )
    return {
        "since": since.isoformat(),
        "until": until.isoformat(),
        "stories": content.count,
        "chart_series": len(chart.series),
    }


def run_scheduled(services: Services, sender: DigestSender, team_name: str) -> jobs.JobOutcome:
    """The cron job: once per scheduled time across replicas."""
    team = next((t for t in services.teams() if t.name == team_name), None)
    digest = schedule_for(services, team) if team else None
    if team is None or digest is None:
        return jobs.JobOutcome(ran=False)

    def run(fired: datetime) -> dict:
        since, until = window(services, team.name, fired, digest)
        return send(services, sender, team, since=since, until=until, digest=digest)

    return jobs.run_for_trigger(
        services.store, job_name(team.name), trigger_for(digest), run, owner=services.owner, now=utcnow
    )


def run_now(services: Services, sender: DigestSender, team: Team) -> jobs.JobOutcome:
    """`/lookout digest now`: a digest up to now; the next scheduled one starts from here."""
    digest = schedule_for(services, team) or Digest()
    now = utcnow()
    slot = f"manual:{clock.slot_key(now)}"

    def run() -> dict:
        since, until = window(services, team.name, now, digest)
        return send(services, sender, team, since=since, until=until, digest=digest)

    return jobs.run_once(services.store, job_name(team.name), slot, run, owner=services.owner, now=utcnow)


# ---- schedules typed by people -------------------------------------------------------------

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SCHEDULE_USAGE = (
    'daily HH:MM [Zone] | weekdays HH:MM [Zone] | weekly DAY HH:MM [Zone] | cron "M H DOM MON DOW" [Zone]'
)


def parse_schedule(words: list[str], *, default_zone: str = "UTC") -> Digest:
    """`daily 07:00 Africa/Bamako`, `weekly mon 07:00 Europe/Paris`, `cron "0 7 * * 1-5" UTC`.

    Raises ValueError with a message fit to show the person who typed it.
    """
    if not words:
        raise ValueError(f"say when, e.g. `daily 07:00 Africa/Bamako` ({SCHEDULE_USAGE})")
    kind, rest = words[0].lower(), words[1:]
    if kind == "cron":
        text = " ".join(rest).replace("“", '"').replace("”", '"')
        expr, _, zone = text.strip('"').partition('"') if text.startswith('"') else (text, "", "")
        if not text.startswith('"'):
            fields = text.split()
            expr, zone = " ".join(fields[:5]), " ".join(fields[5:])
        return _digest(expr.strip(), zone.strip() or default_zone)
    day = None
    if kind == "weekly":
        if not rest or rest[0].lower()[:3] not in DAYS:
            raise ValueError("weekly needs a day, e.g. `weekly mon 07:00 Europe/Paris`")
        day, rest = rest[0].lower()[:3], rest[1:]
    elif kind not in ("daily", "weekdays"):
        raise ValueError(f"I don't know the schedule `{words[0]}`; use {SCHEDULE_USAGE}")
    if not rest or len(rest) > 2:
        raise ValueError(f"give a time and optionally a zone, e.g. `{kind} 07:00 Africa/Bamako`")
    hour, minute = _clock(rest[0])
    dow = {"daily": "*", "weekdays": "mon-fri", "weekly": day}[kind]
    return _digest(f"{minute} {hour} * * {dow}", rest[1] if len(rest) > 1 else default_zone)


def _clock(text: str) -> tuple[int, int]:
    hh, sep, mm = text.partition(":")
    if not (sep and hh.isdigit() and mm.isdigit() and int(hh) < 24 and int(mm) < 60 and len(mm) == 2):
        raise ValueError(f"`{text}` is not a time of day; use 24-hour HH:MM such as 07:00")
    return int(hh), int(mm)


def _digest(cron: str, zone: str) -> Digest:
    from pydantic import ValidationError

    try:
        d = Digest(cron=cron, timezone=zone)
        trigger_for(d)  # APScheduler's own check of each field ("61", "mon-xyz")
    except ValidationError as e:
        raise ValueError(e.errors(include_url=False)[0]["msg"].removeprefix("Value error, ")) from None
    except ValueError as e:
        raise ValueError(f"bad cron expression {cron!r}: {e}") from None
    return d


def describe(d: Digest) -> str:
    """Words for a schedule, e.g. "daily at 07:00 (Africa/Bamako)"."""
    fields = d.cron.split()
    minute, hour, dom, month, dow = fields
    if minute.isdigit() and hour.isdigit() and dom == month == "*":
        at = f"{int(hour):02d}:{int(minute):02d} ({d.timezone})"
        if dow == "*":
            return f"daily at {at}"
        if dow == "mon-fri":
            return f"weekdays at {at}"
        if dow in DAYS:
            return f"every {dow.capitalize()} at {at}"
    return f"cron `{d.cron}` ({d.timezone})"
