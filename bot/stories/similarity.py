"""How alike a report is to another report, and to a story as a whole.

Each word weighs as rare as it is in the open window (a name like "Boulikessi" says more
than "soldiers"); a name weighs more than a word, and a name the language rarely uses more
than a famous one (`names.rarity`). Similarity is the weighted cosine of two word sets, or of
a word set and a story's word profile (each word by the share of the story's reports that
use it), so a story's steady names count and a word one report used in passing hardly does.
Words that differ only in spelling ("Lisichansk"/"Lysychansk", "Shabab"/"Shabaab") are
paired with rapidfuzz, so transliterations do not split a story.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache

from rapidfuzz import fuzz, process
from wordfreq import zipf_frequency

from bot.stories.coarse import coarse_words
from bot.stories.names import rarity
from bot.stories.words import generic

# rapidfuzz ratio for two long words to count as one name: Lisichansk/Lysychansk score 80
# (no change on the dev bench between 80 and 85).
SPELLING_CUTOFF = 80.0
COARSE = 0.3  # a country's or capital's name: where, roughly, not which event
_PRIOR_DOCS = 50  # smoothing: a word seen in every doc of a tiny window is not yet "common"


class DocFrequencies:
    """Document frequencies over the docs currently open, updated as they come and go, and
    which words some open doc uses as a name, or as the name of an armed group.

    Weights are cached per word until the window has changed by 2% (or 20 reports): a
    weight is a logarithm of counts, and recomputing every weight after every report was
    the largest cost of clustering at 4,000 open reports. `epoch` says when they changed.
    """

    def __init__(self, name_boost: float = 0.0) -> None:
        self._df: Counter[str] = Counter()
        self._names: Counter[str] = Counter()
        self._actors: Counter[str] = Counter()
        self._docs = 0
        self._boost = name_boost
        self._cache: dict[str, float] = {}
        self._cached_at = 0  # self._docs when the cache was last cleared
        self.epoch = 0  # bumps whenever cached weights are dropped

    @property
    def docs(self) -> int:
        return self._docs

    def add(self, words: Iterable[str], names: Iterable[str] = (), actors: Iterable[str] = ()) -> None:
        self._df.update(set(words))
        self._names.update(set(names))
        self._actors.update(set(actors))
        self._docs += 1
        self._maybe_refresh()

    def remove(self, words: Iterable[str], names: Iterable[str] = (), actors: Iterable[str] = ()) -> None:
        self._df.subtract(set(words))
        self._names.subtract(set(names))
        self._actors.subtract(set(actors))
        self._docs -= 1
        self._maybe_refresh()

    def _maybe_refresh(self) -> None:
        if abs(self._docs - self._cached_at) >= max(20, self._docs // 50) or self._docs < 100:
            self._cache.clear()
            self._cached_at = self._docs
            self.epoch += 1

    def count(self, word: str) -> int:
        return self._df[word]

    def weight(self, word: str) -> float:
        w = self._cache.get(word)
        if w is None:
            idf = math.log((self._docs + _PRIOR_DOCS) / (self._df[word] + 1))
            plain = word.startswith("#") or word in generic() or word.isdigit()
            # A country, a capital or an armed group: where roughly, or who; not which event.
            coarse = word in coarse_words() or self._actors[word] > 0
            prior = COARSE if coarse else 0.5 if plain else background(word)
            if self._names[word] > 0 and not plain:
                prior *= 1.0 + self._boost * rarity(word, None)
            w = self._cache[word] = max(idf, 0.0) * prior
        return w


@lru_cache(maxsize=131072)
def background(word: str) -> float:
    """How much a word can say, by how common it is in English or French at large (wordfreq):
    a window of a few hundred reports cannot tell that "shares" or "after" are everyday words,
    the language can. 1.2 for words it hardly knows (Djibo), 0.5 for everyday ones."""
    if word[0] in "#@":
        return 1.0
    # Words are stemmed ("launches" → "launche"): the language knows the plural, not the stem.
    z = max(zipf_frequency(w, lang) for w in (word, word + "s", word + "es") for lang in ("en", "fr"))
    return min(1.2, max(0.25, (7.0 - z) / 4.0))


Weigher = Callable[[str], float]


def set_cosine(
    a: frozenset[str],
    b: frozenset[str],
    weigh: Weigher,
    *,
    floor: float = 0.0,
    totals: tuple[float, float] | None = None,
    spelling: bool = True,
) -> float:
    """Weighted cosine of two word sets, with near-identical spellings counted as shared.

    Below `floor` the exact value does not matter: spelling pairs (the slow part) are only
    looked for when they could lift the score to `floor`, and not at all without `spelling`.
    `totals`: the two sets' total weights, when the caller keeps them.
    """
    if not a or not b:
        return 0.0
    ta, tb = totals or (_total(a, weigh), _total(b, weigh))
    norm = math.sqrt(ta * tb)
    if not norm:
        return 0.0
    shared = _total(a & b, weigh)
    if shared >= norm or not spelling or not shared:
        return min(1.0, shared / norm)  # a transliteration alone is no likeness: "shelling" is
    left = [w for w in a - b if _is_name_like(w)]
    right = [w for w in b - a if _is_name_like(w)]
    if left and right and shared + min(_total(left, weigh), _total(right, weigh)) >= floor * norm:
        shared += sum(min(weigh(x), weigh(y)) for x, y in spelling_pairs(left, right))
    return min(1.0, shared / norm)


def profile_cosine(words: frozenset[str], counts: Counter[str], size: int, weigh: Weigher) -> float:
    """Weighted cosine of a word set and a story's profile: each word of the story by the share
    of its `size` reports that use it."""
    if not words or not size:
        return 0.0
    shared = sum(weigh(w) * counts[w] for w in words if w in counts) / size
    if not shared:
        return 0.0
    story = sum(weigh(w) * c * c for w, c in counts.items()) / (size * size)
    norm = math.sqrt(_total(words, weigh) * story)
    return min(1.0, shared / norm) if norm else 0.0


def _total(words: Iterable[str], weigh: Weigher) -> float:
    return sum(weigh(w) for w in words)


def spelling_pairs(left: list[str], right: list[str]) -> list[tuple[str, str]]:
    pool = sorted(right)
    pairs = []
    for word in sorted(left):
        # Same first letter: transliterations keep it (Lisichansk/Lysychansk, Shabab/
        # Shabaab), while eastern/western score 86 on the letters alone.
        same_start = [w for w in pool if w[0] == word[0]]
        hit = process.extractOne(word, same_start, scorer=fuzz.ratio, score_cutoff=SPELLING_CUTOFF)
        if hit:
            pairs.append((word, hit[0]))
            pool.remove(hit[0])
    return pairs


@lru_cache(maxsize=65536)
def _is_name_like(word: str) -> bool:
    # Long enough that one letter apart is a spelling, not another word; generic words and
    # event tokens are never names.
    return len(word) >= 6 and not word.isdigit() and word[0] not in "#@" and word not in generic()
