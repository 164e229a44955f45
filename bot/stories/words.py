"""The reviewed word lists of words.yaml, loaded once and folded like the texts they are
compared with."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from bot.stories.urls import normalise_text

_PATH = Path(__file__).with_name("words.yaml")


@cache
def _data() -> dict:
    return yaml.safe_load(_PATH.read_text(encoding="utf-8"))


def _set(block: str) -> frozenset[str]:
    return frozenset(normalise_text(block).split())


@cache
def stop_words() -> frozenset[str]:
    return frozenset().union(*(_set(v) for v in _data()["stop_words"].values()))


@cache
def stop_words_by_language() -> dict[str, frozenset[str]]:
    return {lang: _set(v) for lang, v in _data()["stop_words"].items()}


@cache
def generic() -> frozenset[str]:
    return _set(_data()["generic"])


@cache
def number_words(lang: str) -> dict[str, int]:
    """Number words of one language ("seize" is sixteen in French, a verb in English)."""
    return {normalise_text(w): v for w, v in _data()["numbers"].get(lang, {}).items()}


@cache
def tens_values() -> frozenset[int]:
    """Numbers that a unit word can follow to make one number ("vingt deux")."""
    tens = set(_data()["numbers"]["tens"])
    return frozenset(v for lang in ("en", "fr") for w, v in number_words(lang).items() if w in tens)


@cache
def approximate_numbers() -> dict[str, int]:
    return dict(_data()["numbers"]["approx_fr"])


@cache
def outlets_re() -> re.Pattern[str]:
    """Outlet names in folded text, longest first so "bbc afrique" goes before "bbc"."""
    names = sorted((normalise_text(o) for o in _data()["outlets"]), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")


@cache
def boilerplate_re() -> re.Pattern[str]:
    phrases = [p.strip() for p in _data()["boilerplate"].split("|") if p.strip()]
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b", re.IGNORECASE)


@cache
def toll_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(harm words, killing verbs, toll nouns) of words.yaml's `tolls`."""
    t = _data()["tolls"]
    return _set(t["harm"]), _set(t["kill_verbs"]), _set(t["toll_nouns"])


@cache
def rise_verbs() -> frozenset[str]:
    """Verbs that, after a toll noun, say the count grew (words.yaml `tolls`)."""
    return _set(_data()["tolls"]["rise_verbs"])


@cache
def _acronyms() -> tuple[re.Pattern[str], dict[str, str]]:
    table = {str(k): str(v) for k, v in _data()["acronyms"].items()}
    return re.compile(
        r"\b(?:" + "|".join(map(re.escape, sorted(table, key=len, reverse=True))) + r")\b"
    ), table


def spell_out(text: str) -> str:
    """The text with its known acronyms written out ("BoE cuts" → "Bank of England cuts"),
    as another outlet writes them; case-sensitive, so "fed" stays a verb."""
    rx, table = _acronyms()
    return rx.sub(lambda m: table[m.group(0)], text)


def yaml_block(key: str) -> str:
    """One of words.yaml's space-separated word blocks, as written."""
    return _data()[key]


@cache
def not_names() -> frozenset[str]:
    return _set(_data()["not_names"])
