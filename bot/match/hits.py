"""Names found in a text and what the text around them says: the readings of each name
(cached per name), each hit with its context, and the text's lines (headline case, shouting).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from pathlib import Path

import yaml

from bot.match.fold import Folded
from bot.match.index import ADMIN1, COUNTRY, DEMONYM, GROUP, IGNORE, PLACE, REGION, letters

_PARTICLE_AT = re.compile(r"(?:al|el|ad|an|ar|as|ash|at|az|ed|d|l) ")  # an article, folded


@cache
def words() -> dict[str, frozenset[str]]:
    """The reviewed vocabulary of bot/match/words.yaml, each list as a set."""
    data = yaml.safe_load((Path(__file__).parent / "words.yaml").read_text("utf-8"))
    return {k: frozenset(v) for k, v in data.items()}


PLACE_CUES = words()["place_cues"]
CALENDAR = words()["calendar"]
ADMIN1_WORDS, BELOW_WORDS = words()["division_admin1"], words()["division_below"]
JOINS, PLACE_BEFORE, PLACE_AFTER = (
    words()["division_joins"],
    words()["place_words_before"],
    words()["place_words_after"],
)


def _division(phrase: str) -> str | None:
    if phrase in ADMIN1_WORDS:
        return "admin1"
    return "below" if phrase in BELOW_WORDS else None


_DIVISION_FIRST = frozenset(w.split()[0] for w in ADMIN1_WORDS | BELOW_WORDS)
_CUE_WORDS = _DIVISION_FIRST | frozenset(w.split()[0] for w in PLACE_BEFORE | PLACE_AFTER)
_NO_CUES = (None, False)


def _read_cues(t: Text, h: Hit) -> tuple[str | None, bool]:
    """The division word and place word around a name, read on the folded text (one search of
    the text first: most texts have no such word at all)."""
    if t.any_cue is None:
        t.any_cue = not _CUE_WORDS.isdisjoint(t.folded.text.lower().split())
    if not t.any_cue:
        return _NO_CUES
    ft = t.folded.text
    after = ft[h.last + 1 : h.last + 40].lower().split(" ", 3)[:3]
    before = ft[max(0, h.first - 40) : h.first].lower().split(" ")[-4:-1]
    while before and before[-1] in JOINS:
        before.pop()
    division = None  # a phrase is looked up only where its first word is one's ("local …")
    if after[0] in _DIVISION_FIRST:
        division = _division(after[0]) or _division(" ".join(after[:2])) or _division(" ".join(after[:3]))
    if division is None and _DIVISION_FIRST.intersection(before[-2:]) and not _after_stop(t, h):
        division = _division(before[-1]) or (_division(" ".join(before[-2:])) if len(before) > 1 else None)
    return division, after[0] in PLACE_AFTER or bool(before and before[-1] in PLACE_BEFORE)


def _after_stop(t: Text, h: Hit) -> bool:
    """A comma or stop just before the name: a division word before it is the end of the
    previous name ("in Gimbi district, West Wollega"), not this one's kind."""
    text, i = t.text, h.span[0] - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    return i >= 0 and text[i] in ",;:.)"


COMMON_WORD = 40  # wordfreq zipf × 10 from which a name is also an everyday word ("Say", "Hope")
FAR_CITY = 500_000  # a town abroad, in a text about another country, must be this big
METROPOLIS = 1_000_000  # outweighs a namesake hamlet in a country the text names
BIG_TOWN = 100_000
TOWN = 15_000


@dataclass(frozen=True, slots=True)
class Reading:
    kind: int
    idx: int
    country: str
    pop: int = 0  # a town's population; 0 for any other reading
    admin1: int = -1  # a town's admin1
    supp: bool = False  # a town from the reviewed supplement
    level: int = 0  # a town 0; an administrative division below admin1: 2 (province…), 3 (commune)
    admin2: int = -1  # the second-level division it is in (or is), -1 unknown

    @property
    def division(self) -> bool:
        """An administrative division (admin1, province, commune), not a populated place."""
        return self.kind == ADMIN1 or self.level > 0


