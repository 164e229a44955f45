"""`/lookout <sub-command>`: parse, call a plain function, answer (ephemeral unless shared).

Sub-commands live in small modules that register themselves with `@subcommand`; this
module only dispatches. The listener acks at once and answers through `respond`, so slow
work never breaks Slack's 3-second limit.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from slack_bolt import Ack, App, Respond

from bot import messages
from bot.clock import utcnow
from bot.config import Team
from bot.deliver.escape import mrkdwn
from bot.services import Services
from bot.slack.middleware import Directory, may_change
from bot.watches import ChangeError, effective_teams

log = logging.getLogger(__name__)

MAX_TEXT = 1000  # longer commands are refused, not parsed
_TEAM_TOKEN = re.compile(r"^team:(\S+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Request:
    services: Services
    args: list[str]  # words after the sub-command
    text: str  # everything after the sub-command, as typed
    user_id: str
    channel_id: str
    team_id: str = ""
    directory: Directory | None = None  # Slack channel names and members (None: no Slack)
    team_name: str | None = None  # `team:<name>` in the command picks a team explicitly
    now: datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class Answer:
    text: str
    blocks: list[dict] | None = None
    public: bool = False  # post in the channel instead of only to the caller

    def payload(self, *, replace: bool = False) -> dict:
        """Keyword arguments for Bolt's `respond`."""
        body = {"text": self.text, "response_type": "in_channel" if self.public else "ephemeral"}
        if self.blocks:
            body["blocks"] = self.blocks
        if replace:
            body["replace_original"] = True
        return body


@dataclass(frozen=True)
class Subcommand:
    name: str
    usage: str  # e.g. "where <place>"
    example: str  # e.g. "where Boulikessi"
    run: Callable[[Request], Answer] = field(compare=False)


SUBCOMMANDS: dict[str, Subcommand] = {}


def subcommand(name: str, *, usage: str, example: str):
    """Register a handler for `/lookout <name> …`."""

    def register(fn: Callable[[Request], Answer]) -> Callable[[Request], Answer]:
        SUBCOMMANDS[name] = Subcommand(name, usage, example, fn)
        return fn

    return register


def load_subcommands() -> None:
    # Each module registers its sub-commands on import.
    from bot.slack import builtin_commands, cmd_digest, cmd_lookup, cmd_mute, cmd_watch  # noqa: F401


def register(app: App, services: Services) -> None:
    load_subcommands()
    directory = Directory(app.client)

    @app.command("/lookout")
    def lookout(ack: Ack, command: dict, respond: Respond) -> None:
        ack()
        respond(**dispatch(services, command, directory=directory).payload())

    from bot.slack import cmd_lookup, home, shortcuts

    cmd_lookup.register_actions(app, services, directory)
    home.register(app, services, directory)
    shortcuts.register(app, services, directory)


def dispatch(services: Services, command: dict, *, directory: Directory | None = None) -> Answer:
    load_subcommands()
    if directory is None and services.settings.slack_bot_token:
        from bot.slack.app import web_client

        directory = Directory(web_client(services.settings))  # "#name" channels need Slack to resolve
    text = (command.get("text") or "").strip()
    if len(text) > MAX_TEXT:
        return Answer(messages.TOO_LONG.format(limit=MAX_TEXT, length=len(text)))
    team_name = next((m.group(1) for w in text.split() if (m := _TEAM_TOKEN.match(w))), None)
    if team_name:  # `team:<name>` may stand anywhere
        text = " ".join(w for w in text.split() if not _TEAM_TOKEN.match(w))
    words = text.split()
    name = words[0].lower() if words else "help"
    sub = SUBCOMMANDS.get(name)
    if sub is None:
        return Answer(messages.UNKNOWN_COMMAND.format(word=mrkdwn(name, limit=40)))
    rest = text[len(words[0]) :].strip() if words else ""
    req = Request(
        services=services,
        args=rest.split(),
        text=rest,
        user_id=command.get("user_id", ""),
        channel_id=command.get("channel_id", ""),
        team_id=command.get("team_id", ""),
        directory=directory,
        team_name=team_name,
    )
    try:
        return sub.run(req)
    except ChangeError as e:
        return Answer(mrkdwn(str(e)))
    except Exception:
        log.exception("/lookout %s failed", name)
        return Answer(messages.COMMAND_FAILED.format(name=name))


def help_text() -> str:
    load_subcommands()
    lines = [
        f"• `/lookout {s.usage}` — e.g. `/lookout {s.example}`"
        for s in sorted(SUBCOMMANDS.values(), key=lambda s: s.name)
    ]
    return messages.HELP_HEAD + "\n" + "\n".join(lines) + "\n" + messages.HELP_FOOT


# ---- which team a command is about, and whether the caller may change it --------------------


def channel_team(req: Request) -> Team:
    """The team this command is about: `team:<name>`, else the channel's only team."""
    teams = effective_teams(req.services.config.teams, req.services.store.team_changes())
    if req.team_name:
        team = next((t for t in teams if t.name.lower() == req.team_name.lower()), None)
        if team is None:
            raise ChangeError(
                messages.NO_SUCH_TEAM.format(
                    name=req.team_name, names=", ".join(t.name for t in teams) or "none"
                )
            )
        return team
    here = (
        req.directory.teams_in(teams, req.channel_id)
        if req.directory
        else [t for t in teams if t.channel == req.channel_id]
    )
    if not here:
        raise ChangeError(messages.NO_TEAM.format(channel=req.channel_id))
    if len(here) > 1:
        raise ChangeError(
            messages.SEVERAL_TEAMS.format(names=", ".join(t.name for t in here), first=here[0].name)
        )
    return here[0]


def authorise(req: Request, team: Team) -> None:
    """Raise unless the caller is in the team's channel or is a configured admin."""
    admins = req.services.settings.admins
    allowed = req.user_id in admins or (
        req.directory is not None and may_change(req.directory, admins, req.user_id, team)
    )
    if not allowed:
        raise ChangeError(messages.NOT_ALLOWED.format(team=team.name, channel=team.channel))
