"""What a team says about one of its story cards: mute it, unmute it, "not relevant".

Plain functions over the store; the Slack listeners (bot/slack/threads.py) only translate.
A story mute is what the pipeline checks before queuing the team's next reply, so muting
here stops the thread; other teams' cards of the same story are untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.store import Feedback, Mute, OutboxAlert, Store, TeamChange

NOT_RELEVANT = "not_relevant"


@dataclass(frozen=True)
class Outcome:
    changed: bool  # False when it was already so (a second click, a repeated mention)


def is_muted(store: Store, card: OutboxAlert, *, now: datetime) -> bool:
    return any(m.kind == "story" and m.value == card.story_id for m in store.active_mutes(card.team, now=now))


def mute_story(
    store: Store, card: OutboxAlert, *, user: str, now: datetime, reason: str | None = None
) -> Outcome:
    """Mute the card's story for the card's team (until unmuted)."""
    already = is_muted(store, card, now=now)
    if not already or reason:
        store.add_mute(Mute(card.team, "story", card.story_id, created_by=user, reason=reason), now=now)
    if not already:  # the team's change log is also its audit trail (`/lookout watch history`)
        store.record_team_change(TeamChange(card.team, "mute", "story", card.story_id, user), now=now)
    return Outcome(changed=not already)


def unmute_story(store: Store, card: OutboxAlert, *, user: str, now: datetime) -> Outcome:
    gone = store.remove_mute(card.team, "story", card.story_id)
    if gone:
        store.record_team_change(TeamChange(card.team, "unmute", "story", card.story_id, user), now=now)
    return Outcome(changed=gone)


def not_relevant(store: Store, card: OutboxAlert, *, user: str, now: datetime) -> Outcome:
    """Keep the feedback (with why the card fired, to tune the watch) and mute the story."""
    recorded = store.add_feedback(
        Feedback(card.team, card.story_id, NOT_RELEVANT, user, card.reasons), now=now
    )
    muted = mute_story(store, card, user=user, now=now, reason="not relevant")
    return Outcome(changed=recorded or muted.changed)
