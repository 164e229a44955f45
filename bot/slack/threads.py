"""Story threads in Slack: mentions of the bot in a card's thread, and the card's buttons.

A thread is mapped to its story through the stored parent alert (channel id + ts), so it
keeps working across restarts and replicas. Handlers only translate: the words come from
`bot.messages`, the answers from `story_text`, the changes from `bot.feedback`.

People's own discussion in a thread is theirs: only mentions of the bot are answered (the
bot's own messages are dropped by Bolt's self-events middleware), and each mention once,
even when Slack re-sends it (X-Slack-Retry-Num) or several replicas receive it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import messages, watches
from bot.clock import utcnow
from bot.deliver import story_text
from bot.deliver.escape import mrkdwn
from bot.deliver.story_text import ThreadAnswer
from bot.services import Services
from bot.slack.directory import Directory, may_change
from bot.store import OutboxAlert

log = logging.getLogger(__name__)

_MENTION = re.compile(r"<[@!][^>]*>")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")
VERBS = {
    "sources": "sources",
    "source": "sources",
    "links": "sources",
    "more": "more",
    "details": "more",
    "mute": "mute",
    "unmute": "unmute",
    "irrelevant": "not_relevant",
    "not relevant": "not_relevant",
    "not-relevant": "not_relevant",
    "help": "help",
}


def parse(text: str) -> str:
    """The verb of a mention: "<@UBOT> Not relevant!" → "not_relevant"; unknown → "help"."""
    words = re.sub(r"[^\w\s-]", " ", _MENTION.sub(" ", text or "")).lower().split()
    for n in (2, 1):
        verb = VERBS.get(" ".join(words[:n]))
        if verb:
            return verb
    return "help"


CHANGES = ("mute", "unmute", "not_relevant")  # verbs that change the team: members only


def answer(
    services: Services, card: OutboxAlert, verb: str, *, user: str, allowed: Callable[[], bool] = lambda: True
) -> ThreadAnswer:
    """What the bot says (and does) when `user` asks `verb` in `card`'s thread.

    `allowed` says whether the user may change the card's team (asked only for changes).
    """
    store, now, team = services.store, utcnow(), mrkdwn(card.team, limit=64)
    who = f"<@{user}>" if _USER_ID.match(user or "") else messages.SOMEONE
    if verb in CHANGES and not allowed():
        channel = next((t.channel for t in services.teams() if t.name == card.team), messages.ITS_CHANNEL)
        return ThreadAnswer(messages.NOT_ALLOWED.format(team=team, channel=mrkdwn(channel, limit=100)))
    if verb == "sources":
        return story_text.sources_answer(story_text.reports(store, card.story_id, _label(services)))
    if verb == "more":
        return story_text.fuller_summary(store, card.story_id, _label(services)) or ThreadAnswer(
            messages.THREAD_STORY_GONE
        )
    if verb == "mute":
        done = watches.mute_story(store, card, user=user, now=now)
        return ThreadAnswer(
            (messages.STORY_MUTED if done.changed else messages.STORY_ALREADY_MUTED).format(
                user=who, team=team
            ),
            announce=done.changed,
        )
    if verb == "unmute":
        done = watches.unmute_story(store, card, user=user, now=now)
        return ThreadAnswer(
            (messages.STORY_UNMUTED if done.changed else messages.STORY_NOT_MUTED).format(user=who, team=team)
        )
    if verb == "not_relevant":
        done = watches.not_relevant(store, card, user=user, now=now)
        return ThreadAnswer(
            (messages.STORY_NOT_RELEVANT if done.changed else messages.STORY_ALREADY_NOT_RELEVANT).format(
                user=who, team=team
            ),
            announce=done.changed,
        )
    return ThreadAnswer(messages.THREAD_HELP.format(team=team))


def _label(services: Services) -> Callable[[str], str]:
    def label(source_id: str) -> str:
        source = services.source(source_id)
        return source.label if source else source_id

    return label


# ---- mentions ------------------------------------------------------------------------------


def on_mention(services: Services, client: WebClient, event: dict, directory: Directory) -> None:
    channel, ts = event.get("channel", ""), event.get("ts", "")
    if not (channel and ts):
        return
    if not services.store.claim_request(f"mention:{channel}:{ts}", now=utcnow()):
        return  # a retry of a mention already answered (here or by another replica)
    root = event.get("thread_ts")
    card = services.store.parent_at(channel, root) if root else None
    if card is None:
        reply = ThreadAnswer(messages.NOT_A_STORY_THREAD)
    else:
        user = event.get("user", "")
        reply = _safely(
            lambda: answer(
                services,
                card,
                parse(event.get("text", "")),
                user=user,
                allowed=lambda: _may_change(services, directory, card, user),
            )
        )
    # Outside a thread, the explanation starts one under the mention: the channel stays quiet.
    _post(client, channel, root or ts, reply)


def _may_change(services: Services, directory: Directory, card: OutboxAlert, user: str) -> bool:
    """The rule `/lookout mute` follows: members of the team's channel, or admins."""
    admins = services.settings.admins
    team = next((t for t in services.teams() if t.name == card.team), None)
    return user in admins or (team is not None and may_change(directory, admins, user, team))