_POP = attrgetter("pop")


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """What the index says about one name, read once per name, not once per hit."""

    readings: tuple[Reading, ...]
    no_actor: tuple[Reading, ...]  # without group and country readings
    no_geo: tuple[Reading, ...]  # without town and admin1 readings
    neither: tuple[Reading, ...]
    geo: tuple[Reading, ...]  # the town and admin1 readings
    place_only: bool  # every reading is a town or admin1
    has_group: bool
    has_region: bool
    ignored: bool  # a phrase the supplement says is never a place
    exact: frozenset[str] | None  # the letters its group/country readings must be written with
    common: int  # how everyday a word it is (wordfreq zipf × 10)
    calendar: bool  # a month or weekday: "24 May 2010" is not May, Gujarat
    names_country: bool  # has a country or demonym reading
    meant: tuple[str, ...]  # the countries of its country and demonym readings
    meant_no_actor: tuple[str, ...]  # of its demonym readings only
    geo_countries: frozenset[str]  # the countries of its town and admin1 readings
    division_countries: frozenset[str]  # the countries of its division readings (admin1, province…)
    # Some town or admin1 reading could stand with no country in the text to back it: in a
    # text that names no country, or in one that names others.
    alone: bool
    alone_abroad: bool
    short: bool  # short enough to be an acronym
    opener: bool  # a town name so common a word ("The", "Many") that it often opens sentences
    # A town or admin1 name with no other meaning to weigh per hit (no group, country or date
    # reading): written with a capital, and not as an acronym if short, it is a possible town.
    plain: bool
    top: Reading | None  # the town or admin1 reading of the largest population (the first of equals)
    geo_order: tuple[str, ...]  # geo_countries and division_countries sorted, to vote in a fixed order
    division_order: tuple[str, ...]

    @classmethod
    def of(
        cls, readings: tuple[Reading, ...], name: str, exact, common: int, alone: tuple[bool, bool]
    ) -> KeyInfo:
        actor, geo = (GROUP, COUNTRY), (PLACE, ADMIN1)
        kinds = {r.kind for r in readings}
        places = tuple(r for r in readings if r.kind in geo)
        return cls(
            readings,
            tuple(r for r in readings if r.kind not in actor),
            tuple(r for r in readings if r.kind not in geo),
            tuple(r for r in readings if r.kind not in actor + geo),
            places,
            kinds <= set(geo),
            GROUP in kinds,
            REGION in kinds,
            IGNORE in kinds,
            exact,
            common,
            name.lower() in CALENDAR,
            bool(kinds & {COUNTRY, DEMONYM}),
            tuple(r.country for r in readings if r.kind in (COUNTRY, DEMONYM)),
            tuple(r.country for r in readings if r.kind == DEMONYM),
            frozenset(r.country for r in places),
            frozenset(r.country for r in places if r.division),
            *alone,
            len(name) <= 5,
            kinds <= set(geo) and common >= COMMON_WORD + 10,
            bool(places) and exact is None and not kinds & {GROUP, IGNORE} and name.lower() not in CALENDAR,
            max(places, key=_POP) if places else None,
            tuple(sorted({r.country for r in places})),
            tuple(sorted({r.country for r in places if r.division})),
        )


@dataclass(slots=True)
class Hit:
    """One name found in a text, and what its context says about it."""

    t: Text
    info: KeyInfo
    first: int  # in the folded text
    last: int  # in the folded text (exclusive)
    capitalised: bool  # written with a capital ("Say", not "say"); weak_capital says how much that tells
    common: int
    readings: tuple[Reading, ...]
    # May be a town: capitalised, with town readings that no other meaning rules out (a group or
    # region name always does, a country or demonym once that country is in the text:
    # "Djibouti").
    town: bool = False
    meant_countries: tuple[str, ...] = ()
    # Read only when a town reading of the name is weighed (see Text):
    capital_read: bool = False  # `common` and `weak_capital` account for the line's case
    weak_capital: bool = False  # capital says nothing: sentence start, headline case
    after_name: bool | None = None  # follows an unknown capitalised word ("Michael Langley")
    _cues: tuple[str | None, bool] | None = None  # see division, place_word
    _span: tuple[int, int] | None = None

    @property
    def span(self) -> tuple[int, int]:
        """Where it is in the original text (found on first use: most hits never need it)."""
        if self._span is None:
            self._span = self.t.folded.span(self.first, self.last)
        return self._span

    @property
    def division(self) -> str | None:
        """A division word next to the name: "below" ("Soum province", "cercle de Douentza"),
        "admin1" ("Mopti region"), or None (read on first use)."""
        if self._cues is None:
            self._cues = _read_cues(self.t, self)
        return self._cues[0]

    @property
    def place_word(self) -> bool:
        """A place word next to the name ("the village of X", "X market")."""
        if self._cues is None:
            self._cues = _read_cues(self.t, self)
        return self._cues[1]

    @property
    def surface(self) -> str:
        start, end = self.span
        return self.t.text[start:end]


