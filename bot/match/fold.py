"""Folding text to single-space-separated, accent-free words, and scanning it.

Names and text are folded the same way, so "Ségou" and "Segou" meet, and a name matches only
as whole words (patterns are " name " in a text that is " w1 w2 … "). Case is kept: place
names are stored as written and in title case, so "say" and "and" (towns somewhere) never even
reach the resolver, while runs of capitals ("KABUL INSECURITY") are title-cased first so that
shouting headlines still match. Folding maps every character to exactly one character (one
C-speed str.translate); only runs of separators are then squeezed to one space, and a short
table of those cuts maps any position back to the original text, so each hit keeps its span.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

import ahocorasick

_RUNS = re.compile(r"  +")
# Words written in lower case inside names in running text: "Tillabéri region", "Niger state";
# a name may open with one in lower case ("the Gambia"), but not with a division word.
_DIVISIONS = frozenset(
    {"region", "province", "state", "district", "governorate", "county", "department", "oblast"}
    | {"prefecture", "division", "city"}
)
_GENERIC = _DIVISIONS | {"of", "the", "and", "de", "du", "des", "la", "le", "el", "al", "river", "lake"}
_PARTICLE = re.compile(r"^(?:al|el|ad|an|ar|as|ash|at|az|ed|d|l)[-'’ ]+")  # "al-Hasakah"
_CAPS_RUN = re.compile(r"\b[A-Z][A-Z0-9]*(?: [A-Z0-9][A-Z0-9]*){2,}\b")
_MAYBE_CAPS_RUN = re.compile(r"[A-Z0-9] [A-Z0-9]+ [A-Z0-9]")  # cheap test that must hold first
_UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
# Letters that Unicode does not decompose into a base letter plus accents.
_SPECIAL = {
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ø": "o",
    "Ø": "O",
    "ı": "i",
    "ß": "s",
    "æ": "a",
    "Æ": "A",
    "œ": "o",
    "Œ": "O",
    "þ": "t",
    "Þ": "T",
    "ð": "d",
    "Ð": "D",
    "ħ": "h",
    "Ħ": "H",
}


class _FoldTable(dict):
    """str.translate table: every character to exactly one character (computed lazily), accents
    dropped, case kept (an upper-case letter folds to an upper-case one); anything that is not a
    letter or digit becomes a space (a boundary)."""

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        out = _SPECIAL.get(ch)
        if out is None and not ch.isalnum():
            out = " "
        if out is None:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            out = base[0] if base and base[0].isalnum() else ch
        self[cp] = out
        return out


_TABLE = _FoldTable()
# The same mapping for ASCII text as a byte table: bytes.translate runs at memory speed, and most
# news text is ASCII.
_ASCII_TABLE = bytes(c if chr(c).isalnum() else 32 for c in range(128)) + bytes(128)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# A folded ASCII text's characters as classes: "U" a capital or digit, " " a space, "x" any other.
_CLASSES = bytes(85 if chr(c) in _UPPER_DIGITS else 32 if c == 32 else 120 for c in range(256))
_MAYBE_CAPS_CLASSES = re.compile(rb"U U+ U")  # _MAYBE_CAPS_RUN over those classes


def _fold_chars(text: str, ascii: bool) -> str:
    """Every character folded to exactly one character (positions are kept)."""
    if not ascii:
        # Translating with a dict costs a look-up per character, ASCII ones included; news text
        # has a few accents and quotes: fold those alone, then the rest as bytes.
        latin = replace_non_ascii(text, _TABLE)
        if latin is None:
            latin = _NON_ASCII.sub(_fold_match, text)
            if not latin.isascii():
                return text.translate(_TABLE)  # another script: character by character
        text = latin
    return text.encode("ascii").translate(_ASCII_TABLE).decode("ascii")


_MAX_DISTINCT = 32  # distinct non-ASCII characters replaced one by one; past that, per character


def replace_non_ascii(text: str, table: dict[int, str]) -> str | None:
    """`text` with each non-ASCII character replaced by its fold in `table` (a str.translate
    table giving one character for one): one str.replace per distinct character, as news text
    has a few accents and quotes, where a regex pass calling Python for each cost twice as much.
    None when one has no ASCII fold (another script) or the text has many distinct ones."""
    chars = set(_NON_ASCII.findall(text))
    if len(chars) > _MAX_DISTINCT:
        return None
    for ch in chars:
        out = table[ord(ch)]
        if not out.isascii():  # replaced, it could be replaced again by a later character's turn
            return None
        text = text.replace(ch, out)
    return text


def _fold_match(m: re.Match) -> str:
    return _TABLE[ord(m.group())]


def _maybe_caps_run(t: str) -> bool:
    """A cheap test that must hold before _CAPS_RUN can match: on ASCII text, run over character
    classes, where the pattern starts with a literal the regex engine looks for quickly."""
    if t.isascii():
        return _MAYBE_CAPS_CLASSES.search(t.encode("ascii").translate(_CLASSES)) is not None
    return _MAYBE_CAPS_RUN.search(t) is not None


def fold(name: str) -> str:
    """A name for case-insensitive comparison: lower-case folded words, single spaces."""
    return " ".join(name.translate(_TABLE).lower().split())


def capitalised(surface: str) -> bool:
    """Written with a capital, after any Arabic article ("al-Hasakah" is)."""
    return _PARTICLE.sub("", surface)[:1].isupper()


def scan_form(name: str) -> str:
    """A name as the scanner stores it: folded words as written (case kept), single spaces."""
    return " ".join(name.translate(_TABLE).split())


def scan_variants(name: str, *, any_case: bool = False) -> set[str]:
    """The forms a name is stored under: as written and title-cased (headlines, shouting
    capitals); `any_case` adds lower case, for group names such as "al-Shabaab"."""
    form = scan_form(name)
    if not form:
        return set()
    title = form.title()
    out = {form, title}
    if " " in form:  # a lone generic word is no name: "AND" (Andorra) must not become "and"
        words = title.split()
        # "Région du Kanem" keeps its capital: a lower-case key "region du Kanem" would be read
        # and dropped as uncapitalised, hiding the "Kanem" inside it ("la région du Kanem")
        generic = [w.lower() if w.lower() in _GENERIC else w for w in words]
        if generic[0] in _DIVISIONS:
            generic[0] = words[0]
        out.add(" ".join(generic))
    if any_case:  # also as a sentence opens: "Al-Qaeda in the Arabian Peninsula"
        out.update((form.lower(), form[:1].upper() + form[1:]))
    return out


class Folded:
    """A text folded for scanning: " w1 w2 … wn ", and where squeezed separators were cut.

    The table of cuts is built on first use: most hits are rejected before their span is needed.
    """

    __slots__ = ("_cuts", "_removed", "_spaced", "ascii", "cased", "text")

    def __init__(self, text: str, spaced: str | None = None, ascii: bool = False, cased: bool = True):
        self.text = text
        self.ascii = ascii  # the original was ASCII
        # Every letter kept its case (no shouting was title-cased), so a name's case and ASCII
        # letters can be read here without finding it in the original.
        self.cased = cased
        self._spaced = spaced  # before squeezing, when it differs from `text`
        self._cuts: list[int] | None = None  # positions in `text` right after a squeezed run
        self._removed: list[int] = []  # characters removed up to each cut

    @classmethod
    def of(cls, original: str) -> Folded:
        ascii = original.isascii()
        spaced = f" {_fold_chars(original, ascii)} "
        t = _RUNS.sub(" ", spaced) if "  " in spaced else spaced
        cased = True
        if _maybe_caps_run(t) and _CAPS_RUN.search(t):  # title-casing keeps positions
            t = _CAPS_RUN.sub(lambda m: m.group().title(), t)
            cased = False
        return cls(t, spaced if len(t) != len(spaced) else None, ascii, cased)

    @property
    def unsqueezed(self) -> str:
        """The text folded one character for one, padded, before runs of separators were
        squeezed (title-cased shouting aside): what the event stage reads, in lower case."""
        return self.text if self._spaced is None else self._spaced

    def _table(self) -> list[int]:
        cuts: list[int] = []
        spaced = self._spaced
        if spaced is not None:  # str.find over the runs: a regex would try a match at every space
            removed, total = self._removed, 0
            pos = spaced.find("  ")
            while pos >= 0:
                end = pos + 2
                while spaced.startswith(" ", end):
                    end += 1
                cuts.append(pos + 1 - total)
                total += end - pos - 1
                removed.append(total)
                pos = spaced.find("  ", end)
        self._cuts = cuts
        return cuts

    def original(self, pos: int) -> int:
        """Offset in the original text of the character at `pos` in `text`."""
        cuts = self._table() if self._cuts is None else self._cuts
        i = bisect_right(cuts, pos) - 1
        return pos - 1 + (self._removed[i] if i >= 0 else 0)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """(start, end) in the original text of text[first:last]."""
        if self._spaced is None:  # nothing was squeezed: only the leading space shifts
            return first - 1, last - 1
        cuts = self._table() if self._cuts is None else self._cuts
        removed = self._removed  # original() twice, inline: a span is asked for per hit
        i, j = bisect_right(cuts, first) - 1, bisect_right(cuts, last - 1) - 1
        return first - 1 + (removed[i] if i >= 0 else 0), last - 1 + (removed[j] if j >= 0 else 0)

    def word_before(self, pos: int) -> tuple[int, int] | None:
        """(start, end) in `text` of the word that ends just before the word at `pos`."""
        if pos < 2:
            return None
        start = self.text.rfind(" ", 0, pos - 1) + 1
        return (start, pos - 1) if start < pos - 1 else None

    def word_after(self, end: int) -> tuple[int, int] | None:
        """(start, end) in `text` of the word after the one ending at `end` (exclusive)."""
        if end + 1 >= len(self.text):
            return None
        stop = self.text.find(" ", end + 1)
        return (end + 1, stop) if stop > end + 1 else None


class Scanner:
    """Whole-word multi-pattern search over folded text (pyahocorasick)."""

    def __init__(self, automaton: ahocorasick.Automaton):
        self.automaton = automaton
        # Asked once: a scanner is made over a finished automaton, and texts are many.
        self._iter = automaton.iter if automaton.kind == ahocorasick.AHOCORASICK else None

    @staticmethod
    def build(keys: list[str]) -> ahocorasick.Automaton:
        """An automaton whose value for each folded key is its index in `keys`."""
        a = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for i, key in enumerate(keys):
            a.add_word(f" {key} ", i)
        a.make_automaton()
        return a

    def scan(self, text: str, key_lengths) -> list[tuple[int, int, int]]:
        """All whole-word matches in a folded text as (first, last, key), overlapping ones
        included; `last` is exclusive."""
        found = self._iter
        if found is None or len(text) < 3:
            return []
        # `end` is the padded key's closing space, which is also where the name ends (exclusive)
        return [(end - key_lengths[key], end, key) for end, key in found(text)]


def longest_first(hits: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Leftmost-longest (first, last, key) hits that do not overlap ("Burkina Faso" wins over
    "Faso")."""
    chosen: list[tuple[int, int, int]] = []
    taken_until = -1
    for h in sorted(hits):  # by start, then shorter first: a longer name at the same start wins
        if h[0] > taken_until:
            chosen.append(h)
            taken_until = h[1]
        elif h[0] == chosen[-1][0]:
            chosen[-1] = h
            taken_until = h[1]
    return chosen
