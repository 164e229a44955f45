"""When each team's digest runs: its schedule (set from Slack, else teams.yaml, else the
default), the period a digest covers, and schedules typed by people."""

from __future__ import annotations

from datetime import datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from bot import clock
from bot.config import Digest, Team, cron_trigger
from bot.services import Services

MAX_WINDOW = timedelta(days=31)  # a digest after a long outage covers a month, not forever


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
    """The schedule's trigger: the same call that checked it when the config was loaded."""
    return cron_trigger(digest.cron, digest.timezone)


def job_name(team: str) -> str:
    return f"digest:{team}"


def window(services: Services, team: str, until: datetime, digest: Digest) -> tuple[datetime, datetime]:
    """Since the last digest sent (else one schedule period back), up to `until`."""
    last = services.store.job_runs(job_name(team), status="done", limit=1)
    since = None
    if last and (last[0].detail or {}).get("until"):
        since = datetime.fromisoformat(last[0].detail["until"])
    if since is None:
        since = clock.previous_fire(trigger_for(digest), until) or until - timedelta(days=1)
    return max(since, until - MAX_WINDOW), until


# ---- schedules typed by people ----------------------------------------------------------

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


MIN_GAP = timedelta(hours=1)  # a digest set from Slack runs at most hourly
_GAPS_CHECKED = 200  # fire times looked at: a day's pattern and the turn into the next day


def check_not_too_often(d: Digest, *, start: datetime) -> None:
    """ValueError when two of the schedule's fire times, as APScheduler computes them from
    `start`, are closer than MIN_GAP (a minute's cron would post sixty digests an hour)."""
    trigger = trigger_for(d)
    fired = trigger.get_next_fire_time(None, start)
    for _ in range(_GAPS_CHECKED):
        if fired is None:
            return
        following = trigger.get_next_fire_time(fired, fired)
        if following is not None and following - fired < MIN_GAP:
            minutes = int((following - fired).total_seconds() // 60)
            raise ValueError(
                f"a digest runs at most once an hour; `{d.cron}` would post digests {minutes} "
                f"minute{'s' * (minutes != 1)} apart"
            )
        fired = following


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
