"""GDELT DOC 2.0 API, article-list mode: one query per team watch.

Config `params`: query (a fixed GDELT query instead of the watches), extra
(appended to every query, e.g. "sourcelang:english"), timespan (default
"1h"), maxrecords (default 75, at most 250), max_terms (per query, default 20).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from bot.config import SourceConfig, Watch
from bot.errors import FeedError
from bot.fetch.apijson import load_json
from bot.fetch.feeds import unique
from bot.fetch.http import Response
from bot.fetch.normalise import parse_date, plain_text, stable_guid
from bot.models import Item

LANGUAGES = {
    "english": "en",
    "french": "fr",
    "arabic": "ar",
    "portuguese": "pt",
    "spanish": "es",
    "russian": "ru",
    "chinese": "zh",
    "german": "de",
    "hausa": "ha",
    "swahili": "sw",
    "somali": "so",
    "amharic": "am",
}


@dataclass(frozen=True)
class GdeltAdapter:
    conditional: bool = False

    def urls(self, source: SourceConfig, watches: Sequence[Watch]) -> list[str]:
        return [article_list_url(source.url, q, source.params) for q in queries(source.params, watches)]

    def parse(self, response: Response, source: SourceConfig, now: datetime) -> list[Item]:
        if not response.body.strip():
            return []  # GDELT answers an empty body when nothing matched
        data = load_json(response, api="GDELT")
        if not isinstance(data, dict):
            raise FeedError("GDELT answer is not a JSON object")
        rows = data.get("articles") or []
        items = (_item(r, source.id, now) for r in rows if isinstance(r, dict))
        return list(unique(i for i in items if i is not None))


def queries(params: dict[str, Any], watches: Sequence[Watch]) -> list[str]:
    """One GDELT query per watch (deduplicated); a fixed `query` param wins."""
    extra = str(params.get("extra", "")).strip()
    if params.get("query"):
        return [f"{params['query']} {extra}".strip()]
    max_terms = int(params.get("max_terms", 20))
    found: list[str] = []
    for watch in watches:
        terms = [*watch.regions, *watch.groups, *watch.keywords]
        terms = [_term(t) for t in dict.fromkeys(terms) if len(t.strip()) >= 3][:max_terms]
        if not terms:
            continue
        query = terms[0] if len(terms) == 1 else f"({' OR '.join(terms)})"
        found.append(f"{query} {extra}".strip())
    return list(dict.fromkeys(found))


def _term(text: str) -> str:
    text = text.replace('"', "").strip()
    return f'"{text}"' if any(not c.isalnum() for c in text) else text


def article_list_url(base: str, query: str, params: dict[str, Any]) -> str:
    args = {
        "query": query,
        "mode": "artlist",
        "format": "json",
        "sort": "datedesc",
        "maxrecords": str(min(int(params.get("maxrecords", 75)), 250)),
        "timespan": str(params.get("timespan", "1h")),
    }
    return f"{base}?{urlencode(args)}"


def _item(row: dict, source_id: str, now: datetime) -> Item | None:
    url = str(row.get("url") or "").strip()
    title = plain_text(row.get("title"), limit=500)
    if not (url and title):
        return None
    language = LANGUAGES.get(str(row.get("language") or "").lower())
    return Item(
        source_id=source_id,
        guid=stable_guid(None, url, title, ""),
        url=url,
        title=title,
        published=parse_date(row.get("seendate"), now=now),
        language=language,
    )
