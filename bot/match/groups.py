"""Armed-group catalogue (groups.yaml): canonical names, aliases, affiliations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from bot.configfiles import yamlfile
from bot.errors import ConfigError
from bot.match.catalogue_check import Known, check_groups
from bot.match.fold import fold


@dataclass(frozen=True)
class GroupInfo:
    canonical: str
    aliases: tuple[str, ...]
    affiliation: str | None
    countries: tuple[str, ...]
    state: bool = False  # a state's armed forces (SAF, FAMa), watchable like a group
    main: str | None = None  # of several home countries, where a text naming only the group is
    community: bool = False  # a people (Fulani, Tiv): an armed actor only beside a word for armed men

    @property
    def home(self) -> str | None:
        """The country a text that names this group and no country is about, if one stands out."""
        return self.countries[0] if len(self.countries) == 1 else self.main

    @property
    def label(self) -> str:
        """ "JNIM — al-Qaeda affiliate", as alerts show it."""
        return f"{self.canonical} — {self.affiliation} affiliate" if self.affiliation else self.canonical


def is_acronym(alias: str) -> bool:
    """Acronyms ("IS", "JNIM", "LeT") only match with the same case: "is" is a verb."""
    letters = re.sub(r"[^A-Za-z]", "", alias)
    return " " not in alias and len(letters) <= 6 and sum(c.isupper() for c in letters) >= 2


class Catalogue:
    def __init__(self, groups: tuple[GroupInfo, ...]):
        self.groups = groups
        self.by_name = {g.canonical: g for g in groups}
        self._folded: dict[str, GroupInfo] = {}
        for g in groups:
            for n in (g.canonical, *g.aliases):
                self._folded.setdefault(fold(n), g)
        self.affiliations = {g.affiliation for g in groups if g.affiliation}

    @classmethod
    def load(cls, path: Path, known: Known | None = None) -> Catalogue:
        """The catalogue of one groups.yaml; ConfigError lists every problem in it."""
        doc = yamlfile.read(path)
        problems = check_groups(doc, known or Known())
        if problems:
            raise ConfigError(problems)
        return cls(tuple(_group(row) for row in doc.data["groups"]))

    def find(self, name: str) -> GroupInfo | None:
        """A group by canonical name or any alias (folded: case and accents ignored)."""
        return self._folded.get(fold(name))

    def members(self, name: str) -> frozenset[str]:
        """Canonical names a watch on `name` covers: the group and, for a franchise, its affiliates."""
        g = self.find(name)
        if g is None:
            return frozenset()
        return self._affiliates.get(g.canonical, frozenset()) | {g.canonical}

    @cached_property
    def _affiliates(self) -> dict[str, frozenset[str]]:
        """Franchise → its affiliates' canonical names (every team's watch asks, every item)."""
        found: dict[str, set[str]] = {}
        for g in self.groups:
            if g.affiliation:
                found.setdefault(g.affiliation, set()).add(g.canonical)
        return {k: frozenset(v) for k, v in found.items()}

    def names(self) -> list[str]:
        return [n for g in self.groups for n in (g.canonical, *g.aliases)]


def _group(row: dict) -> GroupInfo:
    aliases = tuple(str(a) for a in row.get("aliases") or [] if str(a) != row["name"])
    countries = tuple(row.get("countries") or [])
    return GroupInfo(
        str(row["name"]),
        aliases,
        row.get("affiliation"),
        countries,
        row.get("kind") == "state",
        row.get("main"),
        row.get("kind") == "community",
    )
