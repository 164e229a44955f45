"""Sources: fetch one configured source and turn its payload into Items.

`fetch()` never raises: every failure comes back as a FetchResult with `error`
set, so one broken source never stops a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import SourceConfig
from bot.models import Item
from bot.sources.feeds import FeedError, parse_feed
from bot.sources.http import FetchError, SafeHttp


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

    @property
    def ok(self) -> bool:
        return self.error is None


def fetch(source: SourceConfig, state: FetchState, *, http: SafeHttp) -> FetchResult:
    try:
        resp = http.get(
            source.url,
            allow_private=source.allow_private,
            etag=state.etag,
            last_modified=state.last_modified,
        )
    except FetchError as e:
        return FetchResult(source.id, error=str(e), status=e.status, retry_after=e.retry_after)
    if resp.status == 304:
        return FetchResult(
            source.id, status=304, not_modified=True, etag=state.etag,
            last_modified=state.last_modified,
        )
    try:
        items = parse_feed(resp.body, source_id=source.id, base_url=resp.url)
    except FeedError as e:
        return FetchResult(source.id, status=resp.status, error=str(e))
    return FetchResult(
        source.id, items=tuple(items), status=resp.status,
        etag=resp.headers.get("etag"), last_modified=resp.headers.get("last-modified"),
    )
