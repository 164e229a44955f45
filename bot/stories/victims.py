"""Who a report says the victims are, by class (words.yaml `victims`): security forces,
civilians (and what they were doing: trading, praying, mining, travelling), aid workers,
peacekeepers, and fighters where counted. "JNIM attacks army camp in Kayes" and "Gunmen kill
four traders near Kayes" share a town, a kind and hours, and are two events; a class, not a
word, is compared, so "police" and "gendarmes", or "troops" and "army post", agree."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from bot.stories.urls import normalise_text
from bot.stories.words import approximate_numbers, number_words, yaml_block

# Before a fighter word, what makes it a count of the dead rather than the attackers:
# "30 militants", "dozens of jihadists", "killed 30 militants", "une trentaine de terroristes".
_COUNT = r"(?:\d+|{words}|dozens|scores|hundreds|dizaines|plusieurs)(?: of| de| d)?(?: suspected| presumed)?"


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    out = {cls: _alternation(words) for cls, words in yaml_block("victims").items()}
    count = _COUNT.format(words=_number_words())
    for cls, words in yaml_block("counted_victims").items():
        out[cls] = re.compile(rf"\b{count} " + _alternation(words).pattern[2:])
    return out


def _alternation(words: list[str]) -> re.Pattern[str]:
    forms = sorted((normalise_text(w) for w in words), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in forms) + r")s?\b")


def _number_words() -> str:
    spelled = {*number_words("en"), *number_words("fr"), *approximate_numbers()}
    return "|".join(re.escape(w) for w in sorted(spelled, key=len, reverse=True))


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


@cache
def _capture() -> re.Pattern[str]:
    verbs = _alternation(yaml_block("capture_verbs")).pattern[2:]
    people = [w for cls, words in yaml_block("victims").items() if cls != "security forces" for w in words]
    return re.compile(rf"\b{verbs} (?:\w+ ){{0,3}}?" + _alternation(people).pattern[2:])


@lru_cache(maxsize=8192)
def captured(text: str) -> bool:
    """People seized, grabbed or carried off ("gunmen seize dozens of worshippers"): a
    kidnapping told without its word, which the story of the abduction names."""
    return bool(_capture().search(normalise_text(text)))


@cache
def _actors() -> re.Pattern[str]:
    return _alternation(yaml_block("armed_actors"))


def armed_actors(text: str) -> bool:
    """The text names who did violence without a group's name: "par des jihadistes", "gunmen"."""
    return bool(_actors().search(normalise_text(text)))


@cache
def _killing() -> re.Pattern[str]:
    forms = sorted((normalise_text(w) for w in yaml_block("killing")), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in forms) + r")\b")


@lru_cache(maxsize=8192)
def killing(text: str) -> bool:
    """The text says people were killed ("kill", "tués", "abattus"), whoever did it."""
    return bool(_killing().search(normalise_text(text)))


def classes_agree(a: set[str], b: set[str]) -> bool:
    """Some class both name, plain "civilians" agreeing with civilians of any occupation."""
    return any(x == y or x == y.split("/")[0] or y == x.split("/")[0] for x in a for y in b)
