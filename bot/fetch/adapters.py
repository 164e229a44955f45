"""One interface over every kind of source: which URLs to ask, how to read the answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.config import SourceConfig, Watch
from bot.fetch.feeds import parse_feed
from bot.fetch.http import Response
from bot.models import Item


class Adapter(Protocol):
    # True when one URL answers for the whole source, so ETag/Last-Modified apply.
    conditional: bool

    def urls(self, source: SourceConfig, watches: Sequence[Watch]) -> list[str]:
        """What to GET this cycle (empty when there is nothing to ask)."""

    def parse(self, response: Response, source: SourceConfig, now: datetime) -> list[Item]:
        """Items in one answer; raises FeedError (or ValueError) when it is unusable."""


@dataclass(frozen=True)
class FeedAdapter:
    """RSS 2.0, RSS 1.0/RDF, Atom and JSON Feed: the parser tells them apart itself."""

    conditional: bool = True

    def urls(self, source: SourceConfig, watches: Sequence[Watch]) -> list[str]:
        return [source.url]

    def parse(self, response: Response, source: SourceConfig, now: datetime) -> list[Item]:
        return parse_feed(
            response.body,
            source_id=source.id,
            base_url=response.url,
            header_charset=response.charset,
            now=now,
        )


def adapter_for(kind: str) -> Adapter:
    from bot.fetch.gdelt import GdeltAdapter
    from bot.fetch.reliefweb import ReliefWebAdapter

    adapters: dict[str, Adapter] = {
        "rss": FeedAdapter(),
        "atom": FeedAdapter(),
        "rdf": FeedAdapter(),
        "jsonfeed": FeedAdapter(),
        "reliefweb": ReliefWebAdapter(),
        "gdelt": GdeltAdapter(),
    }
    if kind not in adapters:
        raise ValueError(f"unknown source kind {kind!r}")
    return adapters[kind]
