"""Names a report uses (people, places, groups, things), and named events ("the Derna
floods", "l'attaque de Boulkessi", "Cyclone Freddy").

A name is a capitalised word in running text, or, in a Title Case headline, a capitalised
word that is rare in the language (wordfreq), so "Youssouf" and "AU" count and "Beats" does
not. Names are folded like content words (`text.content_words`), so they can be looked up
among a report's words: a shared name weighs more than a shared word. How rare a name is in
the language is its prior weight: "Banibangou" says more than "Kenya".
"""

from __future__ import annotations

import re
from functools import lru_cache

from wordfreq import zipf_frequency

from bot.stories.lexicon import FAMILY, kinds_in
from bot.stories.text import stem
from bot.stories.urls import normalise_text
from bot.stories.words import generic, not_names, outlets_re

_TOKEN = re.compile(r"[A-Za-zÀ-ÿ0-9][\w'’]*")
_SENTENCE_END = re.compile(r"[.!?:;\"“”«»]\s*$|^\s*$")
RARE = 3.5  # zipf below this: rare enough to be a name even at the start of a sentence


def names(title: str, text: str, lang: str | None) -> frozenset[str]:
    """Folded name keys in the title and the report's text (datelines already cut)."""
    text_caps = _capitalised_midsentence(text)
    out = set(_names_in(title, lang, title_case=_is_title_case(title), also=text_caps))
    out |= set(_names_in(text, lang, title_case=False, also=frozenset()))
    return frozenset(out)


@lru_cache(maxsize=65536)
def rarity(name: str, lang: str | None) -> float:
    """1.0 for a name the language hardly knows (Banibangou), 0.5 for one it knows (Boko
    Haram), 0 for one it uses daily (Nigeria, Apple): the window's own counts say the rest."""
    z = _zipf(name, lang or "en")
    return max(0.0, min(1.0, (4.5 - z) / 2.5))


def _names_in(text: str, lang: str | None, *, title_case: bool, also: frozenset[str]) -> list[str]:
    shouting = _is_shouting(text)
    parts = [
        (part, m.start())
        for m in _TOKEN.finditer(_without_outlets(text))
        for part in re.split(r"[-'’]", m.group(0))
        if part
    ]
    found = []
    for i, (part, start) in enumerate(parts):
        key = _key(part)
        if not key or not part[:1].isupper():
            continue
        initial = title_case or shouting or _SENTENCE_END.search(text[:start]) is not None
        # "Burkina Faso" at the start of a headline: a capitalised word before a name is part of it.
        before_name = i + 1 < len(parts) and parts[i + 1][0][:1].isupper() and not title_case
        if _is_name(part, key, lang, initial=initial and not before_name, also=also, shouting=shouting):
            found.append(key)
    return found


def _is_name(
    word: str, key: str, lang: str | None, *, initial: bool, also: frozenset[str], shouting: bool
) -> bool:
    if key.isdigit() or len(key) < 2 or key.startswith("#"):
        return False
    if _is_acronym(word) and not shouting and len(word) <= 6:
        return key not in _FUNCTION_CAPS  # "AU", "RSF", "M23"; not "LE" of a shouted French line
    if key in not_names() or key in generic():
        return False
    # At the start of a sentence (or anywhere in a Title Case headline) capitals say nothing:
    # a common word there is a word, unless the text also capitalises it mid-sentence.
    return not initial or key in also or _zipf(key, lang or "en") < RARE


_FUNCTION_CAPS = frozenset({"a", "i", "the", "of", "and", "le", "la", "les", "de", "du", "des", "et", "un"})


def _is_shouting(text: str) -> bool:
    letters = [c for c in text[:200] if c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) > 0.8 * len(letters)


def _capitalised_midsentence(text: str) -> frozenset[str]:
    keys = set()
    for m in _TOKEN.finditer(text):
        if m.group(0)[:1].isupper() and _SENTENCE_END.search(text[: m.start()]) is None:
            keys.add(_key(m.group(0)))
    return frozenset(keys)


def _is_title_case(title: str) -> bool:
    words = [w for w in _TOKEN.findall(title) if len(w) >= 4 and w.isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(word) >= 2 and len(letters) >= 1 and word.upper() == word


def _without_outlets(text: str) -> str:
    # Outlet names are matched on folded text, which keeps one character per character.
    folded = normalise_text(text) if not text.isascii() else text.lower()
    if len(folded) != len(text):
        return text
    out = list(text)
    for m in outlets_re().finditer(folded):
        out[m.start() : m.end()] = " " * (m.end() - m.start())
    return "".join(out)


@lru_cache(maxsize=65536)
def _key(word: str) -> str:
    folded = normalise_text(word).replace(" ", "")
    return stem(folded) if folded else ""


@lru_cache(maxsize=65536)
def _zipf(key: str, lang: str) -> float:
    return zipf_frequency(key, lang)


# -- named events -----------------------------------------------------------------------

_NAME = r"[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+){0,2}"
_EVENT_NOUNS_EN = (
    r"floods?|flooding|earthquake|quake|attacks?|massacre|bombing|ambush|siege|offensive|fire|blaze|"
    r"wildfire|outbreak|landslide|explosion|blast|summit|trial|crash"
)
_EVENT_NOUNS_FR = (
    r"inondations?|crue|s[ée]isme|attaques?|massacre|attentat|embuscade|explosion|incendie|si[èe]ge|"
    r"sommet|proc[èe]s|naufrage|offensive"
)
_NAMED = (
    re.compile(rf"(?P<name>{_NAME})\s+(?P<noun>{_EVENT_NOUNS_EN})\b", re.IGNORECASE),
    re.compile(rf"(?P<noun>{_EVENT_NOUNS_FR})\s+(?:de|du|des|d['’]|à)\s*(?P<name>{_NAME})", re.IGNORECASE),
)
# "Cyclone Freddy", "Storm Daniel", "Operation Barkhane": named by construction, however common
# the name.
_NAMED_BY_PREFIX = re.compile(
    r"\b(?P<noun>Cyclone|Hurricane|Typhoon|Storm|Tropical Storm|Operation|Opération|[Tt]emp[êe]te|"
    r"[Oo]uragan)\s+(?P<name>[A-ZÀ-Ý][\w'’-]+)"
)


def named_events(title: str, text: str, keys: frozenset[str], lang: str | None) -> frozenset[str]:
    """'family:name' for events the report names by a rare name ("Derna floods" and
    "inondations de Derna" are both "disaster:derna"); `keys` are the report's names."""
    found = set()
    for block in (title, text):
        for m in _NAMED_BY_PREFIX.finditer(block):
            kind = "operation" if m.group("noun").lower().startswith("op") else "disaster"
            found.add(f"{kind}:{_key(m.group('name'))}")
        for rx in _NAMED:
            for m in rx.finditer(block):
                name = [_key(w) for w in re.split(r"[\s'’-]+", m.group("name")) if _key(w)]
                name = [w for w in name if w in keys and w not in not_names()]
                if name and (len(name) > 1 or _zipf(name[-1], lang or "en") < RARE - 0.5):
                    found.add(f"{_noun_family(m.group('noun'))}:{' '.join(name)}")
    return frozenset(found)


def _noun_family(noun: str) -> str:
    kinds = kinds_in(noun)
    if kinds:
        return sorted(FAMILY[k] for k in kinds)[0]
    return normalise_text(noun).split()[0]  # summit, trial, operation: their own kind
