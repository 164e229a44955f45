"""Which teams get what: a card for a team whose watch fires, a thread reply for a team that
has the story's card, nothing for a team that muted it.

Relevance is decided per story, not per report (docs/relevance.md, "Routing"):
- a story is security news once any of its reports is (`StoryRecord.event`);
- a team on `topics: security` (the default) gets a card only for security news, on its
  places and groups; a keyword fires on any news (the team named the words it wants);
  `topics: all` fires on any news about its places and groups;
- a team that has the story's card gets every later report in its thread, whatever it says;
- when a later report makes a story security news, the watch is read against the whole
  story's places and groups, so a non-security first report never holds back the card;
- when the event stage failed on a report (no verdict), its watch alone decides: nothing
  about the item is lost (`status` counts the failures).
"""

from __future__ import annotations

from datetime import datetime

from bot.config import Team, Watch
from bot.event import topics
from bot.models import Event, Mentions, ReplyDetails, Summary
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
    *,
    event_failed: bool = False,
) -> list[NewAlert]:
    """Teams following the story (`following`: they have its card) get a reply; other teams
    whose watch fires on it get a card. `story` is the record after this report (its event
    from `story_event`); `event_failed`: the event stage gave no verdict on this report."""
    details = reply_details(before, summary, mentions) if before else None
    became_security = story.security and not (before is not None and before.security)
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
        elif reasons := card_reasons(
            services, team, mentions, text, story, whole_story=became_security, event_failed=event_failed
        ):
            alerts.append(NewAlert(team.name, team.channel, "parent", reasons=reasons))
    return alerts


def card_reasons(
    services: Services,
    team: Team,
    mentions: Mentions,
    text: str,
    story: StoryRecord,
    *,
    whole_story: bool = False,
    event_failed: bool = False,
) -> tuple[str, ...] | None:
    """Why `team` gets the story's card with this report (the card's *Why* line), or None.

    The matcher's reasons name places, groups and keywords, never a dateline (the place a
    report was filed from is no place of the story); the last reason says what made it an
    event. `whole_story`: read the watch against the story's places too (it just became
    security news)."""
    m = services.matcher.match(team, mentions, text)
    if m is None and whole_story:
        m = services.matcher.match(team, story.mentions, text)
    if m is None:
        return None
    return topics.card_reasons(team.watch, m.reasons, story.event, event_failed=event_failed)


def story_event(before: StoryRecord | None, event: Event | None) -> Event | None:
    """The story's event after a report: the first security report's event; until a report is
    security news, the first verdict known."""
    if before is None:
        return event
    if before.security:
        return before.event
    if event is not None and event.security:
        return event
    return before.event or event


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
