"""Checks that apply to every Slack request, kept out of the handlers.

- Retries: Slack re-sends an event it thinks we missed (`X-Slack-Retry-Num`), with the
  same event id; a command or button press has a unique trigger id. The first sight of a
  key is recorded in the store, so a retry — on any replica — is acked and not redone.
- Authorisation: who may change a team (members of its channel, or LOOKOUT_ADMINS), and
  which teams a channel belongs to.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from slack_bolt import BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.clock import utcnow
from bot.config import Team
from bot.deliver.poster import PostError, SlackPoster
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


class Directory:
    """Channel ids, names and members, from the Slack Web API."""

    def __init__(self, client: WebClient):
        self.client = client
        self._poster = SlackPoster(client)  # resolves "#name" → id, with a cache
        self._names: dict[str, str | None] = {}

    def name_of(self, channel_id: str) -> str | None:
        """'#name' for a channel id (None when Slack will not say)."""
        if channel_id not in self._names:
            try:
                info = self.client.conversations_info(channel=channel_id)
                self._names[channel_id] = "#" + info["channel"]["name"]
            except (SlackApiError, KeyError, TypeError):
                return None
        return self._names[channel_id]

    def id_of(self, channel: str) -> str | None:
        try:
            return self._poster.channel_id(channel)
        except PostError:
            return None

    def teams_in(self, teams: Iterable[Team], channel_id: str) -> list[Team]:
        """The teams posting to this channel (named by id or by '#name' in teams.yaml)."""
        teams = list(teams)
        if any(t.channel.startswith("#") for t in teams):
            names = {channel_id, self.name_of(channel_id)}
        else:
            names = {channel_id}
        return [t for t in teams if t.channel in names]

    def is_member(self, user_id: str, channel: str) -> bool:
        channel_id = self.id_of(channel)
        if not channel_id:
            return False
        cursor = None
        try:
            while True:
                resp = self.client.conversations_members(channel=channel_id, limit=1000, cursor=cursor)
                if user_id in resp.get("members", []):
                    return True
                cursor = (resp.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    return False
        except SlackApiError as e:
            log.warning("cannot list members of %s: %s", channel, e.response.get("error"))
            return False


def may_change(directory: Directory, admins: frozenset[str], user_id: str, team: Team) -> bool:
    """Watch and mute changes: members of the team's channel, or configured admins."""
    return user_id in admins or directory.is_member(user_id, team.channel)
