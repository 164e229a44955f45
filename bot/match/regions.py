"""Macro-regions (regions.yaml): named sets of countries and admin1 divisions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.configfiles import yamlfile
from bot.errors import ConfigError
from bot.match.catalogue_check import Known, check_regions
from bot.match.fold import fold


@dataclass(frozen=True)
class Region:
    name: str
    names: tuple[str, ...]  # how texts say it ("the Sahel", "Lake Chad")
    countries: frozenset[str]
    admin1: frozenset[tuple[str, str]]  # (country, folded admin1 name)

    @property
    def home(self) -> str | None:
        """The one country the region lies in ("Darfur": SD), None when it spans several."""
        homes = set(self.countries) | {country for country, _ in self.admin1}
        return next(iter(homes)) if len(homes) == 1 else None

    def contains(self, country: str, admin1: str | None) -> bool:
        return country in self.countries or (admin1 is not None and (country, fold(admin1)) in self.admin1)


def load_regions(path: Path, known: Known | None = None) -> tuple[Region, ...]:
    """The regions of one regions.yaml; ConfigError lists every problem in it."""
    doc = yamlfile.read(path)
    problems = check_regions(doc, known or Known())
    if problems:
        raise ConfigError(problems)
    return tuple(_region(name, spec) for name, spec in doc.data["regions"].items())


def _region(name: str, spec: dict) -> Region:
    admin1 = set()
    for ref in spec.get("admin1") or []:
        country, _, admin = str(ref).partition("/")
        admin1.add((country, fold(admin)))
    countries = frozenset(spec.get("countries") or [])
    names = tuple(dict.fromkeys([name, *(spec.get("names") or [])]))
    return Region(name, names, countries, frozenset(admin1))
