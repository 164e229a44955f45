"""Who a report says the victims are, by class (words.yaml `victims`): security forces,
civilians, aid workers, peacekeepers. "JNIM attacks army camp in Kayes" and "Gunmen kill
four traders near Kayes" share a town, a kind and hours, and are two events; a class, not
a word, is compared, so "police" and "gendarmes", or "troops" and "army post", agree."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from bot.stories.urls import normalise_text
from bot.stories.words import yaml_block


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    out = {}
    for cls, words in yaml_block("victims").items():
        forms = sorted((normalise_text(w) for w in words), key=len, reverse=True)
        out[cls] = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in forms) + r")s?\b")
    return out


@lru_cache(maxsize=8192)
def victims(title: str, lead: str) -> tuple[tuple[str, str], ...]:
    """(class, word) for each class of victims the headline names, or if it names none the
    lead's first sentence: later sentences recall other attacks."""
    for text in (title, lead):
        folded = normalise_text(text)
        found = tuple((cls, m.group(0)) for cls, rx in _patterns().items() if (m := rx.search(folded)))
        if found:
            return found
    return ()
