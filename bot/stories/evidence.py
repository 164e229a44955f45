"""What one report says about its event (`features`), and how far a report and an open story
agree that they are one event (`weigh`).

Evidence, besides the words: the names both use, weighted by how rare they are; the places
and armed groups the matcher found (a place named only in the dateline does not count); the
kind of event (an attack is not the flood or the food convoy in the same town); the toll
within a day or two ("12 killed" and "douze militaires tués"); an event named by its name
("the Derna floods", "les inondations de Derna"). Across languages only what needs no
translation is compared: names, numbers, places, groups and kinds of event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.stories.coarse import capitals, coarse_words
from bot.stories.dateline import headline_label, outside_dateline, report_span
from bot.stories.doc import StoryDoc
from bot.stories.lexicon import SECURITY_FAMILIES, families, kinds_in, rare_kind
from bot.stories.names import named_events, names
from bot.stories.text import content_words, language
from bot.stories.tolls import same_toll
from bot.stories.tolls import toll as read_toll
from bot.stories.urls import normalise_text
from bot.stories.words import generic

LEAD_CHARS = 1500  # the lead says which event; the rest of an article drifts into context
_FIRST_SENTENCE = 300  # where to look for the kind of event when the headline names none


@dataclass(frozen=True)
class Features:
    id: str
    when: datetime | None
    lang: str | None
    outlet: str  # who wrote it: an aggregator's named outlet, else the source ("" unknown)
    label: str  # the headline's topic label ("Retraites : ..."), folded; "" if none
    words: frozenset[str]  # content words of headline and lead
    title_words: frozenset[str]  # headlines alone say the event most densely
    names: frozenset[str]  # the words that are names
    actors: frozenset[str]  # words of the armed groups' names: who, not which event
    kinds: frozenset[str]  # kinds of event the headline names (attack, earthquake, ...)
    families: frozenset[str]  # and their families (violence, disaster, ...)
    toll: int | None
    events: frozenset[str]  # named events, "disaster:derna"
    places: frozenset[str]  # folded; dateline-only places left out
    admin1: frozenset[str]
    groups: frozenset[str]
    countries: frozenset[str]

    def index_keys(self) -> frozenset[str]:
        """Words, and entities whatever the alias or language ("GSIM" / "JNIM", "Tombouctou")."""
        entities = {f"@{p}" for p in self.places} | {f"@{g}" for g in self.groups}
        return self.words | {f"!{e}" for e in self.events} | entities


def features(doc: StoryDoc, when: datetime | None) -> Features:
    span = report_span(doc.text)
    lead = doc.text[span.start : span.end][:LEAD_CHARS]
    lang = doc.language or language(f"{doc.title}\n{lead}")
    places = _fold_all(outside_dateline(doc.places, doc.title, doc.text))
    groups = _fold_all(doc.groups)
    title = frozenset(content_words(_unlabelled(doc.title), lang))
    words = title | frozenset(content_words(lead, lang))
    found = names(doc.title, lead, lang)
    kinds = kinds_in(doc.kind) if doc.kind else (kinds_in(doc.title) or kinds_in(lead[:_FIRST_SENTENCE]))
    toll = doc.toll if doc.toll is not None else (read_toll(doc.title, lang) or read_toll(lead[:400], lang))
    return Features(
        id=doc.id,
        when=when,
        lang=lang,
        outlet=normalise_text(span.outlet or doc.source),
        label=_topic_label(doc.title),
        words=words,
        title_words=title,
        names=found & words,
        actors=frozenset(w for g in doc.groups for w in content_words(g, lang)) & words,
        kinds=kinds,
        families=families(kinds),
        toll=toll,
        events=named_events(doc.title, lead, found, lang),
        places=places,
        admin1=_fold_all(doc.admin1) & places,
        groups=groups,
        countries=frozenset(c.upper() for c in doc.countries),
    )


def _topic_label(title: str) -> str:
    """A headline label that names a topic, not a place ("Retraites : ", "Crue : "): outlets
    put one on every report of a running story, so two reports sharing it are one clue."""
    label, _ = headline_label(title)
    words = content_words(label)
    return " ".join(words) if words and not all(w in coarse_words() for w in words) else ""


def _unlabelled(title: str) -> str:
    """A headline without a section label of country or region names ("Africa: ", "Mali : "):
    every headline of a section has it, so it says nothing about which event."""
    label, rest = headline_label(title)
    if label and all(w in coarse_words() for w in content_words(label)):
        return rest
    return title


def _fold_all(names_: frozenset[str]) -> frozenset[str]:
    return frozenset(n.replace(" ", "_") for n in (normalise_text(x) for x in names_) if n)


# -- a report against a story ---------------------------------------------------------------


@dataclass
class StorySide:
    """What an open story says, as `weigh` reads it (kept up to date by the clusterer)."""

    id: str
    last: datetime | None
    places: set[str] = field(default_factory=set)
    admin1: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    families: set[str] = field(default_factory=set)
    tolls: set[int] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    langs: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Verdict:
    """Why a report would or would not join one story: every piece of evidence and its weight."""

    story_id: str
    score: float
    text: float  # the best of: like its nearest report, like the story's word profile
    nearest: str | None  # the report of the story it is most like
    names: tuple[str, ...] = ()  # shared names, rarest first
    adjustments: tuple[tuple[str, float], ...] = ()  # ("place djibo", 0.2), ("toll 12", 0.15)
    cross_language: bool = False
    blocked: str | None = None  # why it may not join at all

    def describe(self) -> str:
        if self.blocked:
            return f"blocked: {self.blocked}"
        bits = [f"text {self.text:.2f}"]
        bits += [f"{'+' if v >= 0 else '-'} {label}" for label, v in self.adjustments]
        return " ".join(bits)

    def to_json(self) -> dict:
        return {
            "story": self.story_id,
            "score": round(self.score, 4),
            "text": round(self.text, 4),
            "nearest": self.nearest,
            "names": list(self.names),
            "adjustments": {label: round(v, 4) for label, v in self.adjustments},
            "cross_language": self.cross_language,
            "blocked": self.blocked,
        }


def blocked(f: Features, s: StorySide) -> str | None:
    """A reason the two can never be one event, whatever the words say."""
    if f.countries and s.countries and not f.countries & s.countries:
        return f"countries differ ({'/'.join(sorted(f.countries))} vs {'/'.join(sorted(s.countries))})"
    a, b = _widen(f.families), _widen(frozenset(s.families))
    if a and b and not a & b and (a & SECURITY_FAMILIES or b & SECURITY_FAMILIES):
        # Between security events (a kidnapping beside an attack), or a security event against
        # other news (an attack, and a flood or a clinic opening in the same town).
        return f"kinds of event differ ({'/'.join(sorted(f.families))} vs {'/'.join(sorted(s.families))})"
    return None


def _widen(fams: frozenset[str]) -> frozenset[str]:
    # Protests turn into clashes ("running battles" with the police): one event, two words.
    return fams | {"violence"} if "protest" in fams else fams


@dataclass(frozen=True)
class Weights:
    place: float
    place_conflict: float
    group_conflict: float
    toll: float
    event: float
    kind: float
    kind_conflict: float
    toll_window: timedelta
    stale_per_day: float


def adjustments(
    f: Features, s: StorySide, w: Weights, place_rarity: Callable[[str], float], story_words
) -> list[tuple[str, float]]:
    """Evidence beyond the words, as (label, score change). `story_words`: every word the
    story's reports use."""
    out: list[tuple[str, float]] = []
    shared = f.places & s.places
    if shared:
        best = max(shared, key=lambda p: (_specificity(p, f, s) * place_rarity(p), p))
        out.append((f"place {best}", w.place * _specificity(best, f, s) * place_rarity(best)))
    else:
        region = _region_named(f, s, story_words)
        if region:
            out.append((f"place {region}", w.place * 0.5 * place_rarity(region)))
    towns, story_towns = _towns(f.places, f.admin1), _towns(s.places, s.admin1)
    if towns and story_towns and not towns & story_towns:
        # Two towns, even in one province, are two events more often than one.
        out.append(("places differ", -w.place_conflict))
    if f.groups and s.groups and not f.groups & s.groups:
        out.append(("groups differ", -w.group_conflict))
    if f.families and s.families and not _widen(f.families) & _widen(frozenset(s.families)):
        # Not forbidden (neither is a security event: a storm and the aid after it can be one
        # story), but a flood and a hospital opening in one town are two.
        out.append(("kinds differ", -w.kind_conflict))
    # The same kind of security event, or the same disaster, in one country within a day.
    same_kind = (f.families & s.families & SECURITY_FAMILIES) | {k for k in f.kinds & s.kinds if rare_kind(k)}
    if same_kind and f.countries & s.countries and _recent(f.when, s.last, w.toll_window / 2):
        out.append(
            (f"{'/'.join(sorted(same_kind))} in {'/'.join(sorted(f.countries & s.countries))}", w.kind)
        )
    if f.toll is not None and f.families & s.families and _recent(f.when, s.last, w.toll_window):
        if any(same_toll(f.toll, t) for t in s.tolls):
            out.append((f"toll {f.toll}", w.toll))
        elif s.tolls and (f.toll < 0.5 * min(s.tolls) or f.toll > 4 * max(s.tolls)):
            # Tolls rise as bodies are counted, rarely fall by half, and do not quadruple in a day.
            out.append((f"tolls differ ({f.toll} vs {'/'.join(map(str, sorted(s.tolls)))})", -w.toll))
    for e in sorted(f.events & s.events)[:1]:
        out.append((f"event {e}", w.event))
    if f.label and f.label in s.labels:
        out.append((f"label {f.label}", 0.0))  # a clue, no score: the word already counts
    quiet = _quiet_days(f.when, s.last)
    if quiet > 0.5:
        # A story quiet for days is less likely to be what a new report is about: the Fed's
        # minutes are not its rate decision of three days before.
        out.append((f"story quiet {quiet:.1f} days", -w.stale_per_day * (quiet - 0.5)))
    return out


