"""Fetch one configured source and turn its payload into Items.

`fetch()` never raises: every failure comes back as a FetchResult with `error`
set, so one broken source never stops a cycle. `fetch_many()` runs a cycle
over many sources concurrently, politely per host.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from bot.config import SourceConfig, Watch
from bot.errors import FeedError, FetchError
from bot.fetch.adapters import adapter_for
from bot.fetch.feeds import unique
from bot.fetch.http import SafeHttp
from bot.fetch.redact import redact, redact_optional
from bot.models import Item

log = logging.getLogger(__name__)

MAX_ARTICLES_PER_FETCH = 20  # article pages fetched per source per cycle (newest items first)


@dataclass(frozen=True)
class FetchState:
    """What we remember about a source between polls (for conditional GET)."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FetchResult:
    source_id: str
    items: tuple[Item, ...] = ()
    status: int | None = None  # HTTP status, None when no response came
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    error: str | None = None  # one line, None on success
    retry_after: float | None = None  # seconds the server asked us to wait
    elapsed: float = 0.0  # seconds the fetch took (health and benchmarks)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def state(self) -> FetchState:
        """What to send next time for a conditional GET."""
        return FetchState(self.etag, self.last_modified)


IsNew = Callable[[str, str], bool]  # (source_id, guid) → True when not stored yet


def fetch(
    source: SourceConfig,
    state: FetchState,
    *,
    http: SafeHttp,
    watches: Sequence[Watch] = (),
    is_new: IsNew | None = None,
) -> FetchResult:
    """Fetch and parse one source; never raises.

    `is_new` lets the caller skip article-page fetches for items it already
    stored; without it every item of a `fetch_article` source is enriched.
    """
    started = datetime.now(UTC)
    try:
        result = _fetch(source, state, http=http, watches=watches, now=started)
        if result.ok and source.fetch_article and result.items:
            result = _with_articles(result, source, http, is_new, started)
    except Exception as e:  # a bug or an unforeseen library error must not stop the cycle
        log.error("source %s: unexpected error\n%s", source.id, redact(traceback.format_exc()))
        result = FetchResult(source.id, error=f"internal error: {type(e).__name__}: {e}"[:300])
    elapsed = (datetime.now(UTC) - started).total_seconds()
    # The error is logged, stored and shown in Slack: no secret of the URL goes with it.
    return replace(result, elapsed=elapsed, error=redact_optional(result.error))


def _fetch(
    source: SourceConfig, state: FetchState, *, http: SafeHttp, watches: Sequence[Watch], now: datetime
) -> FetchResult:
    adapter = adapter_for(source.kind)
    urls = adapter.urls(source, watches)
    conditional = adapter.conditional and len(urls) == 1
    items: list[Item] = []
    last = None
    for url in urls:
        try:
            resp = http.get(
                url,
                allow_private=source.allow_private,
                etag=state.etag if conditional else None,
                last_modified=state.last_modified if conditional else None,
            )
        except FetchError as e:
            return FetchResult(
                source.id,
                error=str(e),
                status=e.status,
                retry_after=e.retry_after,
                etag=state.etag,
                last_modified=state.last_modified,
            )
        last = resp
        if resp.status == 304:
            return FetchResult(
                source.id, status=304, not_modified=True, etag=state.etag, last_modified=state.last_modified
            )
        try:
            items += adapter.parse(resp, source, now)
        except (FeedError, ValueError) as e:
            return FetchResult(source.id, status=resp.status, error=str(e)[:300])
    etag = last.headers.get("etag") if (last and conditional) else None
    modified = last.headers.get("last-modified") if (last and conditional) else None
    return FetchResult(
        source.id,
        items=tuple(unique(items)),
        status=last.status if last else None,
        etag=etag,
        last_modified=modified,
    )


def _with_articles(
    result: FetchResult, source: SourceConfig, http: SafeHttp, is_new: IsNew | None, now: datetime
) -> FetchResult:
    from bot.fetch.article import enrich

    budget = MAX_ARTICLES_PER_FETCH
    items = []
    for item in result.items:
        wanted = budget > 0 and (is_new is None or is_new(source.id, item.guid))
        if wanted:
            budget -= 1
            item = enrich(item, http=http, now=now)
        items.append(item)
    return replace(result, items=tuple(items))
