"""Team watches: the YAML is the seed, changes made in Slack are replayed over it.

Every change (watch edit, mute, unmute) is one row of the append-only change log, which
is both the durable state (it survives restarts and is shared by replicas) and the audit
trail `watch history` shows: who, when, what.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

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
        raise ChangeError("Give a name after the kind, e.g. `Mopti`.")
    if len(name) > MAX_NAME:
        raise ChangeError(f"That name is {len(name)} characters long; the limit is {MAX_NAME}.")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise ChangeError("That name contains invisible control characters; type it plainly.")
    if not any(ch.isalnum() for ch in name):
        raise ChangeError("A name needs at least one letter or digit.")
    return name


def _unknown(kind: str, name: str, close: list[str] | None) -> str:
    hint = f" Did you mean {' or '.join(f'`{c}`' for c in (close or [])[:3])}?" if close else ""
    where = "gazetteer (places, admin1, countries, regions)" if kind == "region" else "group catalogue"
    return f"I don't know the {kind} `{_esc(name)}` in the {where}.{hint} Nothing was changed."


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
        raise ChangeError(f"You can {action} a region, group or keyword, not `{kind}`.")
    names = getattr(team.watch, WATCH_FIELDS[kind])
    if action == "add":
        value = canonical(matcher, kind, raw)
        if _find(names, value):
            return Outcome(False, f"{team.name} already watches the {kind} {value}.")
    else:
        value = _find(names, clean_name(raw)) or _find(names, _canonical_or_raw(matcher, kind, raw))
        if value is None:
            listed = ", ".join(names) or "none"
            raise ChangeError(
                f"{team.name} does not watch the {kind} `{_esc(raw)}` "
                f"(its {WATCH_FIELDS[kind]}: {_esc(listed)}). Nothing was changed."
            )
    store.record_team_change(TeamChange(team.name, action, kind, value, user_id), now=now)
    done = "now watches" if action == "add" else "no longer watches"
    return Outcome(True, f"{team.name} {done} the {kind} {value}.")


def _canonical_or_raw(matcher: Matcher, kind: str, raw: str) -> str:
    try:
        return canonical(matcher, kind, raw)
    except ChangeError:
        return raw


def set_require(store: Store, team: Team, raw: str, *, user_id: str, now: datetime) -> Outcome:
    value = raw.strip().lower()
    if value not in REQUIRES:
        raise ChangeError(
            f"`require` takes `any` or `region_and_group`, not `{_esc(raw)}`. Nothing was changed."
        )
    if team.watch.require == value:
        return Outcome(False, f"{team.name} already requires {value}.")
    store.record_team_change(TeamChange(team.name, "require", "require", value, user_id), now=now)
    return Outcome(True, f"{team.name} now alerts on {_require_words(value)}.")


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
            raise ChangeError(
                f"`for {_esc(duration)}` is not a duration; use e.g. `for 24h`, "
                "`for 30m` or `for 7d`. Nothing was changed."
            ) from None
    store.add_mute(Mute(team.name, kind, value, until, user_id), now=now)
    store.record_team_change(TeamChange(team.name, "mute", kind, value, user_id, until=until), now=now)
    return Outcome(True, f"{team.name}: {kind} {value} muted {until_words(until)}.")


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
        raise ChangeError(
            f"{team.name} has no active mute on the {kind} `{_esc(raw)}`. See `/lookout mutes`."
        )
    store.remove_mute(team.name, kind, hit.value)
    store.record_team_change(TeamChange(team.name, "unmute", kind, hit.value, user_id), now=now)
    return Outcome(True, f"{team.name}: {kind} {hit.value} unmuted.")


def _mute_value(store: Store, matcher: Matcher, kind: str, raw: str) -> str:
    if kind not in MUTE_KINDS:
        raise ChangeError(_bad_mute_kind(kind))
    if kind != "story":
        return canonical(matcher, kind, raw)
    story_id = raw.strip().lower()
    if not _STORY_ID.match(story_id) or store.story(story_id) is None:
        raise ChangeError(
            f"No story `{_esc(raw)}`. Story ids look like `s-1a2b3c4d5e6f`; `/lookout search` shows them."
        )
    return story_id


def _bad_mute_kind(kind: str) -> str:
    return f"You can mute a {', '.join(MUTE_KINDS[:-1])} or {MUTE_KINDS[-1]}, not `{_esc(kind)}`."


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
        parts.append("places: " + ", ".join(w.regions))
    if w.groups:
        parts.append("groups: " + ", ".join(w.groups) + " (with their affiliates)")
    if w.keywords:
        parts.append("keywords: " + ", ".join(w.keywords))
    if not parts:
        return f"{team.name} watches nothing yet, so it gets no alerts."
    lines = [
        f"{team.name} watches " + "; ".join(parts) + ".",
        f"An alert fires on {_require_words(w.require)}.",
    ]
    if w.exclude:
        lines.append("Never on: " + ", ".join(w.exclude) + ".")
    return "\n".join(lines)


def _require_words(require: str) -> str:
    if require == "region_and_group":
        return "a story naming both a watched place and a watched group"
    return "any watched place, group or keyword"


def until_words(until: datetime | None) -> str:
    return f"until {until:%Y-%m-%d %H:%M} UTC" if until else "until unmuted"


def change_line(c: TeamChange) -> str:
    """One audit row in words (plain text, apart from the user mention)."""
    when = f"{c.created_at:%Y-%m-%d %H:%M} UTC" if c.created_at else ""
    what = {
        "add": f"added {c.kind} {c.value}",
        "remove": f"removed {c.kind} {c.value}",
        "require": f"set require {c.value}",
        "mute": f"muted {c.kind} {c.value} {until_words(c.until)}",
        "unmute": f"unmuted {c.kind} {c.value}",
    }.get(c.action, f"{c.action} {c.kind} {c.value}")
    return f"{when} — {c.user_id}: {what}"


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
