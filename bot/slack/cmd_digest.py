"""`/lookout digest` (what the next digest holds so far), `digest now`, `digest set …`."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot import messages
from bot.config import Team
from bot.deliver.escape import mrkdwn
from bot.digest.collect import collect
from bot.digest.schedule import (
    check_not_too_often,
    describe,
    parse_schedule,
    schedule_for,
    trigger_for,
    window,
)
from bot.ops.digests import run_now
from bot.services import Services
from bot.slack.request import Answer, Request, Subcommand, authorise, channel_team
from bot.store import TeamChange

USAGE = "digest [now | set daily 07:00 Africa/Bamako]"


def digest_command(req: Request) -> Answer:
    team = channel_team(req)
    action = req.args[0].lower() if req.args else ""
    if action in ("now", "set"):
        # Both change the team (a post in its channel, a new schedule, a moved digest window):
        # the same rule as a watch edit, and a row in the same change log.
        authorise(req, team)
        return _now(req, team) if action == "now" else _set(req, team)
    if action:
        return Answer(messages.DIGEST_UNKNOWN.format(word=mrkdwn(req.args[0], limit=40), usage=USAGE))
    return _show(req.services, team)


def _show(services: Services, team: Team) -> Answer:
    schedule = schedule_for(services, team)
    if schedule is None:
        return Answer(messages.DIGEST_NONE.format(team=mrkdwn(team.name)))
    tz = ZoneInfo(schedule.timezone)
    since, until = window(services, team.name, services.clock(), schedule)
    content = collect(services, team, since, until)
    nxt = trigger_for(schedule).get_next_fire_time(None, until)
    where = ", ".join(f"{mrkdwn(c.name)} {c.count}" for c in content.countries[:8])
    lines = [
        messages.DIGEST_HEAD.format(
            team=mrkdwn(team.name), schedule=mrkdwn(describe(schedule)), mode=team.mode
        ),
        messages.DIGEST_NEXT.format(at=nxt.astimezone(tz)) if nxt else messages.DIGEST_NEXT_NEVER,
        messages.DIGEST_SO_FAR.format(
            count=content.count,
            plural="y" if content.count == 1 else "ies",
            since=since.astimezone(tz),
            where=messages.DIGEST_SO_FAR_WHERE.format(countries=where) if where else "",
        ),
        messages.DIGEST_HINT,
    ]
    return Answer("\n".join(lines))


def _now(req: Request, team: Team) -> Answer:
    from bot.deliver.digest_post import build_sender

    services = req.services
    services.store.record_team_change(TeamChange(team.name, "digest", "now", "", req.user_id), now=req.now)
    outcome = run_now(services, build_sender(services.settings), team)
    if not outcome.ran:
        return Answer(messages.DIGEST_BUSY)
    if not outcome.ok:
        return Answer(messages.DIGEST_FAILED)
    n = (outcome.detail or {}).get("stories", 0)
    return Answer(messages.DIGEST_POSTED.format(count=n, plural="y" if n == 1 else "ies"))


def _set(req: Request, team: Team) -> Answer:
    services = req.services
    current = schedule_for(services, team)
    try:
        schedule = parse_schedule(req.args[1:], default_zone=current.timezone if current else "UTC")
        check_not_too_often(schedule, start=req.now)
    except ValueError as e:
        return Answer(messages.DIGEST_BAD_SCHEDULE.format(error=mrkdwn(str(e), limit=300)))
    services.store.set_digest_setting(
        team.name, cron=schedule.cron, timezone=schedule.timezone, by=req.user_id, now=req.now
    )
    nxt = trigger_for(schedule).get_next_fire_time(None, req.now)
    cards = "" if team.mode == "digest" else messages.DIGEST_CARDS_CONTINUE
    return Answer(
        messages.DIGEST_SET.format(
            team=mrkdwn(team.name),
            schedule=mrkdwn(describe(schedule)),
            at=nxt,
            zone=mrkdwn(schedule.timezone),
            cards=cards,
        ),
        public=True,
    )


SUBCOMMANDS = (
    Subcommand("digest", usage=USAGE, example="digest set daily 07:00 Africa/Bamako", run=digest_command),
)
