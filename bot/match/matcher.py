"""Text → mentions (places, admin1, countries, regions, groups) → which team watches fire, and why."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from bot.errors import ConfigError
from bot.match import index as gindex
from bot.match.catalogues import load_catalogues
from bot.match.fold import Folded, fold
from bot.match.groups import Catalogue, GroupInfo
from bot.match.hits import Resolved, Text
from bot.match.index import ADMIN1, COUNTRY, PLACE, REGION, Index
from bot.match.regions import Region
from bot.match.resolve import Resolver
from bot.match.vocabulary import close_names
from bot.models import Admin1, GroupMention, Mentions, Place, TeamMatch

if TYPE_CHECKING:
    from bot.config import Team  # pydantic: not loaded by commands that only match

log = logging.getLogger(__name__)


_NOTHING = Mentions()


@dataclass(frozen=True)
class PlaceInfo:
    name: str
    admin1: str | None
    country: str
    country_name: str
    regions: tuple[str, ...]
    lat: float
    lon: float
    population: int


@dataclass(frozen=True)
class Term:
    """One name in a watch, read once at load: a region, country, admin1 or town."""

    text: str
    kind: int
    value: object  # Region | country code | (country, admin1 name) | folded town name


class Matcher:
    def __init__(self, index: Index, regions: tuple[Region, ...], catalogue: Catalogue, ambiguous: set[str]):
        self.index = index
        self.regions = regions
        self.catalogue = catalogue
        self.resolver = Resolver(
            index,
            ambiguous,
            catalogue.groups,
            tuple(r.countries for r in regions),
            tuple(r.home for r in regions),
        )
        self._terms: dict[str, Term | None] = {}
        # Which regions hold each country, and (filled as met) each admin1: by index, in config order.
        self._country_regions: dict[str, frozenset[int]] = {}
        for i, r in enumerate(regions):
            for c in r.countries:
                self._country_regions[c] = self._country_regions.get(c, frozenset()) | {i}
        self._admin1_regions: dict[int, frozenset[int]] = {}
        # Texts name the same few countries and provinces again and again.
        self._containing = lru_cache(maxsize=4096)(self._regions_containing)

    @classmethod
    def load(cls, config_dir: Path, data_dir: Path) -> Matcher:
        """The cached index (config parsed into it); built first when any input changed."""
        dumps = gindex.imported_dumps(data_dir)
        digest = gindex.input_hash(config_dir, dumps)
        path = gindex.cache_path(data_dir, digest)
        if gindex.is_built(path):
            ix = _loaded(path)
            if not (path / gindex.NAMES).is_file():  # an index built before the names file
                gindex.save_names(ix, path)
        else:
            regions, catalogue, supplement = load_catalogues(config_dir)  # every problem, before the build
            ix = build_index(config_dir, dumps, regions, catalogue)
            ix.input_hash = digest
            ix.config = (regions, catalogue, frozenset(supplement.get("ambiguous_countries") or []))
            gindex.save(ix, path)
        regions, catalogue, ambiguous = ix.config
        return cls(ix, regions, catalogue, set(ambiguous))

    # -- mentions ---------------------------------------------------------------------------

    def mentions(self, text: str, source_country: str | None = None) -> Mentions:
        """What the text is about. `source_country`: the outlet's own country, when known (a
        weak vote for the text's country focus)."""
        return self.resolved(text, source_country)[0]

    def resolved(
        self, text: str | Text, source_country: str | None = None
    ) -> tuple[Mentions, Resolved | None]:
        """The mentions and the resolver's working (votes, focus) behind them; `text` may be
        a Text the caller made, to read its fold too (the event stage does)."""
        t = text if isinstance(text, Text) else None
        raw = t.text if t is not None else text
        if not isinstance(raw, str) or not raw:
            return Mentions(), None
        try:
            if t is None:
                t = Text(raw)
            r = self.resolver.resolve(t, source_country)
        except Exception:  # one bad article must not stop the pipeline: log it, match nothing
            log.exception("matcher failed on a text of %d characters", len(raw))
            return Mentions(), None
        finally:
            # Each hit points at its Text: a Text that kept them would be a cycle that only the
            # garbage collector frees, and it then ran every few lines (5 % of `match`'s time).
            if t is not None:
                t.hits = None
        return self._mentions(r), r

    def read(self, text: str, source_country: str | None = None) -> tuple[Mentions, Resolved | None, str]:
        """`resolved`, and the text's fold for the event stage (`classify(folded=...)`), so that
        an item is folded once for both stages (the pipeline and `match` read items so)."""
        t = Text(text)
        mentions, resolved = self.resolved(t, source_country)
        return mentions, resolved, t.folded.unsqueezed

    def _mentions(self, r: Resolved) -> Mentions:
        dateline = self.resolver.dateline_value(r.dateline) if r.dateline else None
        if not (r.countries or r.admin1 or r.groups or r.regions):
            return Mentions(dateline=dateline) if dateline else _NOTHING
        places = self._places(r.places) if r.places else ()
        admin1 = tuple(dict.fromkeys(map(self.resolver.admin1_value, r.admin1)))
        groups = self._groups(r.groups) if r.groups else ()
        countries = tuple(r.countries)
        regions = self._containing(countries, tuple(r.admin1))
        if r.regions:  # regions named in the text come first
            named = list(dict.fromkeys(self.regions[i].name for i, _ in r.regions))
            regions = tuple(named + [n for n in regions if n not in named])
        implied = self._implied(r) if r.implied else ()
        return Mentions(countries, admin1, places, regions, groups, dateline, implied)

    def _implied(self, r: Resolved) -> tuple[tuple[str, str], ...]:
        """What gave each country that only who acted, a group's home or a border gave, in words."""
        out = []
        for country, (kind, h) in r.implied.items():
            if kind == "home":
                name = next((self.catalogue.groups[i].canonical for i, g in r.groups if g is h), h.surface)
                out.append((country, f"{name} (the group's home)"))
            elif kind == "forces":  # "RUSSIAN SHELLING": Russian forces
                demonym = h.surface.title() if h.surface.isupper() or h.surface.islower() else h.surface
                out.append((country, f"{demonym} forces"))
            else:
                out.append((country, f'"{h.surface}" (named only as a border)'))
        return tuple(out)

    def _places(self, found) -> tuple[Place, ...]:
        """Each place once, as first named, in the order of the text (a second pass over the
        text can find a town named before one the first pass found)."""
        first: dict[tuple[str, str], Place] = {}
        facts = self.resolver.place_facts
        for i, h, why in sorted(found, key=_span_of) if len(found) > 1 else found:
            fact = facts(i)
            if fact[:2] not in first:
                first[fact[:2]] = Place(*fact, h.span, why)
        return tuple(first.values())

    def _groups(self, found) -> tuple[GroupMention, ...]:
        first: dict[str, tuple[GroupInfo, object]] = {}  # each group as first named
        for i, h in found:
            g = self.catalogue.groups[i]
            first.setdefault(g.canonical, (g, h))
        return tuple(self._group(g, h) for g, h in first.values())

    def _group(self, g: GroupInfo, h) -> GroupMention:
        why = f'"{h.surface}" is {g.label}' if h.surface != g.canonical else g.label
        return GroupMention(g.canonical, g.aliases, g.affiliation, h.span, why, g.state)

    def _regions_containing(self, countries: tuple[str, ...], admin1_ids: tuple[int, ...]) -> tuple[str, ...]:
        """Every region containing one of these countries or admin1, in config order (from
        tables: trying each region's `contains` on each place cost ~100 k instructions for a
        combination not seen before)."""
        found: set[int] = set()
        for c in countries:
            found.update(self._country_regions.get(c, ()))
        for i in admin1_ids:
            held = self._admin1_regions.get(i)
            if held is None:
                a = self.resolver.admin1_value(i)
                held = frozenset(k for k, r in enumerate(self.regions) if r.contains(a.country, a.name))
                self._admin1_regions[i] = held
            found.update(held)
        return tuple(self.regions[k].name for k in sorted(found))

    # -- team rules ---------------------------------------------------------------------------

    def match(self, team: Team, mentions: Mentions, text: str) -> TeamMatch | None:
        w = team.watch
        words = Folded.of(text).text.lower() if (w.keywords or w.exclude) else ""
        if any(f" {fold(x)} " in words for x in w.exclude if fold(x)):
            return None
        region_lines = [line for t in w.regions if (line := self._region_line(t, mentions))]
        group_lines = [line for t in w.groups if (line := self._group_line(t, mentions))]
        keyword_lines = [f'keyword "{k}"' for k in w.keywords if fold(k) and f" {fold(k)} " in words]
        if w.require == "region_and_group":
            fired = (
                bool(region_lines or not w.regions)
                and bool(group_lines or not w.groups)
                and bool(region_lines or group_lines)
            )
        else:
            fired = bool(region_lines or group_lines or keyword_lines)
        if not fired:
            return None
        return TeamMatch(team.name, tuple(region_lines + group_lines + keyword_lines))

    def _region_line(self, name: str, m: Mentions) -> str | None:
        term = self.term(name)
        if term is None:
            return None
        if term.kind == REGION:
            reg: Region = term.value  # type: ignore[assignment]
            if reg.name not in m.regions:
                return None
            return f'region "{reg.name}" ← {self._why_region(reg, m)}'
        if term.kind == COUNTRY:
            if term.value not in m.countries:
                return None
            via = next((p for p in m.places if p.country == term.value), None)
            if via is not None:
                return f'country "{name}" ← {_place_label(via)}'
            return f'country "{name}" ← ' + (self._named_by(term.value, m) or "named in text")
        if term.kind == ADMIN1:
            if Admin1(*term.value) not in m.admin1:  # type: ignore[misc]
                return None
            via = next((p for p in m.places if (p.country, p.admin1) == term.value), None)
            return f'admin1 "{name}" ← ' + (_place_label(via) if via else "named in text")
        via = next((p for p in m.places if fold(p.name) == term.value), None)
        return f'place "{name}" ← {_place_label(via)}' if via else None

    def _named_by(self, country: str, m: Mentions) -> str | None:
        """What gave a country with no place in it, when no name or demonym of it did: a region
        inside it ("Somaliland"), its state forces ("Sudan's army"), or, in a text that names no
        country, the forces that acted ("Russian shelling"), an armed group's home ("Taliban
        kill 5 policemen") or a border ("near the Malian border")."""
        for implied, why in m.implied:
            if implied == country:
                return why
        for name in m.regions:
            if any(r.name == name and r.home == country for r in self.regions):
                return f"region {name}"
        for g in m.groups:
            info = self.catalogue.by_name.get(g.name)
            if g.state and info is not None and info.countries == (country,):
                return f"state forces {g.name}"
        return None

    def _why_region(self, reg: Region, m: Mentions) -> str:
        for p in m.places:
            if reg.contains(p.country, p.admin1):
                return _place_label(p)
        for a in m.admin1:
            if reg.contains(a.country, a.name):
                return f"{a.name} ({a.country})"
        for c in m.countries:
            if c in reg.countries:
                by = self._named_by(c, m)
                return f"{self.country_name(c)} ← {by}" if by else self.country_name(c)
        return "named in text"

    def _group_line(self, name: str, m: Mentions) -> str | None:
        covered = self.catalogue.members(name)
        hit = next((g for g in m.groups if g.name in covered), None)
        if hit is None:
            return None
        info = self.catalogue.by_name[hit.name]
        return f'group "{name}" ← {info.label}'

    def term(self, name: str) -> Term | None:
        """What a watch name means: region > country > admin1 > town (cached)."""
        if name not in self._terms:
            self._terms[name] = self._read_term(name)
        return self._terms[name]

    def _read_term(self, name: str) -> Term | None:
        ix = self.index
        for reg in self.regions:
            if fold(reg.name) == fold(name):
                return Term(name, REGION, reg)
        if len(name) == 2 and name.upper() in ix.c_code:
            return Term(name, COUNTRY, name.upper())
        readings = ix.refs_of(name)
        for want in (REGION, COUNTRY, gindex.DEMONYM, ADMIN1, PLACE):
            for kind, idx in readings:
                if kind != want:
                    continue
                if kind == REGION:
                    return Term(name, REGION, self.regions[idx])
                if kind in (COUNTRY, gindex.DEMONYM):
                    return Term(name, COUNTRY, ix.c_code[idx])
                if kind == ADMIN1:
                    return Term(name, ADMIN1, (ix.a_cc[idx], ix.a_name[idx]))
                return Term(name, PLACE, fold(name))
        return None

    # -- vocabulary (config validation) and look-ups ------------------------------------------

    def region_suggestions(self, name: str) -> list[str] | None:
        if self.term(name) is not None:
            return None
        choices = [r.name for r in self.regions] + self.index.c_name + self.index.a_name
        return close_names(name, choices)

    def group_suggestions(self, name: str) -> list[str] | None:
        if self.catalogue.find(name) is not None:
            return None
        return close_names(name, self.catalogue.names())

    def country_name(self, code: str) -> str:
        ix = self.index
        return ix.c_name[ix.c_code.index(code)] if code in ix.c_code else code

    def where(self, name: str) -> list[PlaceInfo]:
        """Every place, admin1 or country the gazetteer knows by this name, largest first."""
        ix = self.index
        out = []
        for kind, idx in ix.refs_of(name):
            if kind == PLACE:
                a = ix.p_admin1[idx]
                out.append(
                    self._info(
                        ix.p_name[idx],
                        ix.a_name[a] if a >= 0 else None,
                        ix.p_cc[idx],
                        ix.p_lat[idx],
                        ix.p_lon[idx],
                        ix.p_pop[idx],
                    )
                )
            elif kind == ADMIN1:
                out.append(self._info(ix.a_name[idx], ix.a_name[idx], ix.a_cc[idx], 0.0, 0.0, 0))
            elif kind == COUNTRY:
                out.append(self._info(ix.c_name[idx], None, ix.c_code[idx], 0.0, 0.0, 0))
        return sorted(out, key=lambda p: -p.population)

    def _info(self, name, admin1, cc, lat, lon, pop) -> PlaceInfo:
        regions = tuple(r.name for r in self.regions if r.contains(cc, admin1))
        return PlaceInfo(
            name, admin1, cc, self.country_name(cc), regions, round(lat, 4), round(lon, 4), int(pop)
        )

    def who(self, name: str) -> GroupInfo | None:
        return self.catalogue.find(name)

    def admin1_names(self, country: str, name: str) -> tuple[str, ...]:
        """All names of one admin1 (used to score against labels written another way)."""
        ix = self.index
        for i, (cc, n) in enumerate(zip(ix.a_cc, ix.a_name, strict=True)):
            if cc == country and n == name:
                return ix.a_names[i]
        return (name,)


def _span_of(found: tuple) -> tuple[int, int]:
    return found[1].span


def _place_label(p) -> str:
    return f"{p.name} ({p.admin1}, {p.country})" if p.admin1 else f"{p.name} ({p.country})"


def build_progress(rows: Iterable) -> Iterable:
    """The index build's progress bar, on a terminal only: a worker's log file or a
    platform's log stream would get a line of bar every second (tqdm's disable=None)."""
    from tqdm import tqdm

    return tqdm(
        rows,
        desc="building gazetteer index",
        unit=" places",
        file=sys.stderr,
        mininterval=1.0,
        leave=False,
        disable=None,
    )


def build_index(config_dir: Path, dumps: list[Path], regions, catalogue) -> Index:
    try:
        return gindex.build(config_dir, dumps, regions, catalogue, build_progress)
    except (OSError, ValueError) as e:
        raise ConfigError([f"cannot build the gazetteer index: {e}"]) from None


@lru_cache(maxsize=2)
def _loaded(path: Path) -> Index:
    """One index in memory per process, however many matchers are built over it (the name
    automaton is ~100 MB outside Python's heap: tests build many matchers, and the garbage
    collector, which cannot see that memory, freed them too late)."""
    return gindex.load(path)
