"""Syndicated items: who wrote them, where they were filed, and titles without section prefixes.

An aggregator such as AllAfrica republishes other outlets' stories: its description starts
"[Studio Tamani] Timbuktu -- ..." and its title "Mali: ...". Wire copy starts with a dateline,
"NAIROBI, Kenya (Reuters) - ...". These pure functions split such prefixes off so a card can
name the outlet that wrote the story, show the title without "Africa:", keep the section's
country, and so the dateline (where the report was filed, not where it happened) can be told
apart from the places the story is about. The word lists are in syndication.yaml.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

_DATA = Path(__file__).with_name("syndication.yaml")
# "[Outlet Name]" at the very start, then an optional "City --" / "City —" dateline.
_BRACKETED = re.compile(r"\s*\[(?P<outlet>[^\[\]\n]{1,80})\]\s*")
_DASH = r"(?:--|—|–|-)"
# A dateline: a few capitalised words (a city, maybe ", Country" and "& City"), then a dash.
_PLACE_WORDS = r"[A-ZÀ-Ý][\w'’.\-]*(?:[ ]+(?:[A-ZÀ-Ý][\w'’.\-]*|de|du|el|al|es|of|and|&|&amp;|&#x26;amp;))*"
_DATELINE = re.compile(rf"(?P<dateline>{_PLACE_WORDS}(?:,[ ]*{_PLACE_WORDS}){{0,2}})[ ]*{_DASH}+[ ]+")
_DATE = r"(?:,[ ]*(?:\d{1,2}[ ]+\w{3,9}\.?|\w{3,9}\.?[ ]+\d{1,2}))?"  # ", Jan 5" / ", 12 mars"
# With no outlet named: "Addis Ababa -- ..." (a long dash: a hyphen is too common in running
# text), or a shouted city and a colon, as Arab News and Al Jazeera write: "RIYADH: ...".
_BARE_DATELINE = re.compile(
    rf"\s*(?P<dateline>{_PLACE_WORDS}(?:,[ ]*{_PLACE_WORDS}){{0,2}})[ ]*(?:--|—|–)[ ]+"
)
_CAPS_DATELINE = re.compile(
    r"\s*(?P<dateline>[A-Z][A-Z'’.\-]{2,}(?:[ ][A-Z][A-Z'’.\-]+)*"  # LANSING
    r"(?:,[ ]*[A-Z][\w.]+(?:[ ][A-Z][\w.]+)*)?)[ ]*:[ ]+"  # , Michigan:
)


@dataclass(frozen=True)
class Byline:
    outlet: str | None  # who wrote the story: "Studio Tamani", "Reuters"; None when not said
    dateline: str | None  # where it was filed: "Timbuktu", "NAIROBI, Kenya"; None when none
    dateline_span: tuple[int, int] | None  # the dateline's place in the text given
    end: int  # where the story's own words start in the text given


@dataclass(frozen=True)
class Headline:
    title: str  # without the section prefix
    section: str | None  # "Mali", "Africa", "Congo-Kinshasa"; None when the title had none
    country: str | None  # ISO 3166-1 alpha-2 when the section is one country


@cache
def _lists() -> tuple[dict[str, str | None], re.Pattern[str]]:
    data = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    sections = {str(k).casefold(): v for k, v in data["sections"].items()}
    agencies = sorted(set(data["agencies"]), key=len, reverse=True)
    wire = re.compile(
        rf"\s*(?:(?P<dateline>{_PLACE_WORDS}(?:,[ ]*{_PLACE_WORDS}){{0,2}}){_DATE}[ ]*)?"
        rf"\((?P<outlet>{'|'.join(re.escape(a) for a in agencies)})\)[ ]*{_DASH}+[ ]*"
    )
    return sections, wire


def byline(text: str) -> Byline:
    """The outlet and dateline at the start of an item's description or text, if any.

    "[Dabanga] Khartoum -- ..." → Dabanga, Khartoum; "[Chatham House] Apart from ..." →
    Chatham House, no dateline; "NAIROBI, Kenya (Reuters) - ..." → Reuters, NAIROBI, Kenya;
    "Addis Ababa -- ..." and "RIYADH: ..." → no outlet, a dateline; anything else → no
    outlet, no dateline, the story starts at 0.
    """
    m = _BRACKETED.match(text)
    if m:
        outlet, end = m.group("outlet").strip(), m.end()
        d = _DATELINE.match(text, end)
        if d and len(d.group("dateline")) <= 60:
            return Byline(outlet, _tidy(d.group("dateline")), d.span("dateline"), d.end())
        return Byline(outlet, None, None, end)
    w = _lists()[1].match(text)
    if w:
        span = w.span("dateline") if w.group("dateline") else None
        dateline = _tidy(w.group("dateline")) if w.group("dateline") else None
        return Byline(w.group("outlet"), dateline, span, w.end())
    for rx in (_BARE_DATELINE, _CAPS_DATELINE):
        d = rx.match(text)
        if d and len(d.group("dateline")) <= 60:
            return Byline(None, _tidy(d.group("dateline")), d.span("dateline"), d.end())
    return Byline(None, None, None, 0)


def headline(title: str) -> Headline:
    """The title without an aggregator's section prefix ("Mali: Jihadists Ambush ..."), with the
    section and its country kept apart. A prefix that is not a known section stays ("Sudan
    conflict: ...", "Analysis: ..."): it is part of the headline."""
    head, sep, rest = title.partition(":")
    if not sep or not rest.strip():
        return Headline(title.strip(), None, None)
    sections = _lists()[0]
    key = html.unescape(head).strip().casefold()
    if key not in sections:
        return Headline(title.strip(), None, None)
    return Headline(rest.strip(), head.strip(), sections[key])


def _tidy(dateline: str) -> str:
    return html.unescape(html.unescape(dateline)).strip(" ,")
