"""Channels and their members, from the Slack Web API: which teams a channel belongs to, and
who may change a team (members of its channel, or LOOKOUT_ADMINS)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config import Team
from bot.deliver.poster import SlackPoster
from bot.errors import PostError

log = logging.getLogger(__name__)


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
