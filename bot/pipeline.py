"""fetch → store → dedup → match → story → outbox. The only module that knows the order.

Every new item is stored before anything else happens to it, and is marked processed in
the same transaction that writes its story and outbox rows: a crash at any point loses
nothing and, on the next cycle, duplicates nothing.
"""

from __future__ import annotations

import logging
import os
import re
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.config import Config, SourceConfig, Team
from bot.match import Matcher
from bot.models import Item, TeamMatch
from bot.settings import Settings
from bot.sources import FetchResult, FetchState, fetch_many
from bot.sources.health import describe as describe_health
from bot.sources.http import SafeHttp
from bot.store import NewAlert, Store, StoredItem, StoryRecord
from bot.store.health import is_stored, record_result

log = logging.getLogger(__name__)

SOURCE_LEASE = timedelta(minutes=5)
ITEM_LEASE = timedelta(minutes=5)


def utcnow() -> datetime:
    return datetime.now(UTC)


def worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


@dataclass
class Services:
    """What the stages need, built once per process."""

    settings: Settings
    config: Config
    store: Store
    matcher: Matcher
    http: SafeHttp = field(default_factory=SafeHttp)
    owner: str = field(default_factory=worker_id)
    health_reporter: Callable[[str], None] | None = None  # ops channel for source health changes

    def teams(self) -> tuple[Team, ...]:
        return self.config.teams

    def source(self, source_id: str) -> SourceConfig | None:
        return next((s for s in self.config.sources if s.id == source_id), None)


@dataclass
class CycleReport:
    polled: int = 0
    not_modified: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    new_items: int = 0
    duplicates: int = 0
    alerts: int = 0


def poll(services: Services, sources: Iterable[SourceConfig] | None = None, *,
         force: bool = False, now: datetime | None = None) -> CycleReport:
    """One cycle over the given (default: all enabled) sources, then process what is new."""
    now = now or utcnow()
    chosen = [s for s in (sources or services.config.sources) if s.enabled]
    services.store.ensure_sources(s.id for s in chosen)
    claimed = []
    for s in chosen:
        state = services.store.claim_source(s.id, owner=services.owner, now=now,
                                            lease=SOURCE_LEASE, force=force)
        if state:
            claimed.append((s, FetchState(state.etag, state.last_modified), state))
    report = CycleReport()
    states = {s.id: fetch_state for s, fetch_state, _ in claimed}
    stored = {s.id: (s, state) for s, _, state in claimed}
    results = fetch_many([s for s, _, _ in claimed], states, http=services.http,
                         watches=[t.watch for t in services.teams()],
                         is_new=lambda sid, guid: not is_stored(services.store, sid, guid))
    for result in results:
        source, state = stored[result.source_id]
        _record(services, source, state, result, report, now)
    process_pending(services, now=now, report=report)
    return report


def _record(services: Services, source: SourceConfig, state, result: FetchResult,
            report: CycleReport, now: datetime) -> None:
    """Store new items first, then the source's health; report a health change once."""
    report.polled += 1
    new_ids = services.store.add_items(result.items, now=now) if result.ok else []
    report.new_items += len(new_ids)
    report.not_modified += result.not_modified
    if not result.ok:
        report.errors[source.id] = result.error or "unknown error"
        log.warning("source %s failed: %s", source.id, result.error)
    health, change = record_result(services.store, source, state, result,
                                   new_items=len(new_ids), now=now)
    if change:
        text = describe_health(source.label, health, change)
        log.warning("%s", text)
        if services.health_reporter:
            services.health_reporter(text)


def process_pending(services: Services, *, now: datetime | None = None,
                    report: CycleReport | None = None) -> CycleReport:
    """Match and queue every stored item not yet processed (also after a crash)."""
    now = now or utcnow()
    report = report or CycleReport()
    while batch := services.store.claim_items(owner=services.owner, now=now, lease=ITEM_LEASE):
        for stored in batch:
            try:
                report.alerts += _process(services, stored, now, report)
            except Exception:
                # Left leased: retried after the lease expires, never blocks the others.
                log.exception("could not process item %s (%s)", stored.id, stored.item.url)
                report.errors[f"item {stored.id}"] = "processing failed"
    return report


def _process(services: Services, stored: StoredItem, now: datetime, report: CycleReport) -> int:
    item = stored.item
    mentions = services.matcher.mentions(item.body)
    matches = [m for t in services.teams()
               if (m := services.matcher.match(t, mentions, item.body))]
    story = StoryRecord(
        id=f"s{stored.id}", title=item.title, first_item_id=stored.id,
        opened_at=item.published or now, last_item_at=item.published or now,
        summary={"sentences": lead_sentences(item)}, mentions=mentions.to_json(str(stored.id)),
    )
    alerts = _alerts_for(services, story.id, matches)
    ids = services.store.record_processed(stored.id, now=now, mentions=story.mentions or {},
                                          story=story, new_alerts=alerts)
    return len(ids)


def _alerts_for(services: Services, story_id: str, matches: list[TeamMatch]) -> list[NewAlert]:
    """A team that already has this story's card gets a reply; others a new card."""
    has_parent = services.store.teams_with_parent(story_id)
    by_name = {t.name: t for t in services.teams()}
    return [NewAlert(team=m.team, channel=by_name[m.team].channel,
                     kind="reply" if m.team in has_parent else "parent", reasons=m.reasons)
            for m in matches]


def lead_sentences(item: Item, limit: int = 2) -> list[str]:
    text = item.text or item.summary
    parts = [p.strip() for p in re.split(r"(?<=[.!?])\s+", text) if p.strip()]
    return parts[:limit]
