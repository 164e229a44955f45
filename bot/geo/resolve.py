"""From raw name hits to mentions: which reading of each name the text supports, and why.

Evidence order: names that can only mean one country (Nigeria, Malian) first; then ambiguous
country names (Chad, Mali, Niger) when the text backs them; then admin1 and towns, each read
in a country the text supports, else only when the name is unique, rare as a word and large.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.geo.fold import Folded, Hit, fold_word, longest_first
from bot.geo.index import ADMIN1, COUNTRY, DEMONYM, GROUP, IGNORE, PLACE, REGION, Index, letters, unref
from bot.models import Admin1, Place

# Words before a country name that make it a place, not a person ("in Chad", "northern Mali").
_PLACE_CUES = {"in", "of", "from", "to", "across", "into", "on", "at", "and", "neighbouring",
               "neighboring", "northern", "southern", "eastern", "western", "central", "north",
               "south", "east", "west", "the", "en", "au", "du", "de", "le", "la", "over", "near",
               "inside", "border", "troops", "army", "government", "with", "for", "against"}
_PARTICLE = re.compile(r"^(?:al|el|ad|an|ar|as|ash|at|az|ed|d|l)[-'’ ]+")  # "al-Hasakah"
# Dates are not places: "24 May 2010" is not May, Gujarat.
_CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
             "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
             "friday", "saturday", "sunday", "janvier", "fevrier", "mars", "avril", "mai", "juin",
             "juillet", "aout", "septembre", "octobre", "novembre", "decembre"}
COMMON_WORD = 40  # wordfreq zipf × 10 from which a name is also an everyday word ("Say", "Hope")
FAR_CITY = 500_000  # a town abroad, in a text about another country, must be this big
BIG_TOWN = 100_000
TOWN = 15_000


@dataclass
class Reading:
    kind: int
    idx: int
    country: str


@dataclass
class Hit2:
    hit: Hit
    surface: str
    capitalised: bool  # informative capital: "Say" in a normal sentence, not in a title-case headline
    common: int
    readings: list[Reading]
    weak_capital: bool = False  # capital says nothing: sentence start, headline case
    after_name: bool = False  # follows an unknown capitalised word ("Michael Langley")


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

    def resolve(self, text: str) -> Resolved:
        folded = Folded.of(text)
        raw = self.ix.scanner.hits(folded, self.ix.klen)
        segments: dict = {}
        hits = [x for h in longest_first(raw) if (x := self._prepare(text, folded, h, segments))]
        out = Resolved()
        self._groups_and_regions(hits, out)
        self._countries(text, folded, hits, out)
        for _ in range(2):  # a town found in pass one can back an admin1 or town in pass two
            self._admin1_and_places(hits, out)
        return out

    # -- preparing hits -------------------------------------------------------------------

    def _prepare(self, text: str, folded: Folded, h: Hit, segments: dict) -> Hit2 | None:
        ix = self.ix
        surface = text[h.span[0]:h.span[1]]
        capitalised = _PARTICLE.sub("", surface)[:1].isupper()
        refs = [unref(r) for r in ix.readings(h.key)]
        place_only = all(k in (PLACE, ADMIN1) for k, _ in refs)
        if place_only and (not capitalised or (ix.common[h.key] >= COMMON_WORD + 10 and
                                               _sentence_start(text, h.span[0]))):
            return None  # decided cheaply: "The", "Many" open sentences and are towns too
        if any(k == IGNORE for k, _ in refs):
            return None
        readings = [Reading(k, i, self._country_of(k, i)) for k, i in refs]
        all_caps, title = _segment_case(text, h.span[0], segments)
        exact = ix.exact.get(h.key)
        if exact is not None and (letters(surface) not in exact or
                                  (all_caps and ix.common[h.key] >= COMMON_WORD)):
            readings = [r for r in readings if r.kind not in (GROUP, COUNTRY)]
        if any(r.kind == GROUP for r in readings) or (_acronym(surface) and not all_caps) \
                or fold_word(surface) in _CALENDAR:
            readings = [r for r in readings if r.kind not in (PLACE, ADMIN1)]  # "Fano" the militia
        if not readings:
            return None
        informative = not all_caps and not title
        common = ix.common[h.key]
        if not informative and " " not in surface.strip():
            common += 5  # a capital in a headline says less about a single word
        weak = not informative or _sentence_start(text, h.span[0])
        return Hit2(h, surface, capitalised, common, readings, weak,
                    _after_unknown_capital(text, folded, h))

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
            for r in h.readings:
                if _actor(text, h.hit.span[1]):
                    continue  # "U.S.-led coalition", "Saudi-backed forces": who, not where
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
            if backed and not self._admin1_wins(h, r, out):
                self._add_country(out, r.country, h, f'country named "{h.surface}" (in context)')

    def _admin1_wins(self, h: Hit2, r: Reading, out: Resolved) -> bool:
        """"Niger" in a text about Nigeria, with nothing else about Niger, is Niger State."""
        return any(x.kind == ADMIN1 and x.country in out.countries for x in h.readings) and \
            r.country not in out.countries

    @staticmethod
    def _add_country(out: Resolved, code: str, h: Hit2, reason: str) -> None:
        if code not in out.countries:
            out.countries[code] = reason
            out.spans[code] = h.hit.span

    # -- stage 2: admin1 and towns --------------------------------------------------------------

    def _admin1_and_places(self, hits: list[Hit2], out: Resolved) -> None:
        named_admin1 = set(out.admin1)
        done = {id(h) for _, h, _ in out.places}
        for h in hits:
            if id(h) in done:
                continue
            geo = [r for r in h.readings if r.kind in (ADMIN1, PLACE)]
            if not geo or any(r.kind in (COUNTRY, DEMONYM, REGION, GROUP) and
                              (r.country in out.countries or r.kind in (REGION, GROUP))
                              for r in h.readings):
                continue
            pick = self._pick(h, geo, out, named_admin1)
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

    def _pick(self, h: Hit2, geo: list[Reading], out: Resolved, named_admin1: set[int]):
        if not h.capitalised or (h.weak_capital and h.common >= COMMON_WORD + 10):
            return None
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
            return best, why
        if not geo:
            return None
        return self._unsupported(h, geo, abroad=bool(out.countries))

    def _unsupported(self, h: Hit2, geo: list[Reading], *, abroad: bool):
        """No country in the text backs any reading: keep only an unmistakable one.
        `abroad`: the text names other countries, so a town elsewhere needs to be a big city."""
        if h.common >= COMMON_WORD:
            return None
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


def _segment_case(text: str, pos: int, cache: dict) -> tuple[bool, bool]:
    """(all caps, title case) of the headline or line around `pos`, computed once per line
    (dev texts join headlines with ';')."""
    start = max(text.rfind("\n", 0, pos), text.rfind(";", 0, pos)) + 1
    if start not in cache:
        ends = [e for e in (text.find("\n", pos), text.find(";", pos)) if e != -1]
        segment = text[start:min(ends) if ends else len(text)]
        cache[start] = (_all_caps(segment), _title_case(segment))
    return cache[start]




_LOWER_BYTES = bytes(range(ord("a"), ord("z") + 1))
_NOT_LETTER_BYTES = bytes(b for b in range(256) if not chr(b).isalpha())


def _title_case(segment: str) -> bool:
    words = [w for w in segment.split()[1:] if len(w) >= 4 and w[0].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _all_caps(segment: str) -> bool:
    """Mostly capitals, counted in C: ASCII letters only, which is what shouting news uses."""
    raw = segment.encode("ascii", "ignore").translate(None, _NOT_LETTER_BYTES)
    lower = len(raw) - len(raw.translate(None, _LOWER_BYTES))
    return len(raw) >= 12 and lower <= 0.2 * len(raw)


def _after_cue(folded: Folded, hit: Hit) -> bool:
    prev = folded.word_before(hit.first)
    return prev is not None and folded.text[prev[0]:prev[1]] in _PLACE_CUES


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in ".!?:;\n\"“(-–—|"


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
