"""A watch's `topics` setting against a story's event: which of the watch's reasons may give
the team a card (docs/relevance.md, "Routing"). Route and `match --explain` share it."""

from __future__ import annotations

from bot.config import Watch
from bot.models import Event

FAILED = "event not checked (the event stage failed): fired on the watch alone"


def card_reasons(
    watch: Watch, reasons: tuple[str, ...], event: Event | None, *, event_failed: bool = False
) -> tuple[str, ...] | None:
    """The card's *Why* reasons, ending with what made it an event (or not), or None when the
    topics setting holds the card back.

    `reasons`: the matcher's lines for the watch (places, groups, keywords). `event`: the
    story's. On `topics: security` (the default) places and groups fire on security news
    only; a keyword fires on any news, since the team named the words it wants. With no
    verdict (the stage failed) the watch alone decides: nothing is lost.
    """
    if event is not None and event.security:
        return (*reasons, f"security event — {event.why}")
    if event_failed or event is None:
        return (*reasons, FAILED)
    if watch.topics == "all":
        return (*reasons, "not security news (topics: all)")
    keywords = tuple(r for r in reasons if r.startswith('keyword "'))
    return (*keywords, "not security news: fired on its keyword") if keywords else None
