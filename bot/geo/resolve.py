"""From raw name hits to mentions: which reading of each name the text supports, and why.

Evidence order: names that can only mean one country (Nigeria, Malian) first; then ambiguous
country names (Chad, Mali, Niger) when the text backs them; then admin1 and towns, each read
in a country the text supports, else only when the name is unique, rare as a word and large.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from bot.geo.fold import Folded, Hit, fold, longest_first
from bot.geo.fold import capitalised as is_capitalised
from bot.geo.index import ADMIN1, COUNTRY, DEMONYM, GROUP, IGNORE, PLACE, REGION, Index, letters, unref
from bot.models import Admin1, Place

# Words before a country name that make it a place, not a person ("in Chad", "northern Mali").
_PLACE_CUES = {"in", "of", "from", "to", "across", "into", "on", "at", "and", "neighbouring",
               "neighboring", "northern", "southern", "eastern", "western", "central", "north",
               "south", "east", "west", "the", "en", "au", "du", "de", "le", "la", "over", "near",
               "inside", "border", "troops", "army", "government", "with", "for", "against"}
_PARTICLE_AT = re.compile(r"(?:al|el|ad|an|ar|as|ash|at|az|ed|d|l) ")  # an article, folded
# Dates are not places: "24 May 2010" is not May, Gujarat.
_CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
             "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
             "friday", "saturday", "sunday", "janvier", "fevrier", "mars", "avril", "mai", "juin",
             "juillet", "aout", "septembre", "octobre", "novembre", "decembre"}
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

    @classmethod
    def of(cls, readings: tuple[Reading, ...], name: str, exact, common: int) -> KeyInfo:
        actor, geo = (GROUP, COUNTRY), (PLACE, ADMIN1)
        kinds = {r.kind for r in readings}
        return cls(readings, tuple(r for r in readings if r.kind not in actor),
                   tuple(r for r in readings if r.kind not in geo),
                   tuple(r for r in readings if r.kind not in actor + geo),
                   tuple(r for r in readings if r.kind in geo), kinds <= set(geo),
                   GROUP in kinds, REGION in kinds, IGNORE in kinds, exact, common,
                   name.lower() in _CALENDAR)


@dataclass(slots=True)
class Hit2:
    hit: Hit
    surface: str
    capitalised: bool  # informative capital: "Say" in a normal sentence, not in a title-case headline
    common: int
    readings: tuple[Reading, ...]
    weak_capital: bool = False  # capital says nothing: sentence start, headline case
    after_name: bool = False  # follows an unknown capitalised word ("Michael Langley")
    geo: tuple[Reading, ...] = ()  # its town and admin1 readings, when it may be one
    # A town reading gives way to the name's other meanings: a region or group always, a
    # country or demonym once that country is in the text ("Djibouti").
    other_meaning: bool = False
    meant_countries: tuple[str, ...] = ()


@dataclass
class Resolved:
    countries: dict[str, str] = field(default_factory=dict)  # code → reason
    admin1: dict[int, str] = field(default_factory=dict)  # admin1 idx → reason
    places: list[tuple[int, Hit2, str]] = field(default_factory=list)
    regions: list[tuple[int, Hit2]] = field(default_factory=list)
    groups: list[tuple[int, Hit2]] = field(default_factory=list)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # first span per country


class Resolver:
    def __init__(self, index: Index, ambiguous_countries: set[str]):
        self.ix = index
        self.ambiguous = ambiguous_countries
        self.scanner = index.scanner
        self._keys: dict[int, KeyInfo] = {}

    def resolve(self, text: str) -> Resolved:
        folded = Folded.of(text)
        segments = _Segments(text)
        hits = [x for first, last, key in longest_first(self.scanner.scan(folded.text, self.ix.klen))
                if (x := self._prepare(text, folded, first, last, key, segments))]
        out = Resolved()
        self._groups_and_regions(hits, out)
        self._countries(text, folded, hits, out)
        # A town found in pass one can back an admin1 or town in pass two; a pass that found
        # nothing would only repeat itself.
        if self._admin1_and_places(hits, out):
            self._admin1_and_places(hits, out)
        return out

    # -- preparing hits -------------------------------------------------------------------

    def key_info(self, key: int, name: str) -> KeyInfo:
        """`name`: the key as found in a folded text."""
        info = self._keys.get(key)
        if info is None:
            ix = self.ix
            readings = tuple(Reading(k, i, self._country_of(k, i))
                             for k, i in (unref(r) for r in ix.readings(key)))
            info = self._keys[key] = KeyInfo.of(readings, name, ix.exact.get(key), ix.common[key])
        return info

    def _prepare(self, text: str, folded: Folded, first: int, last: int, key: int,
                 segments: _Segments) -> Hit2 | None:
        info = self._keys.get(key) or self.key_info(key, folded.text[first:last])
        if info.ignored:
            return None
        span = None
        # Folding keeps case, so most names are judged on the folded text; only a name in lower
        # case there that may have a particle ("al-Hasakah") or an unfolded capital ("łódź")
        # needs its original surface.
        capitalised = folded.text[first].isupper()
        if not capitalised and (not folded.ascii or _PARTICLE_AT.match(folded.text, first, last)):
            span = self._span(folded, first, last)
            capitalised = is_capitalised(text[span[0]:span[1]])
        if info.place_only and not capitalised:
            return None  # decided cheaply: the text has "say", not "Say"
        span = span or self._span(folded, first, last)
        if info.place_only and info.common >= COMMON_WORD + 10 and _sentence_start(text, span[0]):
            return None  # "The", "Many" open sentences and are towns too
        surface = text[span[0]:span[1]]
        case = segments.case_at(span[0]) if info.exact is not None or info.geo else (False, False)
        actors = info.exact is None or (letters(surface) in info.exact and
                                        not (case[0] and info.common >= COMMON_WORD))
        h = Hit2(Hit(key, first, last, span), surface, capitalised, info.common,
                 info.readings if actors else info.no_actor)
        if info.geo:
            self._as_town(h, info, actors, case, text, folded)
        return h if h.readings else None

    def _as_town(self, h: Hit2, info: KeyInfo, actors: bool, case: tuple[bool, bool], text: str,
                 folded: Folded) -> None:
        """Whether a name that may be a town can be one here, and what its capital says."""
        all_caps, title = case
        if (actors and info.has_group) or (_acronym(h.surface) and not all_caps) or info.calendar:
            # A group's name is not a town ("Fano" the militia), nor is an acronym or a date.
            h.readings = info.no_geo if actors else info.neither
            return
        informative = not all_caps and not title
        if not informative and " " not in h.surface.strip():
            h.common += 5  # a capital in a headline says less about a single word
        h.weak_capital = not informative or _sentence_start(text, h.hit.span[0])
        if h.capitalised and not (h.weak_capital and h.common >= COMMON_WORD + 10):
            h.geo = info.geo
            h.other_meaning = info.has_region  # (a group reading already ruled the town out)
            h.meant_countries = tuple(r.country for r in h.readings if r.kind in (COUNTRY, DEMONYM))
            h.after_name = _after_unknown_capital(text, folded, h.hit)  # only towns are surnames

    @staticmethod
    def _span(folded: Folded, first: int, last: int) -> tuple[int, int]:
        return folded.original(first), folded.original(last - 1) + 1

    def _country_of(self, kind: int, idx: int) -> str:
        ix = self.ix
        if kind == PLACE:
            return ix.p_cc[idx]
        if kind == ADMIN1:
            return ix.a_cc[idx]
        if kind in (COUNTRY, DEMONYM):
            return ix.c_code[idx]
        return ""

    # -- stage 1: groups, region names, countries ---------------------------------------------

    def _groups_and_regions(self, hits: list[Hit2], out: Resolved) -> None:
        for h in hits:
            for r in h.readings:
                if r.kind == GROUP:
                    out.groups.append((r.idx, h))
                elif r.kind == REGION and h.capitalised:
                    out.regions.append((r.idx, h))

    def _countries(self, text: str, folded: Folded, hits: list[Hit2], out: Resolved) -> None:
        pending = []
        for h in hits:
            if _actor(text, h.hit.span[1]):
                continue  # "U.S.-led coalition", "Saudi-backed forces": who, not where
            for r in h.readings:
                if r.kind == DEMONYM:
                    self._add_country(out, r.country, h, f'demonym "{h.surface}"')
                elif r.kind == COUNTRY and h.capitalised:
                    if r.country in self.ambiguous:
                        pending.append((h, r))
                    else:
                        self._add_country(out, r.country, h, f'country named "{h.surface}"')
        for h, r in pending:
            backed = r.country in out.countries or _after_cue(folded, h.hit) or \
                _possessive(text, h.hit.span[1]) or not _next_to_name(text, folded, h.hit, hits)
            if backed:
                self._add_country(out, r.country, h, f'country named "{h.surface}" (in context)')

    @staticmethod
    def _add_country(out: Resolved, code: str, h: Hit2, reason: str) -> None:
        if code not in out.countries:
            out.countries[code] = reason
            out.spans[code] = h.hit.span

    # -- stage 2: admin1 and towns --------------------------------------------------------------

    def _admin1_and_places(self, hits: list[Hit2], out: Resolved) -> bool:
        """One pass over the hits not yet read as places; True if it found anything."""
        before = (len(out.countries), len(out.admin1), len(out.places))
        named_admin1 = set(out.admin1)
        done = {id(h) for _, h, _ in out.places}
        for h in hits:
            if not h.geo or h.other_meaning or id(h) in done or \
                    any(c in out.countries for c in h.meant_countries):
                continue
            pick = self._pick(h, h.geo, out, named_admin1)
            if pick is None:
                continue
            r, reason = pick
            if r.kind == ADMIN1:
                out.admin1.setdefault(r.idx, f'admin1 named "{h.surface}" ({reason})')
            else:
                out.places.append((r.idx, h, reason))
                done.add(id(h))
                a = self.ix.p_admin1[r.idx]
                if a >= 0:
                    out.admin1.setdefault(a, f'contains {self.ix.p_name[r.idx]}')
            self._add_country(out, r.country, h, f'{h.surface} is in {r.country} ({reason})')
        return (len(out.countries), len(out.admin1), len(out.places)) != before

    def _pick(self, h: Hit2, geo: tuple[Reading, ...], out: Resolved, named_admin1: set[int]):
        """The reading of a capitalised town name that the text supports best, if any."""
        supported = [r for r in geo if r.country in out.countries or
                     (r.kind == PLACE and self.ix.p_admin1[r.idx] in named_admin1)]
        if h.after_name:
            supported = [r for r in supported if r.kind == PLACE and self.ix.p_supp[r.idx]]
            geo = supported
        if supported:
            best = max(supported, key=lambda r: self._prior(r, named_admin1))
            if best.kind == ADMIN1:  # "Timbuktu": the town, which also gives its admin1
                best = next((r for r in supported if r.kind == PLACE and
                             self.ix.p_admin1[r.idx] == best.idx), best)
            why = "admin1 named in text" if self._in_named_admin1(best, named_admin1) else \
                f"{best.country} named in text"
            if best.kind == PLACE and len(geo) > 1:
                why += f", best of {len(geo)} readings"
            metropolis = max(geo, key=self._pop)
            if metropolis.kind == PLACE and self._pop(metropolis) >= METROPOLIS and \
                    self._pop(metropolis) >= 100 * max(self._pop(best), 1) and \
                    not self._in_named_admin1(best, named_admin1):
                return metropolis, f"world city (pop. {self._pop(metropolis):,})"  # London, not KY
            return best, why
        if not geo:
            return None
        return self._unsupported(h, geo, abroad=bool(out.countries))

    def _unsupported(self, h: Hit2, geo: tuple[Reading, ...], *, abroad: bool):
        """No country in the text backs any reading: keep only an unmistakable one.
        `abroad`: the text names other countries, so a town elsewhere needs to be a big city."""
        if h.common >= COMMON_WORD:
            return self._metropolis(h, geo)
        admin1 = [r for r in geo if r.kind == ADMIN1]
        if admin1 and len({r.country for r in admin1}) == 1 and (not abroad or h.common < 35):
            a = admin1[0]
            same = [r for r in geo if r.kind == PLACE and self.ix.p_admin1[r.idx] == a.idx]
            elsewhere = [r for r in geo if r.kind == PLACE and r.country != a.country
                         and self.ix.p_pop[r.idx] >= BIG_TOWN]
            if same:
                return max(same, key=self._pop), "town and admin1 of that name"
            if not elsewhere:
                return a, "only admin1 of that name"
        places = sorted((r for r in geo if r.kind == PLACE), key=self._pop, reverse=True)
        if not places:
            return None
        top = places[0]
        rival = next((self._pop(r) for r in places[1:] if r.country != top.country), 0)
        pop = self._pop(top)
        if abroad and pop < FAR_CITY:
            return None
        if self.ix.p_supp[top.idx]:
            return top, "reviewed supplement"
        if pop >= BIG_TOWN and pop >= 20 * max(rival, 1):
            return top, f"largest place of that name (pop. {pop:,})"
        if pop >= TOWN and rival * 50 <= pop and h.common < COMMON_WORD - 10 and len(h.surface) >= 5:
            return top, f"only sizeable place of that name (pop. {pop:,})"
        return None

    def _metropolis(self, h: Hit2, geo: tuple[Reading, ...]):
        """"London", "Munich": everyday words to wordfreq, but a city of millions, capitalised
        mid-sentence, is that city."""
        top = max(geo, key=self._pop)
        if top.kind == PLACE and self._pop(top) >= METROPOLIS and not h.weak_capital and \
                h.common < COMMON_WORD + 15 and fold(h.surface) == fold(self.ix.p_name[top.idx]):
            return top, f"world city (pop. {self._pop(top):,})"
        return None

    def _pop(self, r: Reading) -> int:
        return self.ix.p_pop[r.idx] if r.kind == PLACE else 0

    def _in_named_admin1(self, r: Reading, named_admin1: set[int]) -> bool:
        return r.kind == PLACE and self.ix.p_admin1[r.idx] in named_admin1

    def _prior(self, r: Reading, named_admin1: set[int]) -> tuple:
        if r.kind == ADMIN1:
            return (1, 1, 0, 0)
        return (int(self._in_named_admin1(r, named_admin1)), 0, self.ix.p_supp[r.idx],
                self.ix.p_pop[r.idx])

    # -- output ---------------------------------------------------------------------------------

    def place_value(self, idx: int, h: Hit2, reason: str) -> Place:
        ix = self.ix
        a = ix.p_admin1[idx]
        return Place(ix.p_name[idx], ix.p_cc[idx], ix.a_name[a] if a >= 0 else None,
                     round(ix.p_lat[idx], 4), round(ix.p_lon[idx], 4), h.hit.span, reason)

    def admin1_value(self, idx: int) -> Admin1:
        return Admin1(self.ix.a_cc[idx], self.ix.a_name[idx])


class _Segments:
    """The headlines or lines of a text (dev texts join headlines with ';'), each one's case
    read once."""

    def __init__(self, text: str):
        self.text = text
        self.ends: list[int] | None = None
        self.cases: dict[int, tuple[bool, bool]] = {}

    def case_at(self, pos: int) -> tuple[bool, bool]:
        """(all caps, title case) of the segment around `pos`."""
        if self.ends is None:
            self.ends = [m.start() for m in _SEGMENT_END.finditer(self.text)]
        i = bisect_left(self.ends, pos)
        if i not in self.cases:
            start = self.ends[i - 1] + 1 if i else 0
            segment = self.text[start:self.ends[i] if i < len(self.ends) else len(self.text)]
            self.cases[i] = (_all_caps(segment), _title_case(segment))
        return self.cases[i]


_SEGMENT_END = re.compile("[\n;]")
_LOWER_BYTES = bytes(range(ord("a"), ord("z") + 1))
_NOT_LETTER_BYTES = bytes(b for b in range(256) if not chr(b).isalpha())


def _title_case(segment: str) -> bool:
    """Most words of four letters or more, after the first word, start with a capital."""
    initials = "".join(_LONG_WORD_INITIAL.findall(segment.strip()))
    return len(initials) >= 4 and sum(map(str.isupper, initials)) >= 0.7 * len(initials)


_LONG_WORD_INITIAL = re.compile(r"(?<=\s)([^\W\d_])\S{3}")


def _all_caps(segment: str) -> bool:
    """Mostly capitals, counted in C: ASCII letters only, which is what shouting news uses."""
    raw = segment.encode("ascii", "ignore").translate(None, _NOT_LETTER_BYTES)
    lower = len(raw) - len(raw.translate(None, _LOWER_BYTES))
    return len(raw) >= 12 and lower <= 0.2 * len(raw)


def _after_cue(folded: Folded, hit: Hit) -> bool:
    prev = folded.word_before(hit.first)
    return prev is not None and folded.text[prev[0]:prev[1]] in _PLACE_CUES


def _sentence_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i].isspace():  # not text[:pos].rstrip(): that copies the text per hit
        i -= 1
    return i < 0 or text[i] in ".!?:;\n\"“(-–—|"


def _after_unknown_capital(text: str, folded: Folded, hit: Hit) -> bool:
    """A town name that follows an unknown capitalised word is most often a surname."""
    prev = folded.word_before(hit.first)
    if prev is None or folded.text[prev[0]:prev[1]] in _PLACE_CUES:
        return False
    s, e = folded.original(prev[0]), folded.original(prev[1] - 1) + 1
    word = text[s:e]
    return word[:1].isupper() and not word.isupper() and text[e:hit.span[0]].strip() == ""


def _actor(text: str, end: int) -> bool:
    return text[end:end + 9].lower().lstrip(".-– ").startswith(("led ", "backed ", "led,", "backed,"))


def _acronym(surface: str) -> bool:
    return len(surface) <= 5 and surface.isupper()


def _possessive(text: str, end: int) -> bool:
    return text[end:end + 2] in ("'s", "’s") or text[end:end + 1] in (":", ",", ".")


def _next_to_name(text: str, folded: Folded, hit: Hit, hits: list[Hit2]) -> bool:
    """Is the word next to it a capitalised word we know nothing about ("Chad Smith")?"""
    for word in (folded.word_before(hit.first), folded.word_after(hit.last)):
        if word is None or any(h.hit.first <= word[0] < h.hit.last for h in hits):
            continue
        s, e = folded.original(word[0]), folded.original(word[1] - 1) + 1
        gap = text[e:hit.span[0]] if s < hit.span[0] else text[hit.span[1]:s]
        if text[s:s + 1].isupper() and gap.strip() == "":
            return True
    return False