def _quiet_days(when: datetime | None, last: datetime | None) -> float:
    if when is None or last is None:
        return 0.0
    return max(0.0, (when - last).total_seconds() / 86400)


def _region_named(f: Features, s: StorySide, story_words) -> str | None:
    """A region one report names by a word of its name and the other's matcher found ("Darfur"
    in a headline, "North Darfur" from El Fasher): the same region, at least."""
    for regions, words in ((s.admin1, f.words), (f.admin1, story_words)):
        for region in sorted(regions):
            if any(part in words and part not in generic() for part in region.split("_") if len(part) > 3):
                return region
    return None


def _towns(places, admin1) -> frozenset[str]:
    """Places that are towns: not a first-level region, not a capital (a venue, not a scene)."""
    return frozenset(p for p in places if p not in admin1 and p not in capitals())


def _specificity(place: str, f: Features, s: StorySide) -> float:
    """A town says where the event was; a region or a capital (where summits, ministries and
    datelines are) much less."""
    if place in capitals():
        return 0.3
    return 0.5 if place in f.admin1 or place in s.admin1 else 1.0


def _recent(when: datetime | None, last: datetime | None, window: timedelta) -> bool:
    return when is None or last is None or abs(when - last) <= window


def cross_language(f: Features, s: StorySide) -> bool:
    return bool(f.lang and s.langs and f.lang not in s.langs)


def cross_language_backed(f: Features, s: StorySide, shared_weight: float, enough: float) -> bool:
    """Across languages few words can be shared, and a handful of tokens on each side makes any
    cosine high ("Mali" and "Mali"). Joining needs something only that event shares: the place,
    an armed group, the event's name, the same toll of the same kind of event, or shared words
    that weigh as much as a rare name (a minister's name, "mpox"; not "Burkina Faso")."""
    if f.places & s.places or f.groups & s.groups or f.events & s.events:
        return True
    if f.toll is not None and f.families & s.families and any(same_toll(f.toll, t) for t in s.tolls):
        return True
    return shared_weight >= enough
