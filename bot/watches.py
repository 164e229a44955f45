"""Team watches: the YAML is the seed, changes made in Slack are replayed over it.

Every change (watch edit, mute, unmute, digest set and now) is one row of the append-only change log, which
is both the durable state (it survives restarts and is shared by replicas) and the audit
trail `watch history` shows: who, when, what.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot import messages
from bot.config import Team, Watch, parse_duration
from bot.errors import ChangeError
from bot.match.fold import fold
from bot.match.index import ADMIN1, COUNTRY, REGION
from bot.match.matcher import Matcher
from bot.store import Feedback, Mute, OutboxAlert, Store, TeamChange

WATCH_FIELDS = {"region": "regions", "group": "groups", "keyword": "keywords"}
MUTE_KINDS = ("story", "group", "region", "keyword")
REQUIRES = ("any", "region_and_group")
MAX_NAME = 100
_STORY_ID = re.compile(r"^s-[0-9a-f]{12}$")


@dataclass(frozen=True)
class Outcome:
    changed: bool  # False when it was already so (a second click, a repeated mention)
    message: str = ""  # what to tell the person who asked


# ---- the live watch ------------------------------------------------------------------------


def effective_teams(seed: Iterable[Team], changes: Iterable[TeamChange]) -> tuple[Team, ...]:
    """The YAML teams with every stored watch change applied, in the order they were made."""
    teams = {t.name: t for t in seed}
    for c in changes:
        team = teams.get(c.team)
        if team is not None and c.action in ("add", "remove", "require"):
            teams[c.team] = team.model_copy(update={"watch": apply_change(team.watch, c)})
    return tuple(teams.values())


def apply_change(watch: Watch, c: TeamChange) -> Watch:
    if c.action == "require":
        return watch.model_copy(update={"require": c.value})
    field = WATCH_FIELDS[c.kind]
    names = list(getattr(watch, field))
    if c.action == "add" and not _find(names, c.value):
        names.append(c.value)
    elif c.action == "remove":
        names = [n for n in names if not same_name(n, c.value)]
    return watch.model_copy(update={field: names})


def same_name(a: str, b: str) -> bool:
    return fold(a) == fold(b)


def _find(names: Iterable[str], value: str) -> str | None:
    return next((n for n in names if same_name(n, value)), None)


# ---- validating names ----------------------------------------------------------------------


def canonical(matcher: Matcher, kind: str, raw: str) -> str:
    """The name to store for a region, group or keyword; ChangeError with suggestions if unknown."""
    name = clean_name(raw)
    if kind == "keyword":
        return name
    if kind == "group":
        info = matcher.who(name)
        if info is None:
            raise ChangeError(_unknown("group", name, matcher.group_suggestions(name)))
        return info.canonical
    term = matcher.term(name)
    if term is None:
        raise ChangeError(_unknown("region", name, matcher.region_suggestions(name)))
    if term.kind == REGION:
        return term.value.name
    if term.kind == COUNTRY:
        return matcher.country_name(term.value)
    if term.kind == ADMIN1:
        return term.value[1]
    readings = matcher.where(name)  # a town: the gazetteer's spelling of the largest reading
    return readings[0].name if readings else name


def clean_name(raw: str) -> str:
    """One line of visible text, not too long, with at least one letter or digit."""
    name = " ".join(raw.split())
    if not name:
        raise ChangeError(messages.NAME_MISSING)
    if len(name) > MAX_NAME:
        raise ChangeError(messages.NAME_TOO_LONG.format(length=len(name), limit=MAX_NAME))
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise ChangeError(messages.NAME_INVISIBLE)
    if not any(ch.isalnum() for ch in name):
        raise ChangeError(messages.NAME_NO_LETTER)
    return name


def _unknown(kind: str, name: str, close: list[str] | None) -> str:
    hint = messages.DID_YOU_MEAN.format(names=" or ".join(f"`{c}`" for c in close[:3])) if close else ""
    where = messages.NAME_UNKNOWN_REGION if kind == "region" else messages.NAME_UNKNOWN_GROUP
    return messages.NAME_UNKNOWN.format(kind=kind, name=_esc(name), where=where, hint=hint)


# ---- changes -------------------------------------------------------------------------------


def change_watch(
    store: Store,
    matcher: Matcher,
    team: Team,
    *,
    action: str,
    kind: str,
    raw: str,
    user_id: str,
    now: datetime,
) -> Outcome:
    """Add or remove one region, group or keyword; audited; a no-op says so and stores nothing."""
    if kind not in WATCH_FIELDS:
        raise ChangeError(messages.WATCH_BAD_KIND.format(action=action, kind=kind))
    names = getattr(team.watch, WATCH_FIELDS[kind])
    if action == "add":
        value = canonical(matcher, kind, raw)
        if _find(names, value):
            return Outcome(False, messages.WATCH_ALREADY.format(team=team.name, kind=kind, value=value))
    else:
        value = _find(names, clean_name(raw)) or _find(names, _canonical_or_raw(matcher, kind, raw))
        if value is None:
            listed = ", ".join(names) or messages.NONE
            raise ChangeError(
                messages.WATCH_NOT_WATCHED.format(
                    team=team.name, kind=kind, name=_esc(raw), field=WATCH_FIELDS[kind], listed=_esc(listed)
                )
            )
    store.record_team_change(TeamChange(team.name, action, kind, value, user_id), now=now)
    done = messages.WATCH_ADDED if action == "add" else messages.WATCH_REMOVED
    return Outcome(True, done.format(team=team.name, kind=kind, value=value))


def _canonical_or_raw(matcher: Matcher, kind: str, raw: str) -> str:
    try:
        return canonical(matcher, kind, raw)
    except ChangeError:
        return raw


def set_require(store: Store, team: Team, raw: str, *, user_id: str, now: datetime) -> Outcome:
    value = raw.strip().lower()
    if value not in REQUIRES:
        raise ChangeError(messages.REQUIRE_BAD.format(value=_esc(raw)))
    if team.watch.require == value:
        return Outcome(False, messages.REQUIRE_ALREADY.format(team=team.name, value=value))
    store.record_team_change(TeamChange(team.name, "require", "require", value, user_id), now=now)
    return Outcome(True, messages.REQUIRE_SET.format(team=team.name, what=_require_words(value)))


def mute(
    store: Store,
    matcher: Matcher,
    team: Team,
    *,
    kind: str,
    raw: str,
    duration: str | None,
    user_id: str,
    now: datetime,
) -> Outcome:
    value = _mute_value(store, matcher, kind, raw)
    until = None
    if duration is not None:
        try:
            until = now + _seconds(duration)
        except ValueError:
            raise ChangeError(messages.MUTE_BAD_DURATION.format(duration=_esc(duration))) from None
    store.add_mute(Mute(team.name, kind, value, until, user_id), now=now)
    store.record_team_change(TeamChange(team.name, "mute", kind, value, user_id, until=until), now=now)
    return Outcome(
        True, messages.MUTED.format(team=team.name, kind=kind, value=value, until=until_words(until))
    )


def unmute(
    store: Store, matcher: Matcher, team: Team, *, kind: str, raw: str, user_id: str, now: datetime
) -> Outcome:
    if kind not in MUTE_KINDS:
        raise ChangeError(_bad_mute_kind(kind))
    active = store.active_mutes(team.name, now=now)
    hit = next(
        (
            m
            for m in active
            if m.kind == kind
            and (same_name(m.value, raw) or same_name(m.value, _canonical_or_raw(matcher, kind, raw)))
        ),
        None,
    )
    if hit is None:
        raise ChangeError(messages.UNMUTE_NOTHING.format(team=team.name, kind=kind, name=_esc(raw)))
    store.remove_mute(team.name, kind, hit.value)
    store.record_team_change(TeamChange(team.name, "unmute", kind, hit.value, user_id), now=now)
    return Outcome(True, messages.UNMUTED.format(team=team.name, kind=kind, value=hit.value))


def _mute_value(store: Store, matcher: Matcher, kind: str, raw: str) -> str:
    if kind not in MUTE_KINDS:
        raise ChangeError(_bad_mute_kind(kind))
    if kind != "story":
        return canonical(matcher, kind, raw)
    story_id = raw.strip().lower()
    if not _STORY_ID.match(story_id) or store.story(story_id) is None:
        raise ChangeError(messages.MUTE_NO_STORY.format(name=_esc(raw)))
    return story_id


def _bad_mute_kind(kind: str) -> str:
    return messages.MUTE_BAD_KIND.format(
        kinds=", ".join(MUTE_KINDS[:-1]), last=MUTE_KINDS[-1], kind=_esc(kind)
    )


def _seconds(duration: str) -> timedelta:
    seconds = parse_duration(duration)
    if seconds > 366 * 86400:
        raise ValueError("too long")
    return timedelta(seconds=seconds)


# ---- words ---------------------------------------------------------------------------------


def describe_watch(team: Team) -> str:
    """The watch in words (plain text: the Slack layer escapes it)."""
    w = team.watch
    parts = []
    if w.regions:
        parts.append(messages.WATCH_PLACES.format(names=", ".join(w.regions)))
    if w.groups:
        parts.append(messages.WATCH_GROUPS.format(names=", ".join(w.groups)))
    if w.keywords:
        parts.append(messages.WATCH_KEYWORDS.format(names=", ".join(w.keywords)))
    if not parts:
        return messages.WATCH_NOTHING.format(team=team.name)
    lines = [
        messages.WATCH_DESCRIBED.format(team=team.name, parts="; ".join(parts)),
        messages.WATCH_FIRES_ON.format(what=_require_words(w.require)),
        messages.WATCH_TOPICS[w.topics],
    ]
    if w.exclude:
        lines.append(messages.WATCH_NEVER_ON.format(names=", ".join(w.exclude)))
    return "\n".join(lines)


def _require_words(require: str) -> str:
    return messages.REQUIRE_BOTH if require == "region_and_group" else messages.REQUIRE_ANY


def until_words(until: datetime | None) -> str:
    return messages.UNTIL.format(at=until) if until else messages.UNTIL_UNMUTED


def change_line(c: TeamChange) -> str:
    """One audit row in words (plain text, apart from the user mention)."""
    when = messages.HISTORY_WHEN.format(at=c.created_at) if c.created_at else ""
    what = messages.HISTORY_WHAT.get(c.action, messages.HISTORY_WHAT_OTHER).format(
        action=c.action, kind=c.kind, value=c.value, until=until_words(c.until)
    )
    return messages.HISTORY_LINE.format(when=when, user=c.user_id, what=what.strip())


def _esc(text: str) -> str:
    """User text quoted back in a message: cut short (the Slack layer escapes whole messages)."""
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


# ---- a team's word on one of its story cards ---------------------------------------------
# What a thread mention or a card button says (mute, unmute, "not relevant"). A story mute is
# what the pipeline checks before queuing the team's next reply, so muting here stops the
# thread; other teams' cards of the same story are untouched.

NOT_RELEVANT = "not_relevant"


def story_muted(store: Store, card: OutboxAlert, *, now: datetime) -> bool:
    return any(m.kind == "story" and m.value == card.story_id for m in store.active_mutes(card.team, now=now))


def mute_story(
    store: Store, card: OutboxAlert, *, user: str, now: datetime, reason: str | None = None
) -> Outcome:
    """Mute the card's story for the card's team (until unmuted)."""
    already = story_muted(store, card, now=now)
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
