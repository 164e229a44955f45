"""App Home: the user's teams, their watches and mutes, and each team's latest stories."""

from __future__ import annotations

import logging
from datetime import datetime

from slack_bolt import App
from slack_sdk import WebClient

from bot import messages
from bot.clock import utcnow
from bot.config import Team
from bot.deliver.escape import mrkdwn
from bot.services import Services
from bot.slack.cmd_lookup import context, section, story_block
from bot.slack.directory import Directory, may_change
from bot.watches import describe_watch, effective_teams, until_words

log = logging.getLogger(__name__)
CARDS_PER_TEAM = 3


def register(app: App, services: Services, directory: Directory) -> None:
    @app.event("app_home_opened")
    def opened(event: dict, client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        user = event.get("user", "")
        client.views_publish(user_id=user, view=home_view(services, directory, user, utcnow()))


def home_view(services: Services, directory: Directory, user_id: str, now: datetime) -> dict:
    teams = effective_teams(services.config.teams, services.store.team_changes())
    admins = services.settings.admins
    mine = [t for t in teams if may_change(directory, admins, user_id, t)]
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": messages.HOME_TITLE}}]
    if not mine:
        blocks.append(section(messages.HOME_NO_TEAMS))
    for team in mine:
        blocks += _team_blocks(services, team, now)
    blocks.append(context(messages.HOME_FOOT))
    return {"type": "home", "blocks": blocks[:100]}


def _team_blocks(services: Services, team: Team, now: datetime) -> list[dict]:
    blocks: list[dict] = [
        {"type": "divider"},
        section(
            messages.HOME_TEAM.format(
                team=mrkdwn(team.name),
                channel=channel_ref(team.channel),
                watch=mrkdwn(describe_watch(team), limit=1500),
            )
        ),
    ]
    mutes = services.store.active_mutes(team.name, now=now)
    if mutes:
        muted = "; ".join(f"{m.kind} {m.value} {until_words(m.until)}" for m in mutes)
        blocks.append(context(mrkdwn(messages.HOME_MUTED.format(mutes=muted), limit=1500)))
    stories = [
        s
        for s in (
            services.store.story(i) for i in services.store.recent_cards(team.name, limit=CARDS_PER_TEAM)
        )
        if s
    ]
    if stories:
        blocks.append(context(messages.HOME_LATEST))
        blocks += [story_block(services, s, share=False) for s in stories]
    else:
        blocks.append(context(messages.HOME_NO_STORIES))
    return blocks


def channel_ref(channel: str) -> str:
    """A clickable channel for an id, the escaped name otherwise (config is trusted, still escaped)."""
    return f"<#{channel}>" if not channel.startswith("#") else mrkdwn(channel)
