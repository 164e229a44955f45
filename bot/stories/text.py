"""Text → the content words clustering compares, and the language they are in.

Folded (case, accents), outlet names and stop words dropped (English or French), plural
endings cut, number words read as numbers ("douze", "twelve" → "12") and event words mapped
to their kind, so "Mali army repelled assault", "JNIM attack" and "l'attaque de Boulkessi"
share "#attack".
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.stories.lexicon import event_word_class
from bot.stories.urls import normalise_text
from bot.stories.words import number_words, outlets_re, stop_words, stop_words_by_language, tens_values

_WORD = re.compile(r"[a-z0-9]+")
LANGUAGES = ("en", "fr")


def content_words(text: str, lang: str | None = None) -> list[str]:
    """Folded content words in text order; event words become '#kind', numbers digits."""
    raw = _WORD.findall(outlets_re().sub(" ", normalise_text(text)))
    words = numbers_as_digits(raw, lang)
    stop = stop_words_by_language().get(lang or "", stop_words())
    return [w for w in (_content_word(x) for x in words if x not in stop) if w]


def numbers_as_digits(raw: list[str], lang: str | None) -> list[str]:
    """Number words as digits, compounds as one number: "twenty two" / "vingt deux" / "dix
    sept" (a tens word, then a unit), "soixante dix sept" (77: after 60 or 80 French counts
    on to 19), "quatre vingts" (80) and "deux cents" (200: a unit times 20 or 100)."""
    numbers = number_words(lang or "")
    if not numbers:
        return raw
    tens, out, room, unit = tens_values(), [], 0, False
    for w in raw:
        n = numbers.get(w)
        if n is not None and unit and (n == 100 or (n == 20 and out[-1] == "4")):
            value = int(out[-1]) * n  # "deux cents", "quatre vingts"
            out[-1], room, unit = str(value), _room(value, tens), False
        elif n is not None and 0 < n < room:
            out[-1], room, unit = str(int(out[-1]) + n), _room(n, tens), False
        elif n is not None:
            out.append(str(n))
            room, unit = _room(n, tens), n < 10
        else:
            out.append(w)
            room, unit = 0, False
    return out


def _room(n: int, tens: frozenset[int]) -> int:
    """What a number word may still add to n: a unit after a tens word, up to 19 after
    soixante and quatre-vingt, up to 99 after a hundred."""
    if n in (60, 80):
        return 20
    if n in tens:
        return 10
    return 100 if n >= 100 and n % 100 == 0 else 0


@lru_cache(maxsize=65536)  # every report's every word comes here; the vocabulary is small
def _content_word(raw: str) -> str | None:
    if len(raw) < 2 and not raw.isdigit():
        return None
    kind = event_word_class(raw)
    return f"#{kind}" if kind else stem(raw)


def stem(word: str) -> str:
    # Only the endings that split one name or noun in two across headlines ("soldiers"/
    # "soldier"); a real stemmer also merges words that name different things.
    if word.isdigit() or len(word) <= 4:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("xes", "ches", "shes", "sses")):
        return word[:-2]  # taxes, churches, clashes, crosses
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


# An accent in a lower-case word ("tués", "à"; not the name "Traoré"), or an elision ("l'armée").
_FRENCH_MARKS = re.compile(r"\b[a-zà-ÿ]\w*[éèêàçùûôî]|\b(?:[ldjsnc]|qu)['’]\w")
_ENGLISH_MARKS = re.compile(r"\w['’]s\b")


def language(text: str) -> str | None:
    """'en' or 'fr', by function words and a few marks (accents and elisions for French, "'s"
    for English); English when nothing looks French, None on a tie."""
    head = text[:600]
    counts = {"en": len(_ENGLISH_MARKS.findall(head)), "fr": len(_FRENCH_MARKS.findall(head))}
    only = _only_words()
    for w in _WORD.findall(normalise_text(head)):
        for lang in LANGUAGES:
            counts[lang] += 2 * (w in only[lang])
    if not counts["fr"]:
        return "en" if _WORD.search(head.lower()) else None  # most feeds are English
    return "fr" if counts["fr"] > counts["en"] else "en" if counts["en"] > counts["fr"] else None


@lru_cache(maxsize=1)
def _only_words() -> dict[str, frozenset[str]]:
    """Function words of one language that are no word of the other ("la", "the"; not "sept")."""
    by = stop_words_by_language()
    out = {}
    for lang in LANGUAGES:
        others = [w for k in LANGUAGES if k != lang for w in (*by[k], *number_words(k))]
        out[lang] = frozenset(w for w in by[lang] - frozenset(others) if len(w) > 1)  # not "s" of "'s"
    return out
