"""How alike two texts are, and how much their places and groups agree.

Text: cosine of content-word sets, each word weighted by how rare it is in the open window
(a name like "Boulikessi" says more than "soldiers"). Words that differ only in spelling
("Lisichansk"/"Lysychansk", "Shabab"/"Shabaab") are paired with rapidfuzz, so transliterations
do not split a story.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process


def _word_set(block: str) -> frozenset[str]:
    return frozenset(block.split())


# Words every conflict report uses: weighted down before any corpus statistics exist, so a
# small window does not join two attacks because both "killed soldiers".
GENERIC = _word_set("""
kill killed killing dead death die died toll soldier troop militant fighter rebel insurgent
army military force security police civilian wounded wound injured injure official government
gunman gunmen armed group terrorist jihadist islamist villager resident local region regional
district province state town city village country north south east west northern southern
eastern western central northeast northwest southeast southwest area deadly two three four five
six seven eight nine ten one dozen dozens hundred
""")

# rapidfuzz ratio for two long words to count as one name: Lisichansk/Lysychansk score 80
# (no change on the dev bench between 80 and 85).
SPELLING_CUTOFF = 80.0
_PRIOR_DOCS = 50  # smoothing: a word seen in every doc of a tiny window is not yet "common"


class DocFrequencies:
    """Document frequencies over the docs currently open, updated as they come and go."""

    def __init__(self) -> None:
        self._df: Counter[str] = Counter()
        self._docs = 0
        self._cache: dict[str, float] = {}  # weights since the last change
        self._totals: dict[frozenset[str], float] = {}  # word-set totals since the last change

    def add(self, words: Iterable[str]) -> None:
        self._df.update(set(words))
        self._docs += 1
        self._cache.clear()
        self._totals.clear()

    def remove(self, words: Iterable[str]) -> None:
        self._df.subtract(set(words))
        self._docs -= 1
        self._cache.clear()
        self._totals.clear()

    def weight(self, word: str) -> float:
        w = self._cache.get(word)
        if w is None:
            idf = math.log((self._docs + _PRIOR_DOCS) / (self._df[word] + 1))
            generic = word.startswith("#") or word in GENERIC or word.isdigit()
            w = self._cache[word] = idf * (0.5 if generic else 1.0)
        return w

    def total(self, words: Iterable[str]) -> float:
        # The hot loop of clustering: the cache looked up inline, weight() only on a miss.
        cache, total = self._cache, 0.0
        for w in words:
            x = cache.get(w)
            total += self.weight(w) if x is None else x
        return total

    def set_total(self, words: frozenset[str]) -> float:
        """total() of a document's word set, computed once per change of the window."""
        t = self._totals.get(words)
        if t is None:
            t = self._totals[words] = self.total(words)
        return t


def text_similarity(a: frozenset[str], b: frozenset[str], df: DocFrequencies, *, floor: float = 0.0) -> float:
    """Weighted cosine of two word sets, with near-identical spellings counted as shared.

    Below `floor` the exact value does not matter: spelling pairs (the slow part) are only
    looked for when they could lift the score to `floor`.
    """
    if not a or not b:
        return 0.0
    norm = math.sqrt(df.set_total(a) * df.set_total(b))
    if not norm:
        return 0.0
    shared = df.total(a & b)
    left = [w for w in a - b if _is_name_like(w)]
    right = [w for w in b - a if _is_name_like(w)]
    if left and right and shared + min(df.total(left), df.total(right)) >= floor * norm:
        shared += sum(min(df.weight(x), df.weight(y)) for x, y in _spelling_pairs(left, right))
    return min(1.0, shared / norm)


def _spelling_pairs(left: list[str], right: list[str]) -> list[tuple[str, str]]:
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
    return len(word) >= 6 and not word.isdigit() and word[0] != "#" and word not in GENERIC


@dataclass(frozen=True)
class EntityAgreement:
    """What two sets of mentions say about being the same event."""

    shared_places: frozenset[str]
    shared_groups: frozenset[str]
    places_conflict: bool  # both name specific places, none in common
    groups_conflict: bool  # both name armed groups, none in common

    def describe(self) -> str:
        bits = [f"place {p}" for p in sorted(self.shared_places)]
        bits += [f"group {g}" for g in sorted(self.shared_groups)]
        return ", ".join(bits)


def agreement(
    places: tuple[frozenset[str], frozenset[str]],
    groups: tuple[frozenset[str], frozenset[str]],
) -> EntityAgreement:
    """Disjoint countries are not weighed here: they forbid a join outright (Clusterer)."""
    (pa, pb), (ga, gb) = places, groups
    return EntityAgreement(
        shared_places=pa & pb,
        shared_groups=ga & gb,
        places_conflict=bool(pa and pb and not pa & pb),
        groups_conflict=bool(ga and gb and not ga & gb),
    )
