"""One pass of the vocabulary's automaton over an item's folded text.

The text is folded one character for one (accents dropped, lower case, anything that is not a
letter or digit a space), so a hit's position in the folded text is its span in the original,
and phrases match whole words only. Runs of spaces are not squeezed: a phrase does not run
across punctuation ("attack. Civilians" is no "attack civilians"). A hit knows whether it is in
the headline, the lead or the tail, and the word it starts at (for "within N words" tests).
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

from bot.event.vocabulary import LANGS, Cue, Vocabulary
from bot.match.fold import fold, replace_non_ascii


class _LowerFold(dict):
    """str.translate table: each character to one lower-case, accent-free ASCII letter or digit,
    a space, or _OTHER for a letter with no ASCII form (it matches no phrase); filled lazily, as
    bot.match.fold does for its case-keeping table."""

    def __missing__(self, cp: int) -> str:
        out = fold(chr(cp))[:1] or " "
        if not out.isascii():
            out = _OTHER if out.isalnum() else " "
        self[cp] = out
        return out


MAX_HITS = 200  # cues read from one text at most
_OTHER = "\x7f"  # a letter or digit with no ASCII form: part of a word, never of a phrase
_TABLE = _LowerFold()
_ASCII = bytes(ord(chr(c).lower()) if chr(c).isalnum() or c == 127 else 32 for c in range(128)) + bytes(128)
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")
# Where a sentence ends, in the text as written ("U.S. forces" goes on).
_SENTENCE_END = re.compile(r"\n|[a-z0-9)][.!?]\s")


@lru_cache(maxsize=4096)
def _fold_run(run: str) -> str:
    return run.translate(_TABLE)


def fold_text(text: str) -> str:
    """`text` folded one character for one, padded with a space at each end.

    Non-ASCII characters ("é", "’", "«") are replaced one distinct character at a time (runs
    of them one run at a time, cached, in a text with many distinct ones); the rest goes
    through a bytes table, which is many times faster than translating every character of a
    str."""
    if not text.isascii():
        latin = replace_non_ascii(text, _TABLE)
        text = latin if latin is not None else _NOT_ASCII.sub(lambda m: _fold_run(m.group()), text)
    return f" {text.encode('ascii').translate(_ASCII).decode('ascii')} "


def lower_fold(text: str, folded: str | None) -> str:
    """fold_text(text), from the matcher's fold of the same text (`folded`: " " + one
    character for one, case kept + " "; Folded.unsqueezed), which may go on past `text`:
    when that is ASCII, every character folded to the same letter, digit or space, in lower
    case here; only DEL is a space there and part of a word here."""
    if folded is None or not folded.isascii() or "\x7f" in text:
        return fold_text(text)
    if len(folded) == len(text) + 2:
        return folded.lower()
    return folded[: len(text) + 1].lower() + " "


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


_new = tuple.__new__


def near(h: Hit, others: list, window: int) -> bool:
    """Another hit within `window` words of this one (counting from the nearer ends)."""
    word, words = h.word, h.words
    for o in others:  # a loop: any() over a generator costs twice this, per pair of hits
        longer = o.words if o.words > words else words  # not max(): a call per pair
        if o is not h and abs(o.word - word) <= window + longer - 1:
            return True
    return False


def one_sentence(text: str, a: Hit, b: Hit) -> bool:
    """No line break nor sentence end between two hits (offsets in `low` are one past `text`'s)."""
    start, end = (a.last, b.first) if a.first < b.first else (b.last, a.first)
    return _SENTENCE_END.search(text, start - 1, end - 1) is None


class Scan:
    """The hits of one text, by class (a plain slotted class: one is made per item)."""

    __slots__ = ("by_class", "languages", "low", "text", "title_end")

    def __init__(
        self,
        text: str,
        low: str,
        by_class: dict[str, list[Hit]],
        languages: tuple[str, ...],
        title_end: int = 0,
    ):
        self.text = text  # the original text that was read (a prefix of the item's text)
        self.low = low  # " " + the text folded one character for one + " ": what the automaton read
        self.by_class = by_class
        self.languages = languages  # active languages, e.g. ("en",) or ("en", "fr")
        self.title_end = title_end  # where the headline ends, in `low` (one past its end in `text`)

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


def read(
    vocabulary: Vocabulary,
    text: str,
    language: str | None = None,
    *,
    quick: bool = False,
    groups: bool = False,
    forces: bool = False,
    folded: str | None = None,
) -> Scan | None:
    """Every cue in the head of `text` (`folded`: the matcher's fold of the text, see lower_fold).

    `quick`: None, before any per-cue work, when nothing in the text could make it security
    news: no specific event word (weight above 1) and no harm word, nor a general one
    ("clashes", "escalate") when the matcher found a non-state armed group (`groups`), nor one
    that needs an armed actor ("arrested") beside an actor word or any group or force the
    matcher found (`forces`). Most news."""
    settings = vocabulary.settings
    text = text[: settings.read_chars]
    low = lower_fold(text, folded)
    found = vocabulary.automaton.iter(low)
    given = _given(language)
    if quick:
        found = list(found)
        langs = given or LANGS
        keys = set(map(itemgetter(1), found))
        if (
            vocabulary.decisive[langs].isdisjoint(keys)
            and (not groups or vocabulary.general[langs].isdisjoint(keys))
            and (
                vocabulary.needs_actor[langs].isdisjoint(keys)
                or (not forces and vocabulary.armed[langs].isdisjoint(keys))
            )
        ):
            return None
    title_end = _title_end(text) + 1  # positions in `low` are one past those in `text`
    lead_end = title_end + settings.lead_chars
    languages = given or _guess_languages(vocabulary, low)
    title_factor, tail_factor = settings.title_factor, settings.tail_factor
    lengths, active = vocabulary.lengths, vocabulary.active[languages]
    by_class: dict[str, list[Hit]] = {}
    hits = 0
    counted, words = 0, 0  # words before `counted`: hits come roughly in text order
    for end, key in found:
        group = active[key]
        if not group:  # a phrase of the other language only
            continue
        first = end - lengths[key]
        factor = title_factor if first < title_end else 1.0 if first < lead_end else tail_factor
        if first < counted:
            counted, words = 0, 0
        words += low.count(" ", counted, first)
        counted = first
        for cue in group:
            # tuple.__new__ skips the NamedTuple's Python-level __new__: a hit is made per cue
            hit = _new(Hit, (cue, first, end, words, cue.words, factor))
            found_class = by_class.get(cue.cls)
            if found_class is None:
                by_class[cue.cls] = [hit]
            else:
                found_class.append(hit)
            hits += 1
        if hits >= MAX_HITS:  # a text dense with cues has said enough; keep the cost bounded
            break
    return Scan(text, low, by_class, languages, title_end)


def _given(language: str | None) -> tuple[str, ...] | None:
    """("fr",) for "fr", "fr-FR", "FR"; None for a language the vocabulary has no words for."""
    code = (language or "").strip().lower()[:2]
    return (code,) if code in LANGS else None


def _guess_languages(vocabulary: Vocabulary, low: str) -> tuple[str, ...]:
    """For a text in no language we know the words of: a guess from function words in the
    first 300 characters, both languages when the text mixes them or says too little."""
    head = low[:300]
    words = vocabulary.function_words
    en, fr = sum(map(head.count, words["en"])), sum(map(head.count, words["fr"]))
    if en >= 2 and fr * 3 < en:
        return ("en",)
    if fr >= 2 and en * 3 < fr:
        return ("fr",)
    return LANGS