def _safely(make: Callable[[], ThreadAnswer]) -> ThreadAnswer:
    try:
        return make()
    except Exception:
        log.exception("thread answer failed")
        return ThreadAnswer(messages.THREAD_FAILED)


def _post(client: WebClient, channel: str, thread_ts: str, reply: ThreadAnswer) -> None:
    try:
        client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            text=reply.text,
            blocks=reply.blocks,
            unfurl_links=False,
            unfurl_media=False,
        )
    except Exception:
        log.exception("could not answer in thread %s of %s", thread_ts, channel)


# ---- buttons -------------------------------------------------------------------------------


def card_of(services: Services, body: dict) -> OutboxAlert | None:
    """The card whose button was pressed, checked against the stored alert, not the payload."""
    channel = (body.get("channel") or {}).get("id", "")
    ts = (body.get("container") or {}).get("message_ts") or (body.get("message") or {}).get("ts")
    value = next((a.get("value") for a in body.get("actions") or []), None)
    card = services.store.parent_at(channel, ts) if channel and ts else None
    return card if card and card.story_id == value else None


def on_button(
    services: Services, client: WebClient, body: dict, respond: Respond, verb: str, directory: Directory
) -> None:
    card = card_of(services, body)
    if card is None:
        respond(text=messages.THREAD_STORY_GONE, response_type="ephemeral", replace_original=False)
        return
    user = (body.get("user") or {}).get("id", "")
    reply = _safely(
        lambda: answer(
            services, card, verb, user=user, allowed=lambda: _may_change(services, directory, card, user)
        )
    )
    if reply.announce:
        # The whole team should see why the thread went quiet.
        _post(client, (body.get("channel") or {}).get("id", ""), card.slack_ts or "", reply)
    else:  # a list of sources, or "already muted": for the person who pressed, not the channel
        respond(text=reply.text, blocks=reply.blocks, response_type="ephemeral", replace_original=False)


BUTTONS = {"story_sources": "sources", "story_mute": "mute", "story_not_relevant": "not_relevant"}


def register(app: App, services: Services) -> None:
    directory = Directory(app.client)

    @app.event("app_mention")
    def mention(event: dict, client: WebClient) -> None:
        on_mention(services, client, event, directory)

    @app.event("message")
    def discussion(event: dict) -> None:
        """Thread talk without a mention is people's own: acknowledged, never answered."""

    for action_id, verb in BUTTONS.items():
        app.action(action_id)(_button(services, verb, directory))


def _button(services: Services, verb: str, directory: Directory):
    def pressed(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        on_button(services, client, body, respond, verb, directory)

    return pressed