class Resolved:
    """The resolver's working for one text (a plain class: one is made per text)."""

    __slots__ = (
        "active",
        "admin1",
        "apposed",
        "countries",
        "dateline",
        "done",
        "focus",
        "groups",
        "implied",
        "places",
        "regions",
        "votes",
        "weak_active",
    )

    def __init__(self) -> None:
        # Countries and admin1 in the order found (dicts as ordered sets); the output explains
        # them through the places and names that brought them.
        self.countries: dict[str, None] = {}
        self.admin1: dict[int, None] = {}
        self.places: list[tuple[int, Hit, str]] = []
        self.regions: list[tuple[int, Hit]] = []
        self.groups: list[tuple[int, Hit]] = []
        # Country focus: (country, weight, why, hit) for each vote, and the countries it settled on.
        self.votes: list[tuple[str, float, str, Hit | None]] = []
        self.focus: dict[str, float] = {}
        self.dateline: tuple[int, str, tuple[int, int]] | None = None  # (place index, reason, span)
        self.done: set[int] = set()  # ids of hits already read as places
        # The home countries of the armed groups named (in full), each with the group's name as written.
        self.active: dict[str, str] = {}
        self.weak_active: dict[str, str] = {}  # the same for a bare acronym or an actor of many states
        self.apposed: dict[int, str] = {}  # a town's hit id → the country a demonym beside it names
        # Countries only the forces that acted, a group's home or a border gave (`focus.unplaced`):
        # country → ("forces" | "home" | "border", the hit), for the *Why* line.
        self.implied: dict[str, tuple[str, Hit]] = {}


class Text:
    """One text being resolved: its folded form, and the case of its headlines or lines (dev
    texts join headlines with ';'), read when a name needs it."""

    __slots__ = ("_caps", "_end", "_start", "_title", "any_cue", "folded", "hits", "text")

    def __init__(self, text: str):
        self.text = text
        self.folded = Folded.of(text)
        self.hits: list[Hit] | None = None  # every name found, once the resolver has them
        self.any_cue: bool | None = None  # has a division or place word anywhere (read once)
        # The line read last: names come in text order, so remembering one is enough.
        self._start = self._end = -1
        self._caps: bool | None = None
        self._title: bool | None = None

    def shouting(self, pos: int) -> bool:
        """Whether the line around `pos` is in capitals."""
        self._line(pos)
        if self._caps is None:
            self._caps = _all_caps(self.text[self._start : self._end])
        return self._caps

    def title_case(self, pos: int) -> bool:
        """Whether the line around `pos` is in title case."""
        self._line(pos)
        if self._title is None:
            self._title = _title_case(self.text, self._start, self._end)
        return self._title

    def _line(self, pos: int) -> None:
        if not self._start <= pos < self._end:
            text = self.text
            self._start = max(text.rfind("\n", 0, pos), text.rfind(";", 0, pos)) + 1
            ends = [e for e in (text.find("\n", pos), text.find(";", pos)) if e >= 0]
            self._end = min(ends) if ends else len(text)
            self._caps = self._title = None

    def capital_ok(self, h: Hit) -> bool:
        """Whether the capital of a possible town says enough to read it as one."""
        if h.info.common < COMMON_WORD + 5:
            return True  # rare enough as a word that even a headline capital will do
        self.read_capital(h)
        return not (h.weak_capital and h.common >= COMMON_WORD + 10)

    def read_capital(self, h: Hit) -> None:
        """Notes on the hit how common a word it looks, given its line's case, and whether its
        capital is weak."""
        if h.capital_read:
            return
        h.capital_read = True
        informative = not self.shouting(h.span[0]) and not self.title_case(h.span[0])
        if not informative and " " not in h.surface.strip():
            h.common += 5  # a capital in a headline says less about a single word
        h.weak_capital = not informative or _sentence_start(self.text, h.span[0])

    def after_name(self, h: Hit) -> bool:
        """A town name that follows an unknown capitalised word is most often a surname."""
        if h.after_name is None:
            h.after_name = self._after_unknown_capital(h)
        return h.after_name

    def _after_unknown_capital(self, h: Hit) -> bool:
        folded, text = self.folded, self.text
        prev = folded.word_before(h.first)
        if prev is None:
            return False
        word = folded.text[prev[0] : prev[1]]
        if word.lower() in PLACE_CUES or word.lower() in PLACE_BEFORE:
            return False  # "Federal University Gusau", "Camp Kakuma": a venue named after the town
        if folded.cased and not (
            folded.text[prev[0]].isupper() and not folded.text[prev[0] : prev[1]].isupper()
        ):
            return False  # the folded word has the original's case
        s, e = folded.span(*prev)
        word = text[s:e]
        if not word[:1].isupper() or word.isupper():
            return False
        between = text[e : h.span[0]]
        if between == "-":  # "Comin-Yanga": part of a name the index lacks (not "Kaya-Dori road")
            pos = h.span[0]
            if self.shouting(pos) or self.title_case(pos):
                return False  # "Structures-Bama-Gobara": every word has a capital
            return not any(x.first <= prev[0] < x.last for x in self.hits or ())
        return between.strip() == ""


