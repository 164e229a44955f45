"""The number of victims a report gives (killed, or taken), in English or French.

"12 soldiers killed", "killing at least 12", "death toll rises to 19", "douze militaires
tués", "huit morts", "une quarantaine de passagers enlevés": the number next to a death or
abduction word. Only the title and the lead are read: later sentences give other figures
(last month's attacks, the year's toll).
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.stories.text import numbers_as_digits
from bot.stories.urls import normalise_text
from bot.stories.words import approximate_numbers, rise_verbs, toll_words

_WORD = re.compile(r"[a-z0-9]+")
_GAP = 5  # words between a number and its death word: "12 soldiers were reportedly killed"
_RISE_GAP = 8  # between a toll noun and its verb: "le bilan des inondations de Kabwe s'alourdit"


@lru_cache(maxsize=8192)
def toll(text: str, lang: str | None) -> int | None:
    """The first victim count the text gives, or None."""
    words = numbers_as_digits(_WORD.findall(normalise_text(text)), lang)
    approx = approximate_numbers()
    harm, kill_verbs, toll_nouns = toll_words()
    for i, w in enumerate(words):
        n = _number(w, approx)
        if n is None:
            continue
        after = words[i + 1 : i + 1 + _GAP]
        if any(a in harm for a in after) or kill_verbs & set(words[max(0, i - 3) : i]):
            return n
        if toll_nouns & set(words[max(0, i - 8) : i]):
            return n  # "death toll from the hotel assault rises to 19"
    return None


@lru_cache(maxsize=8192)
def rising(text: str) -> bool:
    """The text gives a count as an update: a toll noun, then a rise verb within a few words
    ("Delia death toll rises to 19", "le bilan de l'attaque s'alourdit")."""
    words = _WORD.findall(normalise_text(text))
    nouns, rises = toll_words()[2], rise_verbs()
    return any(w in nouns and rises & set(words[i + 1 : i + 1 + _RISE_GAP]) for i, w in enumerate(words))


def _number(word: str, approx: dict[str, int]) -> int | None:
    if word in approx:
        return approx[word]  # "une quinzaine": about fifteen
    if not word.isdigit() or len(word) > 5:
        return None
    n = int(word)
    return None if n == 0 or 1900 <= n <= 2100 else n  # a year is no toll


def same_toll(a: int | None, b: int | None) -> bool:
    """Two tolls that one count could give: equal, or within a tenth ("about 40" / 42)."""
    return a is not None and b is not None and abs(a - b) <= max(1, 0.1 * max(a, b)) - (a < 10)
