"""Which teams get what: a card for a team whose watch fires, a thread reply for a team that
has the story's card, nothing for a team that muted it."""

from __future__ import annotations

from datetime import datetime

from bot.config import Team, Watch
from bot.models import Mentions, ReplyDetails, Summary
from bot.services import Services
from bot.store import Mute, NewAlert, StoryRecord
from bot.stories.record import as_last_reported
from bot.stories.summarize import is_significant_change, new_facts

Audience = tuple[tuple[Team, ...], dict[str, list[Mute]]]


def audience(services: Services, now: datetime) -> Audience:
    """The live teams and their mutes (each a database read): once per batch, not per item."""
    teams = services.teams()
    mutes: dict[str, list[Mute]] = {t.name: [] for t in teams}
    for m in services.store.active_mutes(None, now=now):
        mutes.setdefault(m.team, []).append(m)
    return teams, mutes


def alerts_for(
    services: Services,
    text: str,
    mentions: Mentions,
    story: StoryRecord,
    before: StoryRecord | None,
    following: set[str],
    summary: Summary,
    now: datetime,
    audience: Audience,
) -> list[NewAlert]:
    """Teams following the story (`following`: they have its card) get a reply; other teams
    whose watch fires get a card."""
    details = reply_details(before, summary, mentions) if before else None
    alerts = []
    teams, mutes = audience
    for team in teams:
        if is_muted(services, team, story.id, mentions, text, now, mutes=mutes.get(team.name, [])):
            continue
        if team.name in following:
            alerts.append(
                NewAlert(
                    team.name,
                    team.channel,
                    "reply",
                    details=details,
                    broadcast=bool(details and details.broadcast_reason),
                )
            )
        elif team.mode == "digest":
            continue  # digest-only teams read it in their next digest (bot.digest), no card
        elif m := services.matcher.match(team, mentions, text):
            alerts.append(NewAlert(team.name, team.channel, "parent", reasons=m.reasons))
    return alerts


def reply_details(before: StoryRecord, summary: Summary, mentions: Mentions) -> ReplyDetails:
    """What a follow-up adds to the story: new facts, and why it is worth a broadcast."""
    old = as_last_reported(before)
    fresh = tuple(
        f"{f.kind}: {f.value}" for f in new_facts(old, summary) if f.kind in ("toll", "where", "who")
    )
    return ReplyDetails(fresh, is_significant_change(old, summary, before.mentions, mentions))


def is_muted(
    services: Services,
    team: Team,
    story_id: str,
    mentions: Mentions,
    text: str,
    now: datetime,
    *,
    mutes: list[Mute] | None = None,
) -> bool:
    """Whether one of the team's mutes (given, or read now) silences this story or text."""
    if mutes is None:
        mutes = services.store.active_mutes(team.name, now=now)
    if any(m.kind == "story" and m.value == story_id for m in mutes):
        return True
    by_kind = {k: [m.value for m in mutes if m.kind == k] for k in ("region", "group", "keyword")}
    if not any(by_kind.values()):
        return False
    # A mute is a watch that vetoes: the same matcher decides whether it fires.
    veto = Team(
        name=team.name,
        channel=team.channel,
        watch=Watch(regions=by_kind["region"], groups=by_kind["group"], keywords=by_kind["keyword"]),
    )
    return services.matcher.match(veto, mentions, text) is not None