_LOWER_BYTES = bytes(range(ord("a"), ord("z") + 1))
_NOT_LETTER_BYTES = bytes(b for b in range(256) if not chr(b).isalpha())
_LONG_WORD_INITIAL = re.compile(r"\s([^\W\d_])\S{3}")


def _title_case(text: str, start: int, end: int) -> bool:
    """Most words of four letters or more in text[start:end], after the first word, start with
    a capital."""
    while start < end and text[start].isspace():  # the first word is not preceded by a space
        start += 1
    initials = "".join(_LONG_WORD_INITIAL.findall(text, start, end))
    return len(initials) >= 4 and sum(map(str.isupper, initials)) >= 0.7 * len(initials)


def _all_caps(segment: str) -> bool:
    """Mostly capitals, counted in C: ASCII letters only, which is what shouting news uses."""
    raw = segment.encode("ascii", "ignore").translate(None, _NOT_LETTER_BYTES)
    lower = len(raw) - len(raw.translate(None, _LOWER_BYTES))
    return len(raw) >= 12 and lower <= 0.2 * len(raw)


def _after_cue(folded: Folded, hit: Hit) -> bool:
    prev = folded.word_before(hit.first)
    return prev is not None and folded.text[prev[0] : prev[1]] in PLACE_CUES


def _sentence_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i].isspace():  # not text[:pos].rstrip(): that copies the text per hit
        i -= 1
    return i < 0 or text[i] in '.!?:;\n"“(-–—|'


_LED_NEXT = re.compile(r" (?i:led|backed) ")


def _opens_sentence(t: Text, h: Hit) -> bool:
    """A common word at a sentence start is no name the text is known to use ("The")."""
    return h.info.opener and _sentence_start(t.text, h.span[0])


def _actor(t: Text, h: Hit) -> bool:
    """ "U.S.-led coalition", "Saudi-backed forces": who, not where."""
    if not _LED_NEXT.match(t.folded.text, h.last):
        return False  # decided on the folded text: neither word follows
    end = h.span[1]
    return t.text[end : end + 9].lower().lstrip(".-– ").startswith(("led ", "backed ", "led,", "backed,"))


_BORDER_AFTER = re.compile(r" (?i:border|borders|frontier|frontiere)\b")
_BORDER_BEFORE = re.compile(r"(?i:\bborder with(?: the)?|\bfrontiere(?: avec)?(?: le| la| l)?) $")


def _border(t: Text, h: Hit) -> bool:
    """A neighbour named as a border, not as where things happen: "near the Nigerien border",
    "la frontière malienne", "the border with Niger" (not "Saudi-Yemen border": a pair)."""
    ft = t.folded.text
    if _BORDER_AFTER.match(ft, h.last):
        start = h.span[0]  # folding makes "Saudi-Yemen" two words: the original says a pair
        return start == 0 or t.text[start - 1] not in "-–/"
    return bool(_BORDER_BEFORE.search(ft, max(0, h.first - 24), h.first))


def _written_as(t: Text, h: Hit, forms: frozenset[str]) -> bool:
    """Whether the name's letters, as written, are one of these ASCII forms."""
    if t.folded.cased and letters(t.folded.text[h.first : h.last]) not in forms:
        return False  # ASCII letters fold to themselves, so the folded ones say no
    return letters(h.surface) in forms


def _acronym(surface: str) -> bool:
    return len(surface) <= 5 and surface.isupper()


def _possessive(text: str, end: int) -> bool:
    return text[end : end + 2] in ("'s", "’s") or text[end : end + 1] in (":", ",", ".")


def _next_to_name(t: Text, hit: Hit, hits: list[Hit]) -> bool:
    """Is the word next to it a capitalised word we know nothing about ("Chad Smith")?"""
    folded, text = t.folded, t.text
    for word in (folded.word_before(hit.first), folded.word_after(hit.last)):
        # A neighbour that is only a town name is as unknown as any word ("Chad Smith").
        if word is None or any(
            h.first <= word[0] < h.last and not _opens_sentence(t, h) and not h.info.place_only for h in hits
        ):
            continue
        s, e = folded.span(*word)
        gap = text[e : hit.span[0]] if s < hit.span[0] else text[hit.span[1] : s]
        # A line break ends the name: a headline's last word is not next to the body's first.
        if text[s : s + 1].isupper() and gap.strip() == "" and "\n" not in gap:
            return True
    return False
