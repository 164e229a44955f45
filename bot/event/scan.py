"""One pass of the vocabulary's automaton over an item's folded text.

The text is folded one character for one (accents dropped, lower case, anything that is not a
letter or digit a space), so a hit's position in the folded text is its span in the original,
and phrases match whole words only. Runs of spaces are not squeezed: a phrase does not run
across punctuation ("attack. Civilians" is no "attack civilians"). A hit knows whether it is in
the headline, the lead or the tail, and the word it starts at (for "within N words" tests).
"""

from __future__ import annotations

from typing import NamedTuple

from bot.event.vocabulary import LANGS, Cue, Vocabulary
from bot.match.fold import fold


class _LowerFold(dict):
    """str.translate table: each character to one lower-case, accent-free letter or digit, or a
    space; filled lazily, as bot.match.fold does for its case-keeping table."""

    def __missing__(self, cp: int) -> str:
        out = fold(chr(cp))[:1] or " "
        self[cp] = out
        return out


MAX_HITS = 200  # cues read from one text at most
_TABLE = _LowerFold()
_ASCII = bytes(ord(chr(c).lower()) if chr(c).isalnum() else 32 for c in range(128)) + bytes(128)


def fold_text(text: str) -> str:
    """`text` folded one character for one, padded with a space at each end."""
    if text.isascii():
        return f" {text.encode('ascii').translate(_ASCII).decode('ascii')} "
    return f" {text.translate(_TABLE)} "


class Hit(NamedTuple):
    cue: Cue
    first: int  # in Scan.low (one past its place in the text)
    last: int  # exclusive
    word: int  # index of its first word
    words: int  # how many words it spans
    factor: float  # weight of its place: headline, lead, tail

    def inside(self, other: Hit) -> bool:
        """Strictly within `other` (a hit is not inside itself)."""
        return (
            other.first <= self.first
            and self.last <= other.last
            and (self.first, self.last)
            != (
                other.first,
                other.last,
            )
        )


class Scan:
    """The hits of one text, by class (a plain slotted class: one is made per item)."""

    __slots__ = ("by_class", "languages", "low", "text")

    def __init__(self, text: str, low: str, by_class: dict[str, list[Hit]], languages: tuple[str, ...]):
        self.text = text  # the original text that was read (a prefix of the item's text)
        self.low = low  # " " + the text folded one character for one + " ": what the automaton read
        self.by_class = by_class
        self.languages = languages  # active languages, e.g. ("en",) or ("en", "fr")

    def span(self, hit: Hit) -> tuple[int, int]:
        """Where a hit's words are in the original text."""
        return hit.first - 1, hit.last - 1

    def words(self, hit: Hit) -> str:
        return self.text[hit.first - 1 : hit.last - 1]

    def of(self, cls: str) -> list[Hit]:
        return self.by_class.get(cls, [])


def _title_end(text: str) -> int:
    """Where the headline ends: the first line break, else the whole of a short text, else
    its first 200 characters or so."""
    cut = text.find("\n")
    if cut >= 0:
        return cut
    if len(text) <= 300:
        return len(text)
    space = text.find(" ", 200)
    return space if space >= 0 else len(text)


def read(vocabulary: Vocabulary, text: str, language: str | None = None) -> Scan:
    settings = vocabulary.settings
    text = text[: settings.read_chars]
    low = fold_text(text)
    title_end = _title_end(text) + 1  # positions in `low` are one past those in `text`
    lead_end = title_end + settings.lead_chars
    languages = _languages(vocabulary, low, language)
    title_factor, tail_factor = settings.title_factor, settings.tail_factor
    lengths, cues = vocabulary.lengths, vocabulary.cues
    by_class: dict[str, list[Hit]] = {}
    found = 0
    for end, key in vocabulary.automaton.iter(low):
        first = end - lengths[key]
        factor = title_factor if first < title_end else 1.0 if first < lead_end else tail_factor
        word = -1
        for cue in cues[key]:
            if cue.lang and cue.lang not in languages:
                continue
            if word < 0:
                word = low.count(" ", 0, first)
            hit = Hit(cue, first, end, word, cue.words, factor)
            if cue.cls in by_class:
                by_class[cue.cls].append(hit)
            else:
                by_class[cue.cls] = [hit]
            found += 1
        if found >= MAX_HITS:  # a text dense with cues has said enough; keep the cost bounded
            break
    return Scan(text, low, by_class, languages)


def _languages(vocabulary: Vocabulary, low: str, given: str | None) -> tuple[str, ...]:
    """The given language when we know its words; else a guess from function words in the
    first 300 characters, both languages when the text mixes them or says too little."""
    code = (given or "").strip().lower()[:2]
    if code in LANGS:
        return (code,)
    head = low[:300]
    counts = {lang: sum(head.count(w) for w in words) for lang, words in vocabulary.function_words.items()}
    ranked = sorted(LANGS, key=lambda lang: -counts[lang])
    top, second = counts[ranked[0]], counts[ranked[1]]
    if top >= 2 and second * 3 < top:
        return (ranked[0],)
    return LANGS
