"""`/lookout digest` (what the next digest holds so far), `digest now`, `digest set …`."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.clock import utcnow
from bot.config import Team
from bot.deliver.escape import mrkdwn
from bot.digest.collect import collect
from bot.digest.schedule import describe, parse_schedule, schedule_for, trigger_for, window
from bot.ops.digests import run_now
from bot.services import Services
from bot.slack.request import Answer, Request, Subcommand, authorise, channel_team

USAGE = "digest [now | set daily 07:00 Africa/Bamako]"


def digest_command(req: Request) -> Answer:
    team = channel_team(req)
    action = req.args[0].lower() if req.args else ""
    if action == "now":
        return _now(req.services, team)
    if action == "set":
        authorise(req, team)  # changing a team's schedule is a change like a watch edit
        return _set(req, team)
    if action:
        return Answer(f"I don't know `digest {mrkdwn(req.args[0], limit=40)}`. Usage: `/lookout {USAGE}`")
    return _show(req.services, team)


def _show(services: Services, team: Team) -> Answer:
    schedule = schedule_for(services, team)
    if schedule is None:
        return Answer(
            f"*{mrkdwn(team.name)}* gets real-time cards and no digest. Start one with "
            "`/lookout digest set daily 07:00 Africa/Bamako`."
        )
    tz = ZoneInfo(schedule.timezone)
    since, until = window(services, team.name, utcnow(), schedule)
    content = collect(services, team, since, until)
    nxt = trigger_for(schedule).get_next_fire_time(None, until)
    where = ", ".join(f"{mrkdwn(c.name)} {c.count}" for c in content.countries[:8])
    lines = [
        f"*{mrkdwn(team.name)}* digest: {mrkdwn(describe(schedule))}, mode `{team.mode}`",
        f"Next: {nxt.astimezone(tz):%a %d %b %H:%M}" if nxt else "Next: never (the schedule has ended)",
        f"So far: {content.count} stor{'y' if content.count == 1 else 'ies'} since "
        f"{since.astimezone(tz):%a %d %b %H:%M}" + (f" — {where}" if where else ""),
        "`/lookout digest now` posts it now; `/lookout digest set …` changes the schedule.",
    ]
    return Answer("\n".join(lines))


def _now(services: Services, team: Team) -> Answer:
    from bot.deliver.digest_post import build_sender

    outcome = run_now(services, build_sender(services.settings), team)
    if not outcome.ran:
        return Answer("A digest for this team is being posted right now; nothing more was sent.")
    if not outcome.ok:
        return Answer(
            "The digest could not be posted (the error is in the bot's log and "
            "`/lookout status`). The next digest will include these stories."
        )
    n = (outcome.detail or {}).get("stories", 0)
    return Answer(
        f"Digest posted: {n} stor{'y' if n == 1 else 'ies'}. The next scheduled digest starts from here."
    )


def _set(req: Request, team: Team) -> Answer:
    services = req.services
    current = schedule_for(services, team)
    try:
        schedule = parse_schedule(req.args[1:], default_zone=current.timezone if current else "UTC")
    except ValueError as e:
        return Answer(
            f"{mrkdwn(str(e), limit=300)}\nNothing was changed. "
            "Example: `/lookout digest set daily 07:00 Africa/Bamako`"
        )
    services.store.set_digest_setting(
        team.name, cron=schedule.cron, timezone=schedule.timezone, by=req.user_id or None, now=utcnow()
    )
    nxt = trigger_for(schedule).get_next_fire_time(None, utcnow())
    cards = "" if team.mode == "digest" else " Real-time cards continue as before."
    return Answer(
        f"*{mrkdwn(team.name)}* digest is now {mrkdwn(describe(schedule))}; "
        f"first one {nxt:%a %d %b %H:%M} ({mrkdwn(schedule.timezone)}).{cards}",
        public=True,
    )


SUBCOMMANDS = (
    Subcommand("digest", usage=USAGE, example="digest set daily 07:00 Africa/Bamako", run=digest_command),
)
