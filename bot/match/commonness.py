"""How everyday a word each index key is (wordfreq), computed once per distinct word at the
index build."""

from __future__ import annotations

import math
import re
from itertools import chain, repeat


class _Zipf:
    """wordfreq's zipf_frequency in one language for plain lower-case words, read straight from
    its frequency dict (the same numbers; its tokenizer per call made this half of the index
    build)."""

    def __init__(self, lang: str) -> None:
        from wordfreq import get_frequency_dict, zipf_frequency

        self.lang = lang
        self.freqs = get_frequency_dict(lang)
        self.slow = zipf_frequency
        self.zipfs: dict[float, float] = {}

    def __call__(self, key: str) -> float:
        if not _PLAIN.match(key):
            return self.slow(key, self.lang)
        inverse = 0.0
        for token in key.split():
            f = self.freqs.get(token)
            if f is None:
                return 0.0
            inverse += 1.0 / f
        return self.of(1.0 / inverse)

    def of(self, freq: float) -> float:
        """The zipf value of a frequency (one word's is one of ~800 values: each computed once)."""
        z = self.zipfs.get(freq)
        if z is None:
            rounded = round(freq, math.floor(-math.log(freq, 10)) + 3)  # wordfreq keeps 3 digits
            z = self.zipfs[freq] = round(math.log(rounded, 10) + 9, 2)
        return z


_PLAIN = re.compile(r"^[a-z]+(?: [a-z]+)*$")
_DIGIT = re.compile(r"\d")


def commonness_of(keys: list[str]) -> bytes:
    """How everyday a word each key is: wordfreq zipf × 10 (× 5 for several words: names of
    several words are rarely everyday phrases), the larger of English and French; 0 with a
    digit. One language at a time, its word lists freed after (wordfreq caches them for the
    process's life: 100 MB held through the automaton's build otherwise)."""
    from wordfreq import get_frequency_dict, get_frequency_list

    lowered = [k.lower() for k in keys]  # "Yatenga", "YATENGA": one word
    words = [w for w in dict.fromkeys(lowered) if not _DIGIT.search(w)]
    # One plain word (most keys) is only looked up, by a set intersection: nine in ten are
    # not in wordfreq's lists and stay 0.
    single = {w for w in words if " " not in w and w.isascii() and w.isalpha() and w.islower()}
    several = [w for w in words if w not in single]
    best: dict[str, float] = {}
    for lang in ("en", "fr"):
        zipf = _Zipf(lang)
        found = [(w, zipf.of(zipf.freqs[w])) for w in single & zipf.freqs.keys()]
        for w, z in chain(found, zip(several, map(zipf, several), strict=True)):
            if z > best.get(w, 0.0):
                best[w] = z
        del zipf, found
        get_frequency_dict.cache_clear()
        get_frequency_list.cache_clear()
    value = {w: int(10 * z if " " not in w else 5 * z) for w, z in best.items()}
    return bytes(map(value.get, lowered, repeat(0)))
