"""RSS / Atom / JSON Feed payloads → Items, with a real feed parser."""

from __future__ import annotations

import hashlib
import html
import re
from datetime import UTC, datetime

import fastfeedparser

from bot.models import Item

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


class FeedError(Exception):
    pass


def parse_feed(body: bytes, *, source_id: str, base_url: str = "") -> list[Item]:
    # Never pass a str: fastfeedparser downloads anything that starts with "http".
    try:
        parsed = fastfeedparser.parse(body)
    except Exception as e:  # the parser raises many kinds on broken input
        raise FeedError(f"not a feed: {type(e).__name__}: {str(e)[:200]}") from None
    items, seen = [], set()
    for entry in parsed.get("entries", []):
        item = _to_item(entry, source_id)
        if item and item.guid not in seen:
            seen.add(item.guid)
            items.append(item)
    return items


def _to_item(entry: dict, source_id: str) -> Item | None:
    title = plain_text(entry.get("title") or "")
    link = (entry.get("link") or "").strip()
    summary = plain_text(entry.get("description") or entry.get("summary") or "")
    if not (title or summary):
        return None
    guid = (entry.get("id") or link or "").strip()
    if not guid:
        guid = "sha1:" + hashlib.sha1(f"{title}\n{summary}".encode()).hexdigest()
    return Item(source_id=source_id, guid=guid, url=link, title=title, summary=summary,
                published=_date(entry.get("published") or entry.get("updated")))


def plain_text(value: str) -> str:
    """HTML fragment → one line of plain text."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", value))).strip()


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        d = datetime.fromisoformat(value)
    except ValueError:
        return None
    return d.astimezone(UTC) if d.tzinfo else d.replace(tzinfo=UTC)
