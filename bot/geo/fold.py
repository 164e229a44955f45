"""Folding text to single-space-separated, lower-case, accent-free words, and scanning it.

Names and text are folded the same way, so "Ségou", "SEGOU" and "Segou" meet, and a name
matches only as whole words (patterns are " name " in a text that is " w1 w2 … ").
Every folded word keeps its original offsets, so each hit maps back to a span of the text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

import ahocorasick

_WORD = re.compile(r"[^\W_]+")
# Letters that Unicode does not decompose into a base letter plus accents.
_SPECIAL = {"ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ı": "i", "ß": "s",
            "æ": "a", "Æ": "a", "œ": "o", "Œ": "o", "þ": "t", "ð": "d", "ħ": "h"}


class _FoldTable(dict):
    """str.translate table: every character to exactly one folded character (computed lazily)."""

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        out = _SPECIAL.get(ch)
        if out is None:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            low = (base or ch).lower()
            out = low[0] if low else ch
        self[cp] = out
        return out


_TABLE = _FoldTable()


def fold_word(word: str) -> str:
    """One word, folded character by character (same length as the input)."""
    return word.translate(_TABLE)


def fold(name: str) -> str:
    """A name as the scanner sees it: folded words joined by single spaces."""
    return " ".join(fold_word(w) for w in _WORD.findall(name))


@dataclass(frozen=True)
class Folded:
    """A text folded for scanning, with the original span of each folded word."""

    text: str  # " w1 w2 … wn "
    starts: list[int]  # position of each word in `text`
    spans: list[tuple[int, int]]  # each word's span in the original text

    @classmethod
    def of(cls, original: str) -> Folded:
        parts, starts, spans = [" "], [], []
        pos = 1
        for m in _WORD.finditer(original):
            w = fold_word(m.group())
            starts.append(pos)
            spans.append(m.span())
            parts.append(w)
            parts.append(" ")
            pos += len(w) + 1
        return cls("".join(parts), starts, spans)

    def word_at(self, pos: int) -> int:
        """Index of the word that contains folded position `pos`."""
        return bisect_right(self.starts, pos) - 1


@dataclass(frozen=True)
class Hit:
    key: int  # id of the matched name
    first: int  # first word index
    last: int  # last word index (inclusive)
    span: tuple[int, int]  # in the original text


class Scanner:
    """Whole-word multi-pattern search over folded text (pyahocorasick)."""

    def __init__(self, automaton: ahocorasick.Automaton):
        self.automaton = automaton

    @staticmethod
    def build(keys: list[str]) -> ahocorasick.Automaton:
        """An automaton whose value for each folded key is its index in `keys`."""
        a = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for i, key in enumerate(keys):
            a.add_word(f" {key} ", i)
        a.make_automaton()
        return a

    def hits(self, folded: Folded, word_counts: list[int] | bytes) -> list[Hit]:
        """All whole-word matches, overlapping ones included."""
        out = []
        if self.automaton.kind != ahocorasick.AHOCORASICK or not folded.starts:
            return out
        for end, key in self.automaton.iter(folded.text):
            last = folded.word_at(end - 1)
            first = last - word_counts[key] + 1
            span = (folded.spans[first][0], folded.spans[last][1])
            out.append(Hit(key, first, last, span))
        return out


def longest_first(hits: list[Hit]) -> list[Hit]:
    """Leftmost-longest hits that do not overlap ("Burkina Faso" wins over "Faso")."""
    chosen: list[Hit] = []
    taken_until = -1
    for h in sorted(hits, key=lambda h: (h.first, -h.last)):
        if h.first > taken_until:
            chosen.append(h)
            taken_until = h.last
    return chosen
