"""Words for kinds of events, shared by clustering (so "assault" and "attack" count as one
word) and by summaries (so a fact can say "attack" and cite the sentence with "assault")."""

from __future__ import annotations

import re

# kind → word stems. A stem matches a word that starts with it ("ambush" → "ambushed").
# Ordered from most to least specific: a sentence with "IED attack" is an IED first.
EVENT_STEMS: dict[str, tuple[str, ...]] = {
    "IED": ("ied", "roadside bomb", "landmine", "improvised explosive"),
    "suicide bombing": ("suicide bomb", "suicide attack", "suicide blast", "suicide car bomb"),
    "airstrike": (
        "airstrike",
        "air strike",
        "air raid",
        "airstrik",
        "drone strike",
        "drone attack",
        "bombard",
        "aerial bombing",
        "jets destroy",
        "warplane",
        "barrel bomb",
    ),
    "kidnapping": ("kidnap", "abduct", "hostage", "taken captive"),
    "ambush": ("ambush",),
    "bombing": ("bomb", "explosion", "blast", "explode", "grenade"),
    "massacre": ("massacre",),
    "clash": (
        "clash",
        "fighting",
        "battle for",
        "battled",
        "battles between",
        "gunfight",
        "firefight",
        "exchange of fire",
        "fierce fighting",
        "skirmish",
    ),
    "protest": ("protest", "demonstration", "demonstrator", "riot", "crackdown"),
    "attack": (
        "attack",
        "assault",
        "raid",
        "storm",
        "offensive",
        "gunmen",
        "shelling",
        "shell",
        "rocket",
        "seized",
        "overran",
        "invade",
        "captured the",
        "captures",
        "capture of",
        "recapture",
        "fell to",
        "falls to",
        "shot dead",
        "targeted",
    ),
}

_STEM_RE = {
    kind: re.compile(r"\b(?:" + "|".join(re.escape(s.strip()) for s in stems) + r")", re.IGNORECASE)
    for kind, stems in EVENT_STEMS.items()
}


def event_kinds(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) for each event word in the text, most specific kind first."""
    found, taken = [], []
    for kind, rx in _STEM_RE.items():
        for m in rx.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue  # "suicide bomb" already said this is a suicide bombing, not a bombing
            taken.append((m.start(), m.end()))
            found.append((kind, m.start(), m.end()))
    return found


def event_word_class(word: str) -> str | None:
    """The event kind a single folded word belongs to, so synonyms share one token."""
    for kind, rx in _STEM_RE.items():
        if rx.match(word):
            return kind
    return None
