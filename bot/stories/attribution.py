"""Who gives a figure: "separatists accuse the army of killing 24" → "alleged by separatists",
"a rights group says" → "a rights group says". A speaker is a name or a noun phrase ending in a
speaker noun ("officials", "rights group"); pronouns are not speakers.
"""

from __future__ import annotations

import re

# Nouns that end a speaker's noun phrase.
_SPEAKERS = (
    r"group|groups|activists?|officials?|medics|doctors|residents|witnesses|monitor|observatory|"
    r"ministry|army|military|police|separatists|rebels|militants|jihadists|insurgents|authorities|"
    r"spokes(?:man|woman|person)|NGO|organi[sz]ation|agency|mission|governor|mayor|hospital|"
    r"media|television|TV|radio|survivors|relatives|coalition|movement|government|minister|chief|"
    r"leaders?|lawmakers?|council|committee|network|union|sources|source"
)
_SPEAKER = (
    rf"(?P<src>(?:(?:a|an|the|local|several)\s+)?(?:[\w'’-]+\s+){{0,3}}?(?:{_SPEAKERS})"
    r"|[A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’-]+|of|for))*\s+[A-Z][\w'’-]+)"
)
_ACCUSE = re.compile(
    rf"{_SPEAKER}\s+(?:have\s+|has\s+|had\s+)?(?:accus|alleg|blam)(?:e|es|ed|ing)\b", re.IGNORECASE
)
_SAYS = re.compile(rf"{_SPEAKER}\s+(?:say|says|said|told|reported|report)\b", re.IGNORECASE)
_COMMON_FIRST = re.compile(
    rf"(?:{_SPEAKERS}|rights|human|local|security|medical|aid|armed|state|regional|provincial|"
    r"hospital|several|two|three|many|some)",
    re.IGNORECASE,
)
_PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i", "who", "which", "that", "this", "there", "one"])


def _speaker(m: re.Match[str]) -> str | None:
    src = " ".join(m.group("src").split())
    words = src.split()
    if not words or words[-1].lower() in _PRONOUNS or words[0].lower() in _PRONOUNS:
        return None
    # "A rights group", a headline's "Separatists", "Local officials": common nouns, not names.
    if words[0].lower() in ("a", "an", "the") or (m.start() == 0 and _COMMON_FIRST.fullmatch(words[0])):
        return src[0].lower() + src[1:]
    return src


_PLURAL = re.compile(
    r"(?:activists|officials|medics|doctors|residents|witnesses|separatists|rebels|militants|jihadists|"
    r"insurgents|authorities|survivors|relatives|sources|groups|leaders|lawmakers)$",
    re.IGNORECASE,
)


def source(sentence: str) -> tuple[str, int, int] | None:
    """(value, start, end) of who gives the figures of a sentence, or None."""
    for rx, template in ((_ACCUSE, "alleged by {}"), (_SAYS, "{} says")):
        m = rx.search(sentence)
        src = _speaker(m) if m else None
        if src:
            value = template.format(src)
            if template == "{} says" and _PLURAL.search(src):
                value = f"{src} say"
            return value, m.start(), m.end()
    return None
