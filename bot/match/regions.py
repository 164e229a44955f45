"""Macro-regions (regions.yaml): named sets of countries and admin1 divisions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.config import read_yaml
from bot.errors import ConfigError
from bot.match.fold import fold


@dataclass(frozen=True)
class Region:
    name: str
    names: tuple[str, ...]  # how texts say it ("the Sahel", "Lake Chad")
    countries: frozenset[str]
    admin1: frozenset[tuple[str, str]]  # (country, folded admin1 name)

    def contains(self, country: str, admin1: str | None) -> bool:
        return country in self.countries or (admin1 is not None and (country, fold(admin1)) in self.admin1)


def load_regions(path: Path) -> tuple[Region, ...]:
    data = read_yaml(path) or {}
    if not isinstance(data, dict) or not isinstance(data.get("regions"), dict):
        raise ConfigError([f"{path}: expected a top-level 'regions' mapping"])
    return tuple(_region(path, name, spec) for name, spec in data["regions"].items())


def _region(path: Path, name: str, spec: dict) -> Region:
    if not isinstance(spec, dict) or set(spec) - {"names", "countries", "admin1"}:
        raise ConfigError([f"{path}: regions.{name}: expected names/countries/admin1"])
    admin1 = set()
    for ref in spec.get("admin1") or []:
        country, sep, admin = str(ref).partition("/")
        if not sep or len(country) != 2:
            raise ConfigError([f'{path}: regions.{name}.admin1: expected "CC/Name", got {ref!r}'])
        admin1.add((country, fold(admin)))
    countries = frozenset(spec.get("countries") or [])
    if not countries and not admin1:
        raise ConfigError([f"{path}: regions.{name}: needs countries or admin1"])
    names = tuple(dict.fromkeys([name, *(spec.get("names") or [])]))
    return Region(name, names, countries, frozenset(admin1))
