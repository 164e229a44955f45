"""The operator's sub-command: status (sources are in cmd_sources)."""

from __future__ import annotations

from bot.deliver.escape import mrkdwn
from bot.services import Services
from bot.slack.request import Answer, Request, Subcommand


def status(req: Request) -> Answer:
    return Answer(status_text(req.services))


def status_text(services: Services) -> str:
    """The operator's view, the same as `python -m bot status` (escaped: errors come from outside)."""
    from bot.ops import status as ops

    return ops.status_text(ops.status(services), escape=mrkdwn)


SUBCOMMANDS = (Subcommand("status", usage="status", example="status", run=status),)
