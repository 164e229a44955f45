"""Message shortcut "Watch this place/group": the places and groups found in any message,
offered as buttons that add them to a team's watch (same checks and audit as `/lookout watch add`)."""

from __future__ import annotations

import json
import re

from slack_bolt import Ack, App, Respond

from bot import messages
from bot.clock import utcnow
from bot.config import Team
from bot.deliver.escape import mrkdwn
from bot.errors import ChangeError
from bot.models import Mentions
from bot.services import Services
from bot.slack.directory import Directory, may_change
from bot.slack.request import Answer
from bot.watches import change_watch, effective_teams

CALLBACK_ID = "watch_from_message"
ACTION = re.compile(r"^watch_add:\d+$")
MAX_TEXT = 20_000  # longer messages are read up to here
MAX_CHOICES = 10
MAX_TEAMS = 3


def register(app: App, services: Services, directory: Directory) -> None:
    @app.shortcut(CALLBACK_ID)
    def watch_this(ack: Ack, shortcut: dict, respond: Respond) -> None:
        ack()
        text = (shortcut.get("message") or {}).get("text") or ""
        channel = (shortcut.get("channel") or {}).get("id", "")
        user = (shortcut.get("user") or {}).get("id", "")
        respond(**offer(services, directory, text=text, channel_id=channel, user_id=user).payload())

    @app.action(ACTION)
    def add(ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        ack()
        user = (body.get("user") or {}).get("id", "")
        respond(**add_from_button(services, directory, action.get("value") or "", user).payload())


def choices(mentions: Mentions) -> list[tuple[str, str]]:
    """(kind, name) to offer: towns, admin1 regions, macro-regions, then groups; no repeats."""
    found = (
        [("region", p.name) for p in mentions.places]
        + [("region", a.name) for a in mentions.admin1]
        + [("region", r) for r in mentions.regions]
        + [("group", g.name) for g in mentions.groups]
    )
    return list(dict.fromkeys(found))[:MAX_CHOICES]


def offer(services: Services, directory: Directory, *, text: str, channel_id: str, user_id: str) -> Answer:
    found = choices(services.matcher.mentions(text[:MAX_TEXT]))
    if not found:
        return Answer(messages.SHORTCUT_NOTHING)
    teams = _teams_for(services, directory, channel_id, user_id)
    if not teams:
        return Answer(messages.HOME_NO_TEAMS)
    blocks: list[dict] = []
    n = 0
    for team in teams[:MAX_TEAMS]:
        buttons = []
        for kind, name in found:
            if name in getattr(team.watch, kind + "s"):
                continue
            value = json.dumps({"t": team.name, "k": kind, "v": name})
            buttons.append(
                {
                    "type": "button",
                    "action_id": f"watch_add:{n}",
                    "value": value,
                    "text": {
                        "type": "plain_text",
                        "text": messages.SHORTCUT_BUTTON.format(name=name, kind=kind)[:75],
                    },
                }
            )
            n += 1
        if buttons:
            blocks.append(
                {
                    "type": "section",
                    "text": {"type": "mrkdwn", "text": mrkdwn(messages.SHORTCUT_HEAD.format(team=team.name))},
                }
            )
            blocks.append({"type": "actions", "elements": buttons[:25]})
    if not blocks:
        return Answer(mrkdwn(messages.SHORTCUT_ALL_WATCHED))
    return Answer(messages.SHORTCUT_OFFER, blocks)


def _teams_for(services: Services, directory: Directory, channel_id: str, user_id: str) -> list[Team]:
    """The channel's teams; from elsewhere (a DM, another channel), the teams the user may change."""
    teams = effective_teams(services.config.teams, services.store.team_changes())
    here = directory.teams_in(teams, channel_id)
    if here:
        return here
    admins = services.settings.admins
    return [t for t in teams if may_change(directory, admins, user_id, t)]


def add_from_button(services: Services, directory: Directory, value: str, user_id: str) -> Answer:
    try:
        choice = json.loads(value)
        team_name, kind, name = str(choice["t"]), str(choice["k"]), str(choice["v"])
    except (ValueError, KeyError, TypeError):
        return Answer(messages.SHORTCUT_STALE)
    teams = effective_teams(services.config.teams, services.store.team_changes())
    team = next((t for t in teams if t.name == team_name), None)
    if team is None:
        return Answer(
            mrkdwn(messages.NO_SUCH_TEAM.format(name=team_name, names=", ".join(t.name for t in teams)))
        )
    if not may_change(directory, services.settings.admins, user_id, team):
        return Answer(mrkdwn(messages.NOT_ALLOWED.format(team=team.name, channel=team.channel)))
    try:
        outcome = change_watch(
            services.store,
            services.matcher,
            team,
            action="add",
            kind=kind,
            raw=name,
            user_id=user_id,
            now=utcnow(),
        )
    except ChangeError as e:
        return Answer(mrkdwn(str(e)))
    return Answer(mrkdwn(outcome.message))
