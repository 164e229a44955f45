"""Where messages go: Slack's Web API, or the console when no token is set.

Only this module calls the Slack Web API for delivery. Errors are sorted into the three
kinds the outbox acts on: wait and retry, retry with backoff, or give up and report.
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
import time
from dataclasses import dataclass
from typing import Protocol, TextIO

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.deliver import render
from bot.errors import PostError
from bot.settings import Settings

log = logging.getLogger(__name__)


def web_client(settings: Settings) -> WebClient:
    """The Slack Web API client every part of the bot uses (SLACK_API_URL: tests, proxies)."""
    return WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=15)


EVENT_TYPE = "lookout_alert"
LOOKUP_PAGES = 25  # up to 5,000 messages back; beyond that, retry later rather than guess

# Errors that no retry can fix: record them on the alert and tell an operator once.
PERMANENT = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "no_permission",
        "missing_scope",
        "not_authed",
        "msg_too_long",
        "invalid_blocks",
        "restricted_action",
        "team_access_not_granted",
        "cant_update_message",
        "message_not_found",
        "invalid_metadata_format",
        "invalid_metadata_schema",
    }
)


@dataclass(frozen=True)
class Message:
    channel: str
    text: str
    blocks: list[dict]
    alert_id: int
    team: str
    thread_ts: str | None = None
    broadcast: bool = False

    @property
    def metadata(self) -> dict:
        return {"event_type": EVENT_TYPE, "event_payload": {"alert_id": self.alert_id, "team": self.team}}


class Poster(Protocol):
    def post(self, msg: Message) -> tuple[str, str]:
        """Send; return (channel id, ts). Raises PostError."""

    def update(self, *, channel: str, ts: str, text: str, blocks: list[dict]) -> None:
        """Replace a posted message. Raises PostError."""

    def find_posted(self, msg: Message, *, since: float) -> tuple[str, str] | None:
        """(channel id, ts) of a message already carrying this alert id, if any."""


class SlackPoster:
    def __init__(self, client: WebClient, *, pace_seconds: float = 1.0):
        # No blind retries inside the HTTP client: a connection reset after Slack posted would
        # post again. The outbox retries instead, and looks in Slack for the message first.
        client.retry_handlers = []
        self.client = client
        self.pace = pace_seconds
        self._last: dict[str, float] = {}
        self._pace_lock = threading.Lock()
        self._ids: dict[str, str] = {}

    def post(self, msg: Message) -> tuple[str, str]:
        self._wait_turn(msg.channel)
        resp = self._call(
            self.client.chat_postMessage,
            channel=msg.channel,
            text=msg.text,
            blocks=msg.blocks,
            metadata=msg.metadata,
            thread_ts=msg.thread_ts,
            reply_broadcast=msg.broadcast if msg.thread_ts else None,
            unfurl_links=False,
            unfurl_media=False,
        )
        return resp["channel"], resp["ts"]

    def update(self, *, channel: str, ts: str, text: str, blocks: list[dict]) -> None:
        self._wait_turn(channel)
        self._call(self.client.chat_update, channel=channel, ts=ts, text=text, blocks=blocks)

    def find_posted(self, msg: Message, *, since: float) -> tuple[str, str] | None:
        channel = self.channel_id(msg.channel)
        cursor = None
        # A busy channel may have had many messages since: read on, page by page.
        for _ in range(LOOKUP_PAGES):
            try:
                resp = self._lookup_page(msg, channel, since, cursor)
            except PostError as e:
                if e.error != "missing_scope":
                    raise
                # channels:history / groups:history are optional scopes: without them nothing can
                # be looked up, and the alert is posted (twice only if its first post succeeded).
                log.warning("cannot look for alert %s in Slack (%s); posting it", msg.alert_id, e.error)
                return None
            for m in resp.get("messages", []):
                meta = m.get("metadata") or {}
                payload = meta.get("event_payload") or {}
                if meta.get("event_type") == EVENT_TYPE and payload.get("alert_id") == msg.alert_id:
                    return channel, m["ts"]
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not (resp.get("has_more") and cursor):
                return None
        raise PostError(f"lookup: more than {LOOKUP_PAGES} pages of history to search")

    def _lookup_page(self, msg: Message, channel: str, since: float, cursor: str | None):
        common = {
            "channel": channel,
            "oldest": f"{since:.6f}",
            "limit": 200,
            "cursor": cursor,
            "include_all_metadata": True,
        }
        if msg.thread_ts:
            return self._call(self.client.conversations_replies, ts=msg.thread_ts, **common)
        return self._call(self.client.conversations_history, **common)

    def channel_id(self, channel: str) -> str:
        """History calls need an id; config may say "#name"."""
        if not channel.startswith("#"):
            return channel
        if channel not in self._ids:
            cursor = None
            while True:
                resp = self._call(
                    self.client.conversations_list,
                    limit=1000,
                    cursor=cursor,
                    types="public_channel,private_channel",
                    exclude_archived=True,
                )
                for c in resp.get("channels", []):
                    self._ids["#" + c["name"]] = c["id"]
                cursor = (resp.get("response_metadata") or {}).get("next_cursor")
                if channel in self._ids or not cursor:
                    break
        if channel not in self._ids:
            raise PostError("channel_not_found", permanent=True)
        return self._ids[channel]

    def _wait_turn(self, channel: str) -> None:
        """About one message per second per channel, as Slack asks."""
        with self._pace_lock:
            wait = self._last.get(channel, 0) + self.pace - time.monotonic()
            self._last[channel] = time.monotonic() + max(wait, 0)
        if wait > 0:
            time.sleep(wait)

    @staticmethod
    def _call(method, **kwargs):
        kwargs = {k: v for k, v in kwargs.items() if v is not None}
        try:
            return method(**kwargs)
        except SlackApiError as e:
            raise _classify(e) from None
        except OSError as e:  # connection refused, reset, timeout
            raise PostError(f"network: {type(e).__name__}: {e}") from None


def _classify(e: SlackApiError) -> PostError:
    status = e.response.status_code
    error = (e.response.data or {}).get("error", "") if isinstance(e.response.data, dict) else ""
    if status == 429 or error == "ratelimited":
        return PostError("ratelimited", retry_after=float(e.response.headers.get("Retry-After", 1)))
    if status >= 500 or not error:
        return PostError(f"slack_http_{status}" + (f": {error}" if error else ""))
    return PostError(error, permanent=error in PERMANENT)


class ConsolePoster:
    """No Slack token: print what each team would get, so the pipeline runs on a laptop."""

    def __init__(self, out: TextIO | None = None):
        self.out = out or sys.stdout
        self._ts = itertools.count(1)
        self.sent: list[Message] = []

    def post(self, msg: Message) -> tuple[str, str]:
        ts = f"{next(self._ts)}.000000"
        print(
            render.console(msg.blocks, channel=msg.channel, team=msg.team, thread=msg.thread_ts) + "\n",
            file=self.out,
            flush=True,
        )
        self.sent.append(msg)
        return msg.channel, ts

    def update(self, *, channel: str, ts: str, text: str, blocks: list[dict]) -> None:
        print(f"   (card {ts} in {channel} updated: {text})\n", file=self.out, flush=True)

    def find_posted(self, msg: Message, *, since: float) -> tuple[str, str] | None:
        return None
