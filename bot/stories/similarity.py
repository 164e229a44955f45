"""How alike two texts are, and how much their places, groups and countries agree.

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

    def add(self, words: Iterable[str]) -> None:
        self._df.update(set(words))
        self._docs += 1

    def remove(self, words: Iterable[str]) -> None:
        self._df.subtract(set(words))
        self._docs -= 1

    def weight(self, word: str) -> float:
        idf = math.log((self._docs + _PRIOR_DOCS) / (self._df[word] + 1))
        generic = word.startswith("#") or word in GENERIC or word.isdigit()
        return idf * (0.5 if generic else 1.0)


def text_similarity(a: frozenset[str], b: frozenset[str], df: DocFrequencies) -> float:
    """Weighted cosine of two word sets, with near-identical spellings counted as shared."""
    if not a or not b:
        return 0.0
    shared = sum(df.weight(w) for w in a & b)
    shared += sum(min(df.weight(x), df.weight(y)) for x, y in _spelling_pairs(a - b, b - a))
    norm = math.sqrt(sum(df.weight(w) for w in a) * sum(df.weight(w) for w in b))
    return min(1.0, shared / norm) if norm else 0.0


def _spelling_pairs(left: set[str], right: set[str]) -> list[tuple[str, str]]:
    pool = [w for w in right if _is_name_like(w)]
    pairs = []
    for word in sorted(w for w in left if _is_name_like(w)):
        # Same first letter: transliterations keep it (Lisichansk/Lysychansk, Shabab/
        # Shabaab), while eastern/western score 86 on the letters alone.
        same_start = [w for w in pool if w[0] == word[0]]
        hit = process.extractOne(word, same_start, scorer=fuzz.ratio, score_cutoff=SPELLING_CUTOFF)
        if hit:
            pairs.append((word, hit[0]))
            pool.remove(hit[0])
    return pairs


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
    countries_conflict: bool  # both name countries, none in common

    def describe(self) -> str:
        bits = [f"place {p}" for p in sorted(self.shared_places)]
        bits += [f"group {g}" for g in sorted(self.shared_groups)]
        return ", ".join(bits)


def agreement(
    places: tuple[frozenset[str], frozenset[str]],
    groups: tuple[frozenset[str], frozenset[str]],
    countries: tuple[frozenset[str], frozenset[str]],
) -> EntityAgreement:
    (pa, pb), (ga, gb), (ca, cb) = places, groups, countries
    return EntityAgreement(
        shared_places=pa & pb,
        shared_groups=ga & gb,
        places_conflict=bool(pa and pb and not pa & pb),
        groups_conflict=bool(ga and gb and not ga & gb),
        countries_conflict=bool(ca and cb and not ca & cb),
    )
