"""The always-there sub-commands: help and status."""

from __future__ import annotations

from bot.pipeline import Services
from bot.slack.commands import Answer, Request, help_text, subcommand
from bot.slack.escape import mrkdwn


@subcommand("help", usage="help", example="help")
def help_(req: Request) -> Answer:
    return Answer(help_text())


@subcommand("status", usage="status", example="status")
def status(req: Request) -> Answer:
    return Answer(status_text(req.services))


def status_text(services: Services) -> str:
    """The operator's view, the same as `python -m bot status` (escaped: errors come from outside)."""
    from bot import ops

    return ops.status_text(ops.status(services), escape=mrkdwn)


from bot.slack import cmd_digest  # noqa: E402,F401  (registers `/lookout digest`)
