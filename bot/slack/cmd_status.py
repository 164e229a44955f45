"""The operator's sub-commands: status and sources."""

from __future__ import annotations

from bot import messages
from bot.deliver.escape import mrkdwn
from bot.fetch.redact import redact
from bot.services import Services
from bot.slack.request import Answer, Request, Subcommand


def status(req: Request) -> Answer:
    return Answer(status_text(req.services))


def status_text(services: Services) -> str:
    """The operator's view, the same as `python -m bot status` (escaped: errors come from outside)."""
    from bot.ops import status as ops

    return ops.status_text(ops.status(services), escape=mrkdwn)


def sources(req: Request) -> Answer:
    return Answer(sources_text(req.services))


def sources_text(services: Services) -> str:
    """One line per source: health, last success, items seen, the last error if failing."""
    states = services.store.source_states()
    if not states:
        return messages.SOURCES_NONE
    lines = [messages.SOURCES_HEAD.format(count=len(states))]
    for s in states:
        cfg = services.source(s.id)
        label = mrkdwn(cfg.label if cfg else s.id, limit=60)
        ok = messages.SOURCE_LAST_OK.format(at=s.last_success) if s.last_success else messages.SOURCE_NEVER_OK
        if s.healthy and not s.consecutive_failures:
            lines.append(messages.SOURCE_OK.format(label=label, last_ok=ok, items=s.items_seen))
        else:
            error = mrkdwn(redact(s.last_error or messages.SOURCE_UNKNOWN_ERROR), limit=160)
            lines.append(
                messages.SOURCE_FAILING.format(
                    label=label, failures=s.consecutive_failures, error=error, last_ok=ok
                )
            )
    return "\n".join(lines)


SUBCOMMANDS = (
    Subcommand("status", usage="status", example="status", run=status),
    Subcommand("sources", usage="sources", example="sources", run=sources),
)
