"""How many clues of one event a report shares with a story's reports: one shared word or name
is no story ("Tesla" in a report on deliveries and in one on robotaxis).

A shared word counts 1; a country or capital half; a name the language hardly knows that no
other open story uses ("Ouattara" this week) one and a half; an armed group's name (who, not
which event), an office title or a word every report uses ("killed", "president"), a number
(a toll is evidence of its own) and a daily kind of event ("#attack") nothing; a rare kind
("#earthquake") 1. Pieces of evidence add their own clue (evidence.Piece).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from bot.stories.coarse import coarse_words
from bot.stories.features import Features
from bot.stories.lexicon import rare_kind
from bot.stories.names import rarity
from bot.stories.words import generic


def word_clues(
    f: Features,
    nearest: frozenset[str],
    story_counts: Counter[str],
    stories_with: Callable[[str], int],
    *,
    same_country: bool,
    story_says_what: bool,
) -> float:
    """Clues in the words `f` shares with its nearest report, or with two of the story's.
    `stories_with(word)`: how many open stories use it. `same_country`: both are in one
    country, which counts as a shared country name when no shared word names one.
    `story_says_what`: the story names a kind of event."""
    total, coarse, town = 0.0, False, False
    # Where only one side says what happened ("Suicide bomber kills eight at Mogadishu police
    # academy" / "New passenger terminal opens at Mogadishu airport"), a shared place's name
    # says where and no more: no rare-name bonus, or the town alone would join the two.
    parts = {part for p in f.places for part in p.split("_")}
    where = parts if bool(f.families) != story_says_what else set()
    for w in f.words:
        if w in f.actors or not (w in nearest or story_counts.get(w, 0) >= 2):
            continue
        clue = _word_clue(w)
        if (
            clue == 1.0
            and w in f.names
            and w not in where
            and rarity(w, f.lang) >= 0.5
            and stories_with(w) <= 1
        ):
            clue = 1.5
        coarse = coarse or w in coarse_words()
        town = town or w in parts
        total += clue
    # A shared town's name already says which country: it is no second clue (across languages
    # "Bankass" and Mali would otherwise make a bus crash and a forum there one story).
    return total + (0.5 if same_country and not coarse and not town else 0.0)


def _word_clue(word: str) -> float:
    if word[0] == "#":
        return 1.0 if rare_kind(word[1:]) else 0.0
    if word in generic() or word.isdigit():
        return 0.0
    return 0.5 if word in coarse_words() else 1.0
