"""Checks that apply to every Slack request, kept out of the handlers.

Retries: Slack re-sends an event it thinks we missed (`X-Slack-Retry-Num`), with the same
event id; a command or button press has a unique trigger id. The first sight of a key is
recorded in the store, so a retry — on any replica — is acked and not redone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import BoltResponse

from bot.clock import utcnow
from bot.store import Store

log = logging.getLogger(__name__)


def request_key(body: dict) -> str | None:
    """What identifies one user action or one event across Slack's retries."""
    if body.get("event_id"):
        return "event:" + str(body["event_id"])
    if body.get("trigger_id"):
        return "trigger:" + str(body["trigger_id"])
    return None


def skip_retries(store: Store) -> Callable:
    """Global middleware: ack a request seen before with 200 and do nothing else."""

    def middleware(body: dict, next: Callable, request) -> BoltResponse | None:
        key = request_key(body)
        if key and not store.claim_request(key, now=utcnow()):
            retry = (request.headers.get("x-slack-retry-num") or ["?"])[0]
            log.info("ignoring repeat of %s (retry %s)", key, retry)
            return BoltResponse(status=200, body="")
        return next()

    return middleware
