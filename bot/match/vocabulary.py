"""The names a watch may use, checked without the name automaton: `check-config` reads the
built index's tables and its names file (0.14 + 0.1 s here) instead of the 68 MB automaton
(0.7 s), and answers exactly as the matcher would (tests/test_vocabulary.py)."""

from __future__ import annotations

import pickle
from bisect import bisect_left
from pathlib import Path

from bot.match import index as gindex
from bot.match.fold import fold, scan_form


def close_names(name: str, choices: list[str]) -> list[str]:
    """Up to three names like `name`, best first (the did-you-mean of a watch name)."""
    from rapidfuzz import fuzz, process  # only for a name nobody knows: not at every start

    found = process.extract(name, list(dict.fromkeys(choices)), scorer=fuzz.WRatio, limit=3, score_cutoff=70)
    return [c for c, _, _ in found]


class Vocabulary:
    """config.Vocabulary over a built index's tables and names, as Matcher.term reads them."""

    def __init__(self, tables: gindex.Index, keys: list[str]):
        self.tables, self.keys = tables, keys
        self.regions, self.catalogue, _ = tables.config

    @classmethod
    def load(cls, config_dir: Path, data_dir: Path) -> Vocabulary | None:
        """None when the index for this config is not built yet, or has no names file: the
        caller loads the Matcher, which builds (or completes) it."""
        path = gindex.cache_path(data_dir, gindex.input_hash(config_dir, gindex.imported_dumps(data_dir)))
        if not (gindex.is_built(path) and (path / gindex.NAMES).is_file()):
            return None
        with (path / gindex.TABLES).open("rb") as f:
            tables = pickle.load(f)
        with (path / gindex.NAMES).open("rb") as f:
            keys = pickle.load(f)
        return cls(tables, keys)

    def knows_place(self, name: str) -> bool:
        """A region, country (name, demonym or code), admin1 or place: what Matcher.term finds."""
        if any(fold(r.name) == fold(name) for r in self.regions):
            return True
        if len(name) == 2 and name.upper() in self.tables.c_code:
            return True
        form = scan_form(name)
        return any(self._has(f" {v} ") for v in dict.fromkeys((form.title(), form, form.upper())))

    def _has(self, key: str) -> bool:
        i = bisect_left(self.keys, key)
        return i < len(self.keys) and self.keys[i] == key

    def region_suggestions(self, name: str) -> list[str] | None:
        if self.knows_place(name):
            return None
        return close_names(name, [r.name for r in self.regions] + self.tables.c_name + self.tables.a_name)

    def group_suggestions(self, name: str) -> list[str] | None:
        if self.catalogue.find(name) is not None:
            return None
        return close_names(name, self.catalogue.names())
