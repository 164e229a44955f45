"""News written for the tests (tests/fixtures/news): a seed article, headlines of invented
events, and feed entries in the shapes BBC, Al Jazeera and AllAfrica serve. Not real reports."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

NEWS = Path(__file__).resolve().parent / "fixtures" / "news"

SEED_TITLE = "Jihadists Say They Overran Army Camp in Central Mali"


def seed_text() -> str:
    """The seed article: JNIM's raid on Boulikessi (Mopti, Mali), a second attack in Timbuktu,
    and a context figure (400+ deaths across three countries) that is not this event's toll."""
    return (NEWS / "boulikessi.txt").read_text(encoding="utf-8")


@cache
def events() -> dict[str, dict[str, Any]]:
    """Invented events, each with the headlines of its reports (several outlets, one event)."""
    return json.loads((NEWS / "events.json").read_text(encoding="utf-8"))


def headline(event: str, n: int = 0) -> str:
    return events()[event]["headlines"][n]


def feed_path(name: str) -> Path:
    return NEWS / name


def jsonl(name: str) -> list[dict[str, Any]]:
    """Feed entries as JSON Lines: title, description, link, date_published."""
    text = (NEWS / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]
