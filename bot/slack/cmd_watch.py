"""`/lookout watch …`: show and change this channel's team watch; `watch history` shows the audit."""

from __future__ import annotations

import re

from bot import messages, watches
from bot.deliver.escape import mrkdwn
from bot.errors import ChangeError
from bot.slack.request import Answer, Request, Subcommand, authorise, channel_team
from bot.store import TeamChange

USAGE = (
    "watch [list | add <region|group|keyword> <name> | remove <region|group|keyword> <name> "
    "| require any|region_and_group | history]"
)
_KINDS = {
    "region": "region",
    "regions": "region",
    "place": "region",
    "places": "region",
    "group": "group",
    "groups": "group",
    "keyword": "keyword",
    "keywords": "keyword",
}
_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")
HISTORY_LIMIT = 20


def watch(req: Request) -> Answer:
    verb = req.args[0].lower() if req.args else "list"
    if verb == "list":
        return _show(req)
    if verb in ("add", "remove"):
        return _change(req, verb)
    if verb == "require":
        return _require(req)
    if verb == "history":
        return _history(req)
    raise ChangeError(messages.WATCH_NOT_A_COMMAND.format(verb=verb, usage=_usage()))


def _show(req: Request) -> Answer:
    team = channel_team(req)
    mutes = req.services.store.active_mutes(team.name, now=req.now)
    lines = [mrkdwn(watches.describe_watch(team))]
    if mutes:
        lines.append(
            mrkdwn(messages.WATCH_MUTED.format(mutes=", ".join(f"{m.kind} {m.value}" for m in mutes)))
        )
    lines.append(messages.WATCH_CHANGE_HINT)
    return Answer("\n".join(lines))


def _change(req: Request, verb: str) -> Answer:
    if len(req.args) < 3 or req.args[1].lower() not in _KINDS:
        raise ChangeError(messages.WATCH_CHANGE_HOW.format(verb=verb))
    team = channel_team(req)
    authorise(req, team)
    outcome = watches.change_watch(
        req.services.store,
        req.services.matcher,
        team,
        action=verb,
        kind=_KINDS[req.args[1].lower()],
        raw=" ".join(req.args[2:]),
        user_id=req.user_id,
        now=req.now,
    )
    return Answer(mrkdwn(outcome.message))


def _require(req: Request) -> Answer:
    if len(req.args) != 2:
        raise ChangeError(messages.REQUIRE_HOW)
    team = channel_team(req)
    authorise(req, team)
    outcome = watches.set_require(req.services.store, team, req.args[1], user_id=req.user_id, now=req.now)
    return Answer(mrkdwn(outcome.message))


def _history(req: Request) -> Answer:
    team = channel_team(req)
    changes = req.services.store.team_changes(team.name, newest_first=True, limit=HISTORY_LIMIT)
    if not changes:
        return Answer(mrkdwn(messages.HISTORY_NONE.format(team=team.name)))
    lines = [mrkdwn(messages.HISTORY_HEAD.format(team=team.name))]
    lines += ["• " + history_line(c) for c in changes]
    return Answer("\n".join(lines))


def history_line(c: TeamChange) -> str:
    return with_mention(mrkdwn(watches.change_line(c)), c.user_id)


def with_mention(line: str, user_id: str) -> str:
    """An escaped audit row for Slack, naming the user as a mention when the id is a real one."""
    if _USER_ID.match(user_id):
        line = line.replace(f" — {user_id}:", f" — <@{user_id}>:", 1)
    return line


def _usage() -> str:
    return messages.USAGE.format(usage=USAGE, example="watch add group JNIM")


SUBCOMMANDS = (Subcommand("watch", usage=USAGE, example="watch add region Mopti", run=watch),)
