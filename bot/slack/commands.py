"""`/lookout` sub-commands: parse, call a plain function, answer ephemerally."""

from __future__ import annotations

from slack_bolt import Ack, App, Respond

from bot import __version__, messages
from bot.pipeline import Services, utcnow
from bot.slack.escape import mrkdwn


def register(app: App, services: Services) -> None:
    @app.command("/lookout")
    def lookout(ack: Ack, command: dict, respond: Respond) -> None:
        ack()
        respond(response_type="ephemeral", text=answer(services, command.get("text", "")))


def answer(services: Services, text: str) -> str:
    words = text.split()
    word = words[0].lower() if words else "help"
    if word == "help":
        return messages.HELP
    if word == "status":
        return status_text(services)
    return messages.UNKNOWN_COMMAND.format(word=mrkdwn(word, limit=40))


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
