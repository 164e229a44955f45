"""From raw name hits to mentions: which reading of each name the text supports, and why.

Evidence order: names that can only mean one country (Nigeria, Malian) first; then ambiguous
country names (Chad, Mali, Niger) when the text backs them; then admin1 and towns, each read
in a country the text supports, else only when the name is unique, rare as a word and large.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

from bot.match.fold import Folded, fold, longest_first
from bot.match.fold import capitalised as is_capitalised
from bot.match.index import ADMIN1, COUNTRY, DEMONYM, GROUP, IGNORE, PLACE, REGION, Index, letters, unref
from bot.models import Admin1, Place

# Words before a country name that make it a place, not a person ("in Chad", "northern Mali").
_PLACE_CUES = {
    "in",
    "of",
    "from",
    "to",
    "across",
    "into",
    "on",
    "at",
    "and",
    "neighbouring",
    "neighboring",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "north",
    "south",
    "east",
    "west",
    "the",
    "en",
    "au",
    "du",
    "de",
    "le",
    "la",
    "over",
    "near",
    "inside",
    "border",
    "troops",
    "army",
    "government",
    "with",
    "for",
    "against",
}
_PARTICLE_AT = re.compile(r"(?:al|el|ad|an|ar|as|ash|at|az|ed|d|l) ")  # an article, folded
# Dates are not places: "24 May 2010" is not May, Gujarat.
_CALENDAR = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
}
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
    # Some town or admin1 reading could stand with no country in the text to back it: in a
    # text that names no country, or in one that names others.
    alone: bool
    alone_abroad: bool
    short: bool  # short enough to be an acronym
    opener: bool  # a town name so common a word ("The", "Many") that it often opens sentences

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
            name.lower() in _CALENDAR,
            bool(kinds & {COUNTRY, DEMONYM}),
            tuple(r.country for r in readings if r.kind in (COUNTRY, DEMONYM)),
            tuple(r.country for r in readings if r.kind == DEMONYM),
            frozenset(r.country for r in places),
            *alone,
            len(name) <= 5,
            kinds <= set(geo) and common >= COMMON_WORD + 10,
        )


@dataclass(slots=True)
class Hit:
    """One name found in a text, and what its context says about it."""

    t: _Text
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
    # Read only when a town reading of the name is weighed (see _Text):
    capital_read: bool = False  # `common` and `weak_capital` account for the line's case
    weak_capital: bool = False  # capital says nothing: sentence start, headline case
    after_name: bool | None = None  # follows an unknown capitalised word ("Michael Langley")
    _span: tuple[int, int] | None = None

    @property
    def span(self) -> tuple[int, int]:
        """Where it is in the original text (found on first use: most hits never need it)."""
        if self._span is None:
            self._span = self.t.folded.span(self.first, self.last)
        return self._span

    @property
    def surface(self) -> str:
        start, end = self.span
        return self.t.text[start:end]


@dataclass
class Resolved:
    # Countries and admin1 in the order found (dicts as ordered sets); the output explains
    # them through the places and names that brought them.
    countries: dict[str, None] = field(default_factory=dict)
    admin1: dict[int, None] = field(default_factory=dict)
    places: list[tuple[int, Hit, str]] = field(default_factory=list)
    regions: list[tuple[int, Hit]] = field(default_factory=list)
    groups: list[tuple[int, Hit]] = field(default_factory=list)


class Resolver:
    def __init__(self, index: Index, ambiguous_countries: set[str]):
        self.ix = index
        self.ambiguous = ambiguous_countries
        self.scanner = index.scanner
        self._keys: dict[int, KeyInfo] = {}
        self._admin1: dict[int, Admin1] = {}  # admin1 values are few and asked for often
        self._place_facts = lru_cache(maxsize=4096)(self._facts_of)  # news names the same towns

    def resolve(self, text: str) -> Resolved:
        t = _Text(text)
        hits = [
            x
            for first, last, key in longest_first(self.scanner.scan(t.folded.text, self.ix.klen))
            if (x := self._prepare(t, first, last, key))
        ]
        out = Resolved()
        self._groups_and_regions(hits, out)
        self._countries(t, hits, out)
        # A town found in pass one can back an admin1 or town in pass two; a pass that found
        # nothing would only repeat itself.
        towns = [h for h in hits if h.town]
        if towns and self._admin1_and_places(t, towns, out):
            self._admin1_and_places(t, towns, out)
        return out

    # -- preparing hits -------------------------------------------------------------------

    def key_info(self, key: int, name: str) -> KeyInfo:
        """`name`: the key as found in a folded text."""
        info = self._keys.get(key)
        if info is None:
            ix = self.ix
            readings = tuple(self._reading(*unref(r)) for r in ix.readings(key))
            alone = self._may_stand_alone(readings, ix.common[key])
            info = self._keys[key] = KeyInfo.of(readings, name, ix.exact.get(key), ix.common[key], alone)
        return info

    @staticmethod
    def _may_stand_alone(readings: tuple[Reading, ...], common: int) -> tuple[bool, bool]:
        """Whether _unsupported could accept any town or admin1 reading of a name this common
        (a headline capital only makes it look more common), in a text that names no country,
        and in one that names others."""
        top = max((r.pop for r in readings), default=0)
        if common >= COMMON_WORD:
            metropolis = top >= METROPOLIS and common < COMMON_WORD + 15
            return metropolis, metropolis
        admin1 = any(r.kind == ADMIN1 for r in readings)
        return top >= TOWN or admin1 or any(r.supp for r in readings), top >= FAR_CITY or admin1

    def _prepare(self, t: _Text, first: int, last: int, key: int) -> Hit | None:
        folded = t.folded
        info = self._keys.get(key) or self.key_info(key, folded.text[first:last])
        if info.ignored:
            return None
        # Folding keeps case, so most names are judged on the folded text; only a name in lower
        # case there that may follow an article ("al-Hasakah") or, in text that is not ASCII,
        # have lost a capital folding could not keep, needs its original surface.
        h = Hit(t, info, first, last, folded.text[first].isupper(), info.common, info.readings)
        if not h.capitalised and (not folded.ascii or _PARTICLE_AT.match(folded.text, first, last)):
            h.capitalised = is_capitalised(h.surface)
        if info.place_only and not h.capitalised:
            return None  # decided cheaply: the text has "say", not "Say"
        # Group and country names that are also words count only as written ("IS", not "is"),
        # and a common one not even so in shouting capitals.
        actors = info.exact is None or (
            _written_as(t, h, info.exact) and not (info.common >= COMMON_WORD and t.shouting(h.span[0]))
        )
        if not actors:
            h.readings = info.no_actor
        if info.geo:  # may it be a town here?
            # (An acronym's folded letters are capitals too, where folding kept every case.)
            if (
                (actors and info.has_group)
                or info.calendar
                or (
                    info.short
                    and (not folded.cased or folded.text[first:last].isupper())
                    and _acronym(h.surface)
                    and not t.shouting(h.span[0])
                )
            ):
                # A group's name is not a town ("Fano" the militia), nor is an acronym or a date.
                h.readings = info.no_geo if actors else info.neither
            else:
                h.town = h.capitalised and not info.has_region
                h.meant_countries = info.meant if actors else info.meant_no_actor
        return h if h.readings else None

    def _reading(self, kind: int, idx: int) -> Reading:
        ix = self.ix
        if kind == PLACE:
            return Reading(kind, idx, ix.p_cc[idx], ix.p_pop[idx], ix.p_admin1[idx], bool(ix.p_supp[idx]))
        if kind == ADMIN1:
            return Reading(kind, idx, ix.a_cc[idx])
        if kind in (COUNTRY, DEMONYM):
            return Reading(kind, idx, ix.c_code[idx])
        return Reading(kind, idx, "")

    # -- stage 1: groups, region names, countries ---------------------------------------------

    def _groups_and_regions(self, hits: list[Hit], out: Resolved) -> None:
        for h in hits:
            if not (h.info.has_group or h.info.has_region):
                continue
            for r in h.readings:
                if r.kind == GROUP:
                    out.groups.append((r.idx, h))
                elif r.kind == REGION and h.capitalised:
                    out.regions.append((r.idx, h))

    def _countries(self, t: _Text, hits: list[Hit], out: Resolved) -> None:
        pending = []
        for h in hits:
            if not h.info.names_country or _actor(t, h):
                continue
            for r in h.readings:
                if r.kind == COUNTRY and h.capitalised and r.country in self.ambiguous:
                    pending.append((h, r))
                elif r.kind == DEMONYM or (r.kind == COUNTRY and h.capitalised):
                    out.countries[r.country] = None
        for h, r in pending:
            if (
                r.country in out.countries
                or _after_cue(t.folded, h)
                or _possessive(t.text, h.span[1])
                or not _next_to_name(t, h, hits)
            ):
                out.countries[r.country] = None

    # -- stage 2: admin1 and towns --------------------------------------------------------------

    def _admin1_and_places(self, t: _Text, towns: list[Hit], out: Resolved) -> bool:
        """One pass over the town names not yet read as places; True if it found anything."""
        before = (len(out.countries), len(out.admin1), len(out.places))
        named_admin1 = set(out.admin1)
        done = {id(h) for _, h, _ in out.places}
        for h in towns:
            if id(h) in done or (
                h.meant_countries and not out.countries.keys().isdisjoint(h.meant_countries)
            ):
                continue
            info = h.info
            # A place in a named admin1 is in a named country too (every admin1 found brings
            # its country), so a name none of whose countries is named has no support.
            backed = not info.geo_countries.isdisjoint(out.countries)
            if not backed and not (info.alone_abroad if out.countries else info.alone):
                continue  # no country in the text backs it, and it is no name to read alone
            if not t.capital_ok(h):
                continue
            pick = self._pick(t, h, out, named_admin1, backed)
            if pick is None:
                continue
            r, reason = pick
            if r.kind == ADMIN1:
                out.admin1[r.idx] = None
            else:
                out.places.append((r.idx, h, reason))
                done.add(id(h))
                if r.admin1 >= 0:
                    out.admin1[r.admin1] = None
            out.countries[r.country] = None
        return (len(out.countries), len(out.admin1), len(out.places)) != before

    def _pick(self, t: _Text, h: Hit, out: Resolved, named_admin1: set[int], backed: bool):
        """The reading of a capitalised town name that the text supports best, if any.
        `backed`: some reading is in a country the text names."""
        geo = h.info.geo
        supported = (
            [r for r in geo if r.country in out.countries or r.admin1 in named_admin1] if backed else []
        )
        if not supported:  # a town that follows a name is a surname, unless reviewed
            if h.info.common >= COMMON_WORD - 15:  # else a headline capital changes no answer
                t.read_capital(h)
            found = self._unsupported(h, geo, abroad=bool(out.countries))
            return None if found is None or t.after_name(h) else found
        if t.after_name(h):
            supported = [r for r in supported if r.supp]
            geo = tuple(supported)
            if not supported:
                return None
        best = max(supported, key=lambda r: self._prior(r, named_admin1))
        if best.kind == ADMIN1:  # "Timbuktu": the town, which also gives its admin1
            best = next((r for r in supported if r.kind == PLACE and r.admin1 == best.idx), best)
        why = "admin1 named in text" if best.admin1 in named_admin1 else f"{best.country} named in text"
        if best.kind == PLACE and len(geo) > 1:
            why += f", best of {len(geo)} readings"
        metropolis = max(geo, key=_POP)
        if (
            metropolis.pop >= METROPOLIS
            and metropolis.pop >= 100 * max(best.pop, 1)
            and best.admin1 not in named_admin1
        ):
            return metropolis, f"world city (pop. {metropolis.pop:,})"  # London, not KY
        return best, why

    def _unsupported(self, h: Hit, geo: tuple[Reading, ...], *, abroad: bool):
        """No country in the text backs any reading: keep only an unmistakable one.
        `abroad`: the text names other countries, so a town elsewhere needs to be a big city."""
        if h.common >= COMMON_WORD:
            return self._metropolis(h, geo)
        admin1 = [r for r in geo if r.kind == ADMIN1]
        if admin1 and len({r.country for r in admin1}) == 1 and (not abroad or h.common < 35):
            a = admin1[0]
            same = [r for r in geo if r.admin1 == a.idx]
            elsewhere = [r for r in geo if r.kind == PLACE and r.country != a.country and r.pop >= BIG_TOWN]
            if same:
                return max(same, key=_POP), "town and admin1 of that name"
            if not elsewhere:
                return a, "only admin1 of that name"
        places = sorted((r for r in geo if r.kind == PLACE), key=_POP, reverse=True)
        if not places:
            return None
        top = places[0]
        rival = next((r.pop for r in places[1:] if r.country != top.country), 0)
        pop = top.pop
        if abroad and pop < FAR_CITY:
            return None
        if top.supp:
            return top, "reviewed supplement"
        if pop >= BIG_TOWN and pop >= 20 * max(rival, 1):
            return top, f"largest place of that name (pop. {pop:,})"
        if pop >= TOWN and rival * 50 <= pop and h.common < COMMON_WORD - 10 and len(h.surface) >= 5:
            return top, f"only sizeable place of that name (pop. {pop:,})"
        return None

    def _metropolis(self, h: Hit, geo: tuple[Reading, ...]):
        """ "London", "Munich": everyday words to wordfreq, but a city of millions, capitalised
        mid-sentence, is that city."""
        top = max(geo, key=_POP)
        if (
            top.pop >= METROPOLIS
            and not h.weak_capital
            and h.common < COMMON_WORD + 15
            and fold(h.surface) == fold(self.ix.p_name[top.idx])
        ):
            return top, f"world city (pop. {top.pop:,})"
        return None

    @staticmethod
    def _prior(r: Reading, named_admin1: set[int]) -> tuple:
        if r.kind == ADMIN1:
            return (1, 1, 0, 0)
        return (int(r.admin1 in named_admin1), 0, r.supp, r.pop)

    # -- output ---------------------------------------------------------------------------------

    def place_value(self, idx: int, h: Hit, reason: str) -> Place:
        return Place(*self._place_facts(idx), h.span, reason)

    def _facts_of(self, idx: int) -> tuple[str, str, str | None, float, float]:
        """name, country, admin1 name, latitude, longitude"""
        ix = self.ix
        a = ix.p_admin1[idx]
        return (
            ix.p_name[idx],
            ix.p_cc[idx],
            ix.a_name[a] if a >= 0 else None,
            round(ix.p_lat[idx], 4),
            round(ix.p_lon[idx], 4),
        )

    def admin1_value(self, idx: int) -> Admin1:
        value = self._admin1.get(idx)
        if value is None:
            value = self._admin1[idx] = Admin1(self.ix.a_cc[idx], self.ix.a_name[idx])
        return value


class _Text:
    """One text being resolved: its folded form, and the case of its headlines or lines (dev
    texts join headlines with ';'), read when a name needs it."""

    __slots__ = ("_caps", "_end", "_start", "_title", "folded", "text")

    def __init__(self, text: str):
        self.text = text
        self.folded = Folded.of(text)
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
        if prev is None or folded.text[prev[0] : prev[1]] in _PLACE_CUES:
            return False
        if folded.cased and not (
            folded.text[prev[0]].isupper() and not folded.text[prev[0] : prev[1]].isupper()
        ):
            return False  # the folded word has the original's case
        s, e = folded.span(*prev)
        word = text[s:e]
        return word[:1].isupper() and not word.isupper() and text[e : h.span[0]].strip() == ""


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
    return prev is not None and folded.text[prev[0] : prev[1]] in _PLACE_CUES


def _sentence_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i].isspace():  # not text[:pos].rstrip(): that copies the text per hit
        i -= 1
    return i < 0 or text[i] in '.!?:;\n"“(-–—|'


_LED_NEXT = re.compile(r" (?i:led|backed) ")


def _opens_sentence(t: _Text, h: Hit) -> bool:
    """A common word at a sentence start is no name the text is known to use ("The")."""
    return h.info.opener and _sentence_start(t.text, h.span[0])


def _actor(t: _Text, h: Hit) -> bool:
    """ "U.S.-led coalition", "Saudi-backed forces": who, not where."""
    if not _LED_NEXT.match(t.folded.text, h.last):
        return False  # decided on the folded text: neither word follows
    end = h.span[1]
    return t.text[end : end + 9].lower().lstrip(".-– ").startswith(("led ", "backed ", "led,", "backed,"))


def _written_as(t: _Text, h: Hit, forms: frozenset[str]) -> bool:
    """Whether the name's letters, as written, are one of these ASCII forms."""
    if t.folded.cased and letters(t.folded.text[h.first : h.last]) not in forms:
        return False  # ASCII letters fold to themselves, so the folded ones say no
    return letters(h.surface) in forms


def _acronym(surface: str) -> bool:
    return len(surface) <= 5 and surface.isupper()


def _possessive(text: str, end: int) -> bool:
    return text[end : end + 2] in ("'s", "’s") or text[end : end + 1] in (":", ",", ".")


def _next_to_name(t: _Text, hit: Hit, hits: list[Hit]) -> bool:
    """Is the word next to it a capitalised word we know nothing about ("Chad Smith")?"""
    folded, text = t.folded, t.text
    for word in (folded.word_before(hit.first), folded.word_after(hit.last)):
        if word is None or any(h.first <= word[0] < h.last and not _opens_sentence(t, h) for h in hits):
            continue
        s, e = folded.span(*word)
        gap = text[e : hit.span[0]] if s < hit.span[0] else text[hit.span[1] : s]
        if text[s : s + 1].isupper() and gap.strip() == "":
            return True
    return False
