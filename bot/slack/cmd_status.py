"""The operator's sub-commands: status and sources."""

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


def sources(req: Request) -> Answer:
    return Answer(sources_text(req.services))


def sources_text(services: Services) -> str:
    """One line per source: health, last success, items seen, the last error if failing."""
    states = services.store.source_states()
    if not states:
        return "No source has been polled yet."
    lines = [f"*{len(states)} sources*"]
    for s in states:
        cfg = services.source(s.id)
        label = mrkdwn(cfg.label if cfg else s.id, limit=60)
        ok = f"last OK {s.last_success:%d %b %H:%M} UTC" if s.last_success else "never fetched OK"
        if s.healthy and not s.consecutive_failures:
            lines.append(f"✅ *{label}* — {ok} · {s.items_seen} items")
        else:
            error = mrkdwn(s.last_error or "unknown error", limit=160)
            lines.append(f"⚠️ *{label}* — {s.consecutive_failures} failures in a row ({error}) · {ok}")
    return "\n".join(lines)


SUBCOMMANDS = (
    Subcommand("status", usage="status", example="status", run=status),
    Subcommand("sources", usage="sources", example="sources", run=sources),
)
