"""RSS 2.0, RSS 1.0/RDF, Atom and JSON Feed payloads → Items.

fastfeedparser (lxml, fast, recovers from truncation) first; feedparser for
what it rejects. Both only ever see bytes that passed the entity check.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

import fastfeedparser
import feedparser

from bot.errors import FeedError, HostileXml
from bot.fetch import charset
from bot.fetch.normalise import parse_date, plain_text, stable_guid
from bot.fetch.xmlsafe import looks_truncated, refuse_entities
from bot.models import Item

log = logging.getLogger(__name__)


def parse_feed(
    body: bytes,
    *,
    source_id: str,
    base_url: str = "",
    header_charset: str | None = None,
    now: datetime | None = None,
) -> list[Item]:
    """Items of a feed, first occurrence of each GUID only; FeedError when it is not a feed."""
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        raise FeedError("empty response: no feed document")
    if stripped.startswith((b"{", b"[")):
        entries, language = _json_entries(stripped)
    else:
        entries, language = _xml_entries(body, header_charset)
    items = (_to_item(e, source_id, base_url, language, now) for e in entries)
    return list(unique(i for i in items if i is not None))


def unique(items: Iterable[Item]) -> Iterable[Item]:
    seen: set[str] = set()
    for item in items:
        if item.guid not in seen:
            seen.add(item.guid)
            yield item


def _json_entries(body: bytes) -> tuple[list[dict], str | None]:
    # Never pass a str to fastfeedparser: it downloads anything that starts with "http".
    try:
        json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        raise FeedError(f"broken JSON feed: {str(e)[:150]}") from None
    try:
        parsed = fastfeedparser.parse(body)
    except Exception as e:  # the parser raises many kinds on odd input
        raise FeedError(f"not a JSON Feed: {str(e)[:150]}") from None
    return list(parsed.get("entries") or []), (parsed.get("feed") or {}).get("language")


def _xml_entries(body: bytes, header_charset: str | None) -> tuple[list[dict], str | None]:
    try:
        problem = refuse_entities(body)
    except HostileXml as e:
        raise FeedError(str(e)) from None
    if problem and looks_truncated(body):
        raise FeedError(f"truncated XML ({problem}); will retry next poll")
    body, note = charset.normalise(body, header_charset)
    if note:
        log.info("feed encoding repaired: %s", note)
    try:
        parsed = fastfeedparser.parse(body)
        language = (parsed.get("feed") or {}).get("language") or _language(body)
        return list(parsed.get("entries") or []), language
    except ValueError as e:
        if "HTML" in str(e):
            raise FeedError("HTML page, not a feed (check the URL)") from None
        first_error = str(e)
    except Exception as e:  # lxml and the parser raise many kinds on broken input
        first_error = f"{type(e).__name__}: {e}"
    return _fallback(body, first_error)


_LANGUAGE = re.compile(rb"<(?:dc:)?language>\s*(?:<!\[CDATA\[)?\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)")


def _language(body: bytes) -> str | None:
    """The channel language; fastfeedparser misses it when it sits in CDATA (BBC)."""
    m = _LANGUAGE.search(body, 0, 8192)
    return m.group(1).decode("ascii").lower() if m else None


def _fallback(body: bytes, first_error: str) -> tuple[list[dict], str | None]:
    parsed = feedparser.parse(body, resolve_relative_uris=False, sanitize_html=False)
    if not parsed.get("version") and not parsed.entries:
        raise FeedError(f"not a feed: {first_error[:150]}")
    entries = [_from_feedparser(e) for e in parsed.entries]
    return entries, parsed.get("feed", {}).get("language")


def _from_feedparser(entry: Any) -> dict:
    """feedparser's entry → the keys fastfeedparser uses."""
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    return {
        "id": entry.get("id"),
        "title": entry.get("title"),
        "link": entry.get("link"),
        "description": entry.get("summary"),
        "published": datetime(*when[:6]).isoformat() + "+00:00" if when else None,
    }


def _to_item(
    entry: dict, source_id: str, base_url: str, language: str | None, now: datetime | None
) -> Item | None:
    title = plain_text(entry.get("title"), limit=500)
    summary = plain_text(entry.get("description") or entry.get("summary") or _content(entry))
    if not (title or summary):
        return None  # nothing a reader or the matcher could use
    link = (entry.get("link") or "").strip()
    url = urljoin(base_url, link) if link else ""
    return Item(
        source_id=source_id,
        guid=stable_guid(entry.get("id"), url, title, summary),
        url=url,
        title=title or summary[:120],
        summary=summary,
        published=parse_date(entry.get("published") or entry.get("updated"), now=now),
        language=entry.get("language") or language,
    )


def _content(entry: dict) -> str:
    content = entry.get("content") or []
    if isinstance(content, list) and content and isinstance(content[0], dict):
        return str(content[0].get("value") or "")
    return str(content) if isinstance(content, str) else ""
