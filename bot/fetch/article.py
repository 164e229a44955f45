"""Article pages → main text, canonical URL and published time (trafilatura).

Used for sources whose feeds carry only a headline or a teaser
(`fetch_article: true`). The page is fetched with the same SafeHttp rules as
feeds; a page that cannot be fetched or read leaves the item as the feed gave it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlsplit

import trafilatura

from bot.errors import FetchError
from bot.fetch.http import SafeHttp
from bot.fetch.normalise import parse_date
from bot.fetch.redact import redact
from bot.models import Item

log = logging.getLogger(__name__)

MAX_TEXT = 50_000  # characters kept; enough for any news article, bounded for the store
HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"


@dataclass(frozen=True)
class Article:
    text: str
    canonical_url: str | None
    published: datetime | None
    title: str | None


def extract_article(html: bytes | str, *, url: str, now: datetime | None = None) -> Article | None:
    """The main text of a page without navigation, ads or comments; None when there is none."""
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            include_comments=False,
            with_metadata=True,
            date_extraction_params={
                "extensive_search": False,
                "original_date": True,
                "outputformat": "%Y-%m-%dT%H:%M:%S",
            },
        )
    except Exception as e:  # trafilatura/lxml raise many kinds on odd pages
        log.info("article extraction failed for %s: %s", redact(url), redact(str(e)))
        return None
    if doc is None or not (doc.text or "").strip():
        return None
    return Article(
        text=doc.text.strip()[:MAX_TEXT],
        canonical_url=_same_site(doc.url, url),
        published=parse_date(doc.date, now=now),
        title=doc.title,
    )


def _same_site(canonical: str | None, page_url: str) -> str | None:
    """Accept a canonical URL only on the page's own site: a page must not claim another's."""
    if not canonical:
        return None
    c, p = urlsplit(canonical), urlsplit(page_url)
    if c.scheme not in ("http", "https") or not c.hostname or not p.hostname:
        return None
    site = lambda host: ".".join(host.lower().split(".")[-2:])  # noqa: E731
    return canonical if site(c.hostname) == site(p.hostname) else None


def enrich(item: Item, *, http: SafeHttp, now: datetime | None = None) -> Item:
    """The item with its article text, canonical URL and (if missing) published time.

    Article links are always guarded, whatever the source's allow_private: that setting trusts
    the feed's own URL, not every link a feed (or whoever can write into it) hands us."""
    if not item.url or item.text:
        return item
    try:
        page = http.get(item.url, accept=HTML_ACCEPT)
    except FetchError as e:
        log.info("article fetch failed for %s: %s", redact(item.url), e)
        return item
    article = extract_article(page.body, url=page.url, now=now)
    if article is None:
        return item
    return replace(
        item,
        text=article.text,
        url=article.canonical_url or page.url,
        published=item.published or article.published,
    )
