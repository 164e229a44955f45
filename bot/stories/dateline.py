"""Where a report's own words start and end: datelines, outlet prefixes, bylines and "Read
more" are not evidence of what happened.

A dateline says where the reporter filed from ("NAIROBI, Kenya (Reuters) —", "Addis Ababa --",
AllAfrica's "[Outlet] City --"), not where the event was: two reports filed from one capital
are no more alike for it. Clustering reads the text from `report_span`, and drops a place
the matcher found only in the dateline (`outside_dateline`), so this works whether or not
the matcher marks dateline places itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.stories.urls import normalise_text
from bot.stories.words import boilerplate_re

_CAP = r"[A-ZÀ-Ý][\w'’.\-]*"  # a capitalised word: "Addis", "N'Djamena", "Port-Soudan"
_PLACE = rf"{_CAP}(?:[ \-]{_CAP}){{0,3}}"  # one to four capitalised words
_DATE = r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[a-zé]{3,9}\.?)"  # "May 3", "12 mai"
_DASH = r"(?:—|–|--|-)"

# "[Outlet] " at the very start (AllAfrica), then maybe its dateline, always ended by " -- ":
# "City -- ", "Rome & Nairobi -- ", "Geneva / Addis Ababa -- ", "Addis Ababa, February 15,
# 2025 -- ", "Addis Ababa, Ethiopia | -- ".
_OUTLET = re.compile(
    rf"\s*\[(?P<outlet>[^\]\n]{{1,80}})\]\s*(?:(?P<place>{_CAP}[^\n]{{0,60}}?)[\s,|]*--\s+)?"
)
# "PLACE[, Region][, Date] [(Agency)] — " at the start of the text.
_WIRE = re.compile(
    rf"\s*(?P<place>{_PLACE}(?:,\s*{_PLACE}){{0,2}}?)"
    rf"(?:,\s*{_DATE})?"
    r"\s*(?:\((?P<agency>[^)\n]{2,30})\))?"
    rf"\s*(?P<dash>{_DASH})\s+"
)
_BYLINE = re.compile(rf"\s*By\s+{_CAP}(?:\s+{_CAP}){{0,3}}(?:\s+and\s+{_CAP}(?:\s+{_CAP}){{0,3}})?\s*\n")
_MIN_LEAD = 20  # a "Read more" in the first words is part of a headline, not the page's tail


@dataclass(frozen=True)
class ReportSpan:
    start: int  # first character of the report's own words
    end: int  # one past the last (trailing boilerplate cut)
    dateline: str  # the dateline's place words ("NAIROBI, Kenya"), or ""
    outlet: str = ""  # the outlet an aggregator names ("[Government of Mauritius]"), or ""


def report_span(text: str) -> ReportSpan:
    start, dateline, outlet = 0, "", ""
    m = _BYLINE.match(text)
    if m:
        start = m.end()
    m = _OUTLET.match(text, start)
    if m:
        start, dateline, outlet = m.end(), (m.group("place") or "").strip(), m.group("outlet")
    else:
        m = _WIRE.match(text, start)
        if m and _is_dateline(m):
            start, dateline = m.end(), m.group("place")
    end = len(text)
    tail = boilerplate_re().search(text, start + _MIN_LEAD)
    if tail:
        end = tail.start()
    return ReportSpan(start, end, dateline, outlet)


def _is_dateline(m: re.Match[str]) -> bool:
    """A capitalised phrase then a dash is a dateline only with a sign of one: an agency in
    brackets, a place in capitals ("BAMAKO"), or the long dash wires use ("--", "—")."""
    first = m.group("place").split(",")[0]
    shouted = first.upper() == first and any(c.isalpha() for c in first)
    return bool(m.group("agency")) or shouted or m.group("dash") in ("--", "—")


# "Africa: ", "Southern Africa: ", "Burkina Faso : " before a headline: a section label.
_LABEL = re.compile(rf"^\s*(?P<label>{_CAP}(?:[ \-]{_CAP}){{0,2}})\s?:\s+(?=\S)")


def headline_label(title: str) -> tuple[str, str]:
    """(label, rest) of a headline that starts with a place label ("Africa: ...", AllAfrica
    puts one on every headline; "Mali : ..." as French outlets write), else ("", title)."""
    m = _LABEL.match(title)
    return (m.group("label"), title[m.end() :]) if m else ("", title)


def report_text(text: str) -> str:
    """The text without its dateline, byline and trailing boilerplate."""
    span = report_span(text)
    return text[span.start : span.end]


def outside_dateline(names: frozenset[str], title: str, text: str) -> frozenset[str]:
    """The names that the title or the report's own words name, or that neither spells out
    (an alias the matcher resolved): a place named only in the dateline is left out."""
    span = report_span(text)
    if not span.dateline:
        return names
    line = f" {normalise_text(span.dateline)} "
    body = f" {normalise_text(title)} {normalise_text(text[span.start : span.end])} "
    kept = []
    for name in names:
        key = f" {normalise_text(name)} "
        if key not in line or key in body:
            kept.append(name)
    return frozenset(kept)
