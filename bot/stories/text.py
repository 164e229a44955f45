"""Text → the content words clustering compares.

Folded (case, accents), stop words dropped, plural/possessive endings cut, and event words
mapped to their kind, so "Mali army repelled assault" and "JNIM attack" share "#attack".
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.stories.lexicon import event_word_class
from bot.stories.urls import normalise_text


def _word_set(block: str) -> frozenset[str]:
    return frozenset(block.split())


# Function words plus reporting verbs and outlet boilerplate: they say nothing about which
# event a text is about.
STOP_WORDS = _word_set("""
a about above after again against all also am an and any are as at be been before being below
between both but by can could did do does doing down during each few for from further had has
have having he her here hers him his how i if in into is it its itself just me more most my no
nor not now of off on once only or other our out over own same she should so some such than
that the their them then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your yours
says said say saying told tells report reports reported reportedly according claims claimed
amid new news update updates live latest via read more per cent percent least people
ld writethru st nd rd th mr mrs ms
jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july
august september october november december monday tuesday wednesday thursday friday saturday
sunday week weeks day days year years month months yesterday today
""")

_WORD = re.compile(r"[a-z0-9]+")


def content_words(text: str) -> list[str]:
    """Folded content words in text order; event words become '#kind'."""
    return [w for w in map(_content_word, _WORD.findall(normalise_text(text))) if w]


@lru_cache(maxsize=65536)  # every report's every word comes here; the vocabulary is small
def _content_word(raw: str) -> str | None:
    if raw in STOP_WORDS or (len(raw) < 2 and not raw.isdigit()):
        return None
    kind = event_word_class(raw)
    return f"#{kind}" if kind else _stem(raw)


def _stem(word: str) -> str:
    # Only the endings that split one name or noun in two across headlines ("soldiers"/
    # "soldier"); a real stemmer also merges words that name different things.
    if word.isdigit() or len(word) <= 4:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word
