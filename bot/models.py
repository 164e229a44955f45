"""Small frozen values that stages pass to each other.

Only `pipeline` knows the order of stages; each stage takes and returns these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Item:
    """One article as a source delivered it (after parsing, before matching)."""

    source_id: str
    guid: str  # stable id inside its source: feed GUID, else link, else a content hash
    url: str
    title: str
    summary: str = ""  # what the feed carried (plain text)
    text: str = ""  # full article text when it was extracted
    published: datetime | None = None  # timezone-aware UTC, or None when unknown
    language: str | None = None

    @property
    def body(self) -> str:
        """The text the matcher reads: title, then the fullest text we have."""
        return f"{self.title}\n{self.text or self.summary}".strip()


Span = tuple[int, int]


@dataclass(frozen=True)
class Admin1:
    country: str  # ISO 3166-1 alpha-2
    name: str  # GeoNames admin1 name, e.g. "Mopti"


@dataclass(frozen=True)
class Place:
    name: str
    country: str
    admin1: str | None
    lat: float | None
    lon: float | None
    span: Span
    reason: str = ""  # why this reading of the name was kept


@dataclass(frozen=True)
class GroupMention:
    name: str  # canonical catalogue name
    aliases: tuple[str, ...]
    affiliation: str | None  # e.g. "al-Qaeda", "Islamic State"
    span: Span
    reason: str = ""
    state: bool = False  # a state's armed forces (SAF, FAMa): `match` lists them as "forces"


@dataclass(frozen=True)
class Mentions:
    """What one text is about; every entry traces back to a span of the text."""

    countries: tuple[str, ...] = ()
    admin1: tuple[Admin1, ...] = ()
    places: tuple[Place, ...] = ()
    regions: tuple[str, ...] = ()
    groups: tuple[GroupMention, ...] = ()
    # Where the report was filed ("NAIROBI, Kenya (Reuters) —"): shown as "filed from", never
    # part of countries, admin1, places or regions unless the text names it again.
    dateline: Place | None = None
    # Countries that only the forces that acted, an armed group's home or a border gave, each with
    # what gave it ("AF", "Taliban (the group's home)"): the *Why* line says so, not "named in text".
    implied: tuple[tuple[str, str], ...] = ()

    def to_json(self, item_id: str) -> dict:
        """The `match` output contract of DESIGN.md; `implied` only when there is one."""
        out = {
            "id": item_id,
            "countries": list(self.countries),
            "admin1": [{"country": a.country, "name": a.name} for a in self.admin1],
            "places": [_place_json(p) for p in self.places],
            "regions": list(self.regions),
            "groups": [_group_json(g) for g in self.groups if not g.state],
            "forces": [_group_json(g) for g in self.groups if g.state],
            "dateline": _place_json(self.dateline) if self.dateline else None,
        }
        if self.implied:
            out["implied"] = dict(self.implied)
        return out


def _group_json(g: GroupMention) -> dict:
    return {"name": g.name, "aliases": list(g.aliases), "affiliation": g.affiliation, "span": list(g.span)}


def _place_json(p: Place) -> dict:
    return {
        "name": p.name,
        "country": p.country,
        "admin1": p.admin1,
        "lat": p.lat,
        "lon": p.lon,
        "span": list(p.span),
    }


@dataclass(frozen=True)
class TeamMatch:
    """A team whose watch fired for a text, and the rule lines that fired."""

    team: str
    reasons: tuple[str, ...] = field(default_factory=tuple)  # e.g. ('region "Sahel" via Boulikessi',)


# ---- events (bot.event) -------------------------------------------------------------------

NO_EVENT = "none"  # the kind of an item that is not security news


@dataclass(frozen=True)
class Evidence:
    text: str  # the words, verbatim from the item's text
    span: tuple[int, int]  # where they are in it (start, end)


@dataclass(frozen=True)
class Event:
    """Whether an item reports a conflict or security event, which kind, and the words that show it."""

    security: bool
    kind: str  # a kind of bot/event/vocabulary.yaml ("attack", "battle", ...) or "none"
    evidence: tuple[Evidence, ...] = ()  # the words that made it an event
    reason: str = ""  # for people: what made it an event, or why not
    score: float = 0.0
    language: str = ""  # "en", "fr", "en+fr" as read (given or guessed)

    def to_json(self) -> dict:
        """The `event` field of `python -m bot match` (docs/relevance.md, "Contract")."""
        return {
            "security": self.security,
            "kind": self.kind,
            "evidence": [{"text": e.text, "span": list(e.span)} for e in self.evidence],
        }

    @property
    def why(self) -> str:
        """The card's words for what made it an event: 'attack: "gunmen killed 12", "ambush"'."""
        if not self.security:
            return "not security news"
        words = ", ".join(f'"{e.text}"' for e in self.evidence[:3])
        kind = self.kind.replace("_", " ")
        return f"{kind}: {words}" if words else kind


# ---- summaries (bot.stories.summarize) ----------------------------------------------------

KINDS = ("event", "where", "who", "toll", "qualifier")  # the kinds of Fact, in card order


@dataclass(frozen=True)
class Fact:
    kind: str  # one of KINDS
    value: str
    evidence: str  # the sentence it was read from, verbatim
    span: tuple[int, int]  # the fact's words in the body


@dataclass(frozen=True)
class Summary:
    sentences: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()

    def of(self, kind: str) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts if f.kind == kind)

    @property
    def toll(self) -> str | None:
        """The event's toll, e.g. "30+ soldiers killed"; deaths before other harm."""
        tolls = self.of("toll")
        killed = [f for f in tolls if f.value.endswith("killed")]
        return (killed or tolls)[0].value if tolls else None

    @property
    def toll_note(self) -> str | None:
        """How sure the toll is ("unverified", "claimed"), from the toll's own sentence."""
        tolls = [f for f in self.of("toll") if f.value == self.toll]
        if not tolls:
            return None
        # "claimed" in that sentence is about responsibility, not about the number.
        notes = [
            q.value for q in self.of("qualifier") if q.evidence == tolls[0].evidence and q.value != "claimed"
        ]
        notes.sort(key=lambda v: v != "unverified")
        kept = [v for i, v in enumerate(notes) if not any(p in v for p in notes[:i])]
        return ", ".join(kept) or None


@dataclass(frozen=True)
class ReplyDetails:
    """What a follow-up report adds to its story's thread."""

    new_facts: tuple[str, ...] = ()  # e.g. "toll: 40+ soldiers killed"
    broadcast_reason: str | None = None  # set when the change deserves the channel's attention
