"""`/lookout <sub-command>`: parse, call a plain function, answer (ephemeral unless shared).

Sub-commands live in small modules, each listing its own (`SUBCOMMANDS`); this module joins
those lists and dispatches. The listener acks at once and answers through `respond`, so
slow work never breaks Slack's 3-second limit.
"""

from __future__ import annotations

import logging
import re

from slack_bolt import Ack, App, Respond

from bot import messages
from bot.deliver.escape import mrkdwn
from bot.deliver.poster import web_client
from bot.errors import ChangeError
from bot.services import Services
from bot.slack import (
    cmd_digest,
    cmd_lookup,
    cmd_mute,
    cmd_sources,
    cmd_status,
    cmd_watch,
    home,
    shortcuts,
)
from bot.slack.directory import Directory
from bot.slack.request import Answer, Request, Subcommand

log = logging.getLogger(__name__)

MAX_TEXT = 1000  # longer commands are refused, not parsed
_TEAM_TOKEN = re.compile(r"^team:(\S+)$", re.IGNORECASE)


def _help(req: Request) -> Answer:
    return Answer(help_text())


SUBCOMMANDS: dict[str, Subcommand] = {
    s.name: s
    for s in (
        Subcommand("help", usage="help", example="help", run=_help),
        *cmd_status.SUBCOMMANDS,
        *cmd_lookup.SUBCOMMANDS,
        *cmd_watch.SUBCOMMANDS,
        *cmd_mute.SUBCOMMANDS,
        *cmd_digest.SUBCOMMANDS,
        *cmd_sources.SUBCOMMANDS,
    )
}


def register(app: App, services: Services) -> None:
    directory = Directory(app.client)

    @app.command("/lookout")
    def lookout(ack: Ack, command: dict, respond: Respond) -> None:
        ack()
        respond(**dispatch(services, command, directory=directory).payload())

    cmd_lookup.register_actions(app, services, directory)
    home.register(app, services, directory)
    shortcuts.register(app, services, directory)


def dispatch(services: Services, command: dict, *, directory: Directory | None = None) -> Answer:
    if directory is None and services.settings.slack_bot_token:
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
        now=services.clock(),
    )
    try:
        return sub.run(req)
    except ChangeError as e:
        return Answer(mrkdwn(str(e)))
    except Exception:
        log.exception("/lookout %s failed", name)
        return Answer(messages.COMMAND_FAILED.format(name=name))


def help_text() -> str:
    lines = [
        messages.HELP_LINE.format(usage=s.usage, example=s.example)
        for s in sorted(SUBCOMMANDS.values(), key=lambda s: s.name)
    ]
    return messages.HELP_HEAD + "\n" + "\n".join(lines) + "\n" + messages.HELP_FOOT
