"""`/lookout mute|unmute|mutes`: timed mutes of a story, group, region or keyword for a team."""

from __future__ import annotations

from bot import messages, watches
from bot.deliver.escape import mrkdwn
from bot.errors import ChangeError
from bot.slack.request import Answer, Request, Subcommand, authorise, channel_team

KINDS = "story|group|region|keyword"


def mute(req: Request) -> Answer:
    args, duration = req.args, None
    if len(args) >= 4 and args[-2].lower() == "for":
        args, duration = args[:-2], args[-1]
    if len(args) < 2:
        raise ChangeError(messages.MUTE_HOW.format(kinds=KINDS))
    team = channel_team(req)
    authorise(req, team)
    outcome = watches.mute(
        req.services.store,
        req.services.matcher,
        team,
        kind=args[0].lower(),
        raw=" ".join(args[1:]),
        duration=duration,
        user_id=req.user_id,
        now=req.now,
    )
    return Answer(mrkdwn(outcome.message))


def unmute(req: Request) -> Answer:
    if len(req.args) < 2:
        raise ChangeError(messages.UNMUTE_HOW.format(kinds=KINDS))
    team = channel_team(req)
    authorise(req, team)
    outcome = watches.unmute(
        req.services.store,
        req.services.matcher,
        team,
        kind=req.args[0].lower(),
        raw=" ".join(req.args[1:]),
        user_id=req.user_id,
        now=req.now,
    )
    return Answer(mrkdwn(outcome.message))


def mutes(req: Request) -> Answer:
    team = channel_team(req)
    active = req.services.store.active_mutes(team.name, now=req.now)
    if not active:
        return Answer(mrkdwn(messages.MUTES_NONE.format(team=team.name)))
    head = messages.MUTES_HEAD.format(team=team.name, count=len(active), plural="s" * (len(active) != 1))
    lines = [mrkdwn(head)]
    lines += [
        mrkdwn(messages.MUTES_LINE.format(kind=m.kind, value=m.value, until=watches.until_words(m.until)))
        for m in active
    ]
    return Answer("\n".join(lines))


SUBCOMMANDS = (
    Subcommand("mute", usage=f"mute <{KINDS}> <name> [for 24h]", example="mute group JNIM for 24h", run=mute),
    Subcommand("unmute", usage=f"unmute <{KINDS}> <name>", example="unmute group JNIM", run=unmute),
    Subcommand("mutes", usage="mutes", example="mutes", run=mutes),
)
