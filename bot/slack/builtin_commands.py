"""The always-there sub-commands: help and status."""

from __future__ import annotations

from bot import __version__
from bot.pipeline import Services, utcnow
from bot.slack.commands import Answer, Request, help_text, subcommand


@subcommand("help", usage="help", example="help")
def help_(req: Request) -> Answer:
    return Answer(help_text())


@subcommand("status", usage="status", example="status")
def status(req: Request) -> Answer:
    return Answer(status_text(req.services))


def status_text(services: Services) -> str:
    now = utcnow()
    q = services.store.queue_status(now)
    states = services.store.source_states()
    last = max((s.last_attempt for s in states if s.last_attempt), default=None)
    unhealthy = [s.id for s in states if not s.healthy]
    oldest = f", oldest waiting since {q.oldest_pending:%H:%M UTC}" if q.oldest_pending else ""
    return "\n".join([
        f"Lookout {__version__}",
        f"Last poll: {last:%Y-%m-%d %H:%M UTC}" if last else "Last poll: never",
        f"Sources: {len(states) - len(unhealthy)} healthy, {len(unhealthy)} failing",
        f"Queue: {q.pending} waiting{oldest}, {q.sent} sent, {q.failed} failed",
    ])
