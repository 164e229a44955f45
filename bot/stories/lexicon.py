"""Words for kinds of events (events.yaml), shared by clustering and by summaries.

Summaries read the English words of security events (`event_kinds`), so a fact can say
"attack" and cite the sentence with "assault". Clustering reads every kind in English and
French (`families`), so an attack and a flood in one town are told apart, and "assault",
"attaque" and "attack" count as one word (`event_word_class`).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

import yaml

from bot.stories.urls import normalise_text

_PATH = Path(__file__).with_name("events.yaml")


@cache
def _data() -> dict:
    return yaml.safe_load(_PATH.read_text(encoding="utf-8"))


@cache
def _kinds() -> dict[str, dict]:
    return {k: v for k, v in _data().items() if k != "stage_kinds"}


# kind → English stems of security events, most specific kind first (summaries read these).
EVENT_STEMS: dict[str, tuple[str, ...]] = {
    kind: tuple(spec["en"]) for kind, spec in _kinds().items() if spec.get("security")
}
FAMILY: dict[str, str] = {kind: spec["family"] for kind, spec in _kinds().items()} | {"blast": "blast"}
SECURITY_FAMILIES = frozenset(FAMILY[k] for k, spec in _kinds().items() if spec.get("security"))

_STEM_RE = {
    kind: re.compile(r"\b(?:" + "|".join(re.escape(s.strip()) for s in stems) + r")", re.IGNORECASE)
    for kind, stems in EVENT_STEMS.items()
}


def event_kinds(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) for each security event word in the text, most specific kind first."""
    found, taken = [], []
    for kind, rx in _STEM_RE.items():
        for m in rx.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue  # "suicide bomb" already said this is a suicide bombing, not a bombing
            taken.append((m.start(), m.end()))
            found.append((kind, m.start(), m.end()))
    return found


@cache
def _all_stems() -> tuple[tuple[str, str], ...]:
    """(folded stem, kind) over both languages, longest first: "tropical storm" is a storm
    before "storm" can be an attack, "suicide bomb" a suicide bombing before a bombing."""
    ambiguous = {normalise_text(s) for spec in _kinds().values() for s in spec.get("ambiguous", [])}
    pairs = {
        (folded, "blast" if folded in ambiguous else kind)
        for kind, spec in _kinds().items()
        for folded in (normalise_text(s) for s in [*spec.get("en", []), *spec.get("fr", [])])
    }
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p)))


@cache
def _family_re() -> tuple[re.Pattern[str], dict[str, str]]:
    stems = _all_stems()
    kind_of = {s: k for s, k in reversed(stems)}  # a stem listed under two kinds keeps the first
    rx = re.compile(r"\b(?:" + "|".join(re.escape(s) for s, _ in stems) + r")")
    return rx, kind_of


@lru_cache(maxsize=8192)  # other outlets' copies repeat the headline
def kinds_in(text: str) -> frozenset[str]:
    """The kinds of event a text names, in English or French (alternation tries longest stems
    first, so each phrase counts once, as its most specific kind)."""
    rx, kind_of = _family_re()
    return frozenset(kind_of[m.group(0)] for m in rx.finditer(normalise_text(text)))


def given_kinds(kind: str) -> frozenset[str] | None:
    """Our kinds for a kind the caller gives: the event stage's names ("air_strike"), ours
    ("airstrike"), or words ("drone strike"). None when it says no more than the text
    ("displacement", "none"): read the text then."""
    stage = _data()["stage_kinds"]
    if kind in stage:
        return frozenset({stage[kind]}) if stage[kind] else None
    if kind in _kinds():
        return frozenset({kind})
    return kinds_in(kind) or None


def rare_kind(kind: str) -> bool:
    """A kind of event rare enough that two reports of it in one country on one day are most
    likely one event (an earthquake, a central bank's rate decision, a court's sentences),
    unlike attacks, which are daily news (events.yaml `rare`)."""
    return bool(_kinds().get(kind, {}).get("rare"))


# Families whose news is told in figures of speech of violence ("Trump attacks Powell after
# the Fed holds rates"): against a security kind they neither forbid a join nor count as
# differing kinds (events.yaml `figurative`).
FIGURATIVE = frozenset(spec["family"] for spec in _kinds().values() if spec.get("figurative"))


def families(kinds: frozenset[str]) -> frozenset[str]:
    return frozenset(FAMILY.get(k, k) for k in kinds)


# Kinds whose words become one token: what happened, said in other words or another language
# ("sinks", "capsizes", "chavire"). Aid, health and civic words stay words ("ebola" and
# "measles" are not one outbreak).
_TOKEN_FAMILIES = SECURITY_FAMILIES | {"disaster", "blast", "accident", "justice"}


@lru_cache(maxsize=65536)
def event_word_class(word: str) -> str | None:
    """The kind a single folded word belongs to, so synonyms (and translations) share one token."""
    for stem, kind in _all_stems():
        if " " not in stem and FAMILY[kind] in _TOKEN_FAMILIES and word.startswith(stem):
            return kind
    return None
