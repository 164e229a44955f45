"""ReliefWeb API v2 (reports), filtered by country and theme.

Config `params`: appname (ReliefWeb asks every client to name itself),
countries (ISO3 codes), themes (ReliefWeb theme names), query (free text),
limit (default 50). The newest reports come first.
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

FIELDS = (
    "title",
    "url_alias",
    "url",
    "date.created",
    "date.original",
    "body",
    "language.code",
    "source.shortname",
    "country.iso3",
)


@dataclass(frozen=True)
class ReliefWebAdapter:
    conditional: bool = False  # a query API: every answer is generated anew

    def urls(self, source: SourceConfig, watches: Sequence[Watch]) -> list[str]:
        return [report_url(source.url, source.params)]

    def parse(self, response: Response, source: SourceConfig, now: datetime) -> list[Item]:
        data = load_json(response, api="ReliefWeb")
        if not isinstance(data, dict) or not isinstance(data.get("data"), list):
            raise FeedError("ReliefWeb answer has no 'data' list")
        items = (_item(row, source.id, now) for row in data["data"] if isinstance(row, dict))
        return list(unique(i for i in items if i is not None))


def report_url(base: str, params: dict[str, Any]) -> str:
    query: list[tuple[str, str]] = [
        ("appname", str(params.get("appname", "lookout"))),
        ("limit", str(int(params.get("limit", 50)))),
        ("sort[]", "date.created:desc"),
        ("profile", "minimal"),
    ]
    query += [("fields[include][]", f) for f in FIELDS]
    if params.get("query"):
        query.append(("query[value]", str(params["query"])))
    conditions = [
        ("country.iso3", [str(c).lower() for c in params.get("countries", [])]),
        ("theme.name", [str(t) for t in params.get("themes", [])]),
    ]
    index = 0
    for field, values in conditions:
        if not values:
            continue
        query.append((f"filter[conditions][{index}][field]", field))
        query.append((f"filter[conditions][{index}][operator]", "OR"))
        query += [(f"filter[conditions][{index}][value][]", v) for v in values]
        index += 1
    if index:
        query.append(("filter[operator]", "AND"))
    return f"{base}{'&' if '?' in base else '?'}{urlencode(query)}"


def _item(row: dict, source_id: str, now: datetime) -> Item | None:
    fields = row.get("fields") or {}
    title = plain_text(fields.get("title"), limit=500)
    if not title:
        return None
    url = fields.get("url_alias") or fields.get("url") or ""
    body = plain_text(fields.get("body"))
    dates = fields.get("date") or {}
    languages = fields.get("language") or []
    language = languages[0].get("code") if languages and isinstance(languages[0], dict) else None
    return Item(
        source_id=source_id,
        guid=stable_guid(f"reliefweb:{row['id']}" if row.get("id") else None, url, title, body),
        url=url,
        title=title,
        summary=body[:1000],
        text=body,
        published=parse_date(dates.get("original") or dates.get("created"), now=now),
        language=language,
    )
