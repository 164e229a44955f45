"""`/lookout <sub-command>`: parse, call a plain function, answer (ephemeral unless shared).

Sub-commands live in small modules that register themselves with `@subcommand`; this
module only dispatches. The listener acks at once and answers through `respond`, so slow
work never breaks Slack's 3-second limit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from slack_bolt import Ack, App, Respond

from bot import messages
from bot.pipeline import Services
from bot.slack.escape import mrkdwn

log = logging.getLogger(__name__)

MAX_TEXT = 1000  # longer commands are refused, not parsed


@dataclass(frozen=True)
class Request:
    services: Services
    args: list[str]  # words after the sub-command
    text: str  # everything after the sub-command, as typed
    user_id: str
    channel_id: str
    team_id: str = ""


@dataclass(frozen=True)
class Answer:
    text: str
    blocks: list[dict] | None = None
    public: bool = False  # post in the channel instead of only to the caller


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


def register(app: App, services: Services) -> None:
    from bot.slack import builtin_commands  # noqa: F401  (registers its sub-commands)

    @app.command("/lookout")
    def lookout(ack: Ack, command: dict, respond: Respond) -> None:
        ack()
        answer = dispatch(services, command)
        respond(text=answer.text, blocks=answer.blocks,
                response_type="in_channel" if answer.public else "ephemeral")


def dispatch(services: Services, command: dict) -> Answer:
    text = (command.get("text") or "").strip()
    if len(text) > MAX_TEXT:
        return Answer(messages.TOO_LONG.format(limit=MAX_TEXT))
    words = text.split()
    name = words[0].lower() if words else "help"
    sub = SUBCOMMANDS.get(name)
    if sub is None:
        return Answer(messages.UNKNOWN_COMMAND.format(word=mrkdwn(name, limit=40)))
    req = Request(services=services, args=words[1:], text=text[len(words[0]):].strip() if words else "",
                  user_id=command.get("user_id", ""), channel_id=command.get("channel_id", ""),
                  team_id=command.get("team_id", ""))
    try:
        return sub.run(req)
    except Exception:
        log.exception("/lookout %s failed", name)
        return Answer(messages.COMMAND_FAILED.format(name=name))


def help_text() -> str:
    lines = [f"• `/lookout {s.usage}` — e.g. `/lookout {s.example}`"
             for s in sorted(SUBCOMMANDS.values(), key=lambda s: s.name)]
    return messages.HELP_HEAD + "\n" + "\n".join(lines)
