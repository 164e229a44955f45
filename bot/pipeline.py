"""fetch → store → dedup → match → event → story → route → outbox. The only module that knows
the order.

Every new item is stored before anything else happens to it, and is marked processed in
the same transaction that writes its story and outbox rows: a crash at any point loses
nothing and, on the next cycle, duplicates nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot import route
from bot.clock import utcnow
from bot.config import SourceConfig
from bot.event import classify
from bot.fetch.health import describe as describe_health
from bot.fetch.health import health_update
from bot.fetch.pool import fetch_many
from bot.fetch.source import FetchResult, FetchState
from bot.models import Event, Mentions
from bot.route import Audience
from bot.services import Services
from bot.store import ItemOutcome, Store, StoredItem, StoryRecord
from bot.stories.record import story_record
from bot.stories.summarize import summarize
from bot.stories.urls import dedup_keys

log = logging.getLogger(__name__)

SOURCE_LEASE = timedelta(minutes=5)
ITEM_LEASE = timedelta(minutes=5)
# Fetched feeds whose items, then health, are written in one transaction each: one commit
# per feed, fighting sixteen parsing threads for the interpreter lock, took 2.5× as long.
FETCHED_BATCH = 100
ITEM_BATCH = 50  # items claimed and processed together (see process_pending)


@dataclass
class CycleReport:
    polled: int = 0
    not_modified: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    new_items: int = 0
    duplicates: int = 0
    alerts: int = 0
    event_failures: int = 0  # items the event stage raised on (stored and routed all the same)


def poll(
    services: Services,
    sources: Iterable[SourceConfig] | None = None,
    *,
    force: bool = False,
    now: datetime | None = None,
) -> CycleReport:
    """One cycle over the given (default: all enabled, from Slack too) sources, then process."""
    fixed, now = now, now or utcnow()
    chosen = [s for s in (sources or services.sources()) if s.enabled]
    services.store.ensure_sources(s.id for s in chosen)
    states = services.store.claim_due_sources(
        [s.id for s in chosen],
        owner=services.owner,
        now=now,
        lease=services.lease(SOURCE_LEASE),
        force=force,
    )
    claimed = [s for s in chosen if s.id in states]
    report = CycleReport()
    results = fetch_many(
        claimed,
        {i: FetchState(st.etag, st.last_modified) for i, st in states.items()},
        http=services.http,
        watches=[t.watch for t in services.teams()],
        is_new=lambda sid, guid: not services.store.is_stored(sid, guid),
    )
    by_id = {s.id: s for s in claimed}
    fetched: list[FetchResult] = []
    for result in results:
        fetched.append(result)
        if len(fetched) >= FETCHED_BATCH:
            _record(services, fetched, states, by_id, report, now)
    _record(services, fetched, states, by_id, report, now)
    process_pending(services, now=fixed, report=report)
    return report


def _record(
    services: Services,
    fetched: list[FetchResult],
    states: dict,
    by_id: dict[str, SourceConfig],
    report: CycleReport,
    now: datetime,
) -> None:
    """Store a batch of fetched feeds' new items, then their sources' health; report health
    changes, once each. Empties `fetched`.

    Items go first: a crash before the health write only means the next cycle fetches
    those feeds in full again, and add_feeds skips what it already has.
    """
    if not fetched:
        return
    feeds = [r.items if r.ok else [] for r in fetched]
    new_ids = services.store.add_feeds(
        feeds, now=now, keys=[[dedup_keys(i) for i in items] for items in feeds]
    )
    updates = []
    for result, ids in zip(fetched, new_ids, strict=True):
        source = by_id[result.source_id]
        report.polled += 1
        report.new_items += len(ids)
        report.not_modified += result.not_modified
        if not result.ok:
            report.errors[source.id] = result.error or "unknown error"
            log.warning("source %s failed: %s", source.id, result.error)
        updates.append(health_update(source, states[source.id], result, new_items=len(ids), now=now))
    services.store.record_health({u.source.id: u.values for u in updates})
    for change in updates:
        if change.report:
            text = describe_health(change.source.label, change.health, change.report)
            log.warning("%s", text)
            if services.health_reporter:
                services.health_reporter(text)
    fetched.clear()


def process_pending(
    services: Services, *, now: datetime | None = None, report: CycleReport | None = None
) -> CycleReport:
    """Match and queue every stored item not yet processed (also after a crash)."""
    fixed, now = now, now or utcnow()
    report = report or CycleReport()
    with services.processing:
        # Batches, each leased from the clock of its own claim: a long backlog must not hold
        # leases that expire before we reach them. Fifty items take a second or two, far inside
        # the shortest lease (20 s); a kill strands them one lease. Each batch costs a few fixed
        # queries: in bench/sources_cycle.py batches of 10 took 1.5× as long as 50, 100 no less.
        while not services.stopping.is_set() and (
            batch := services.store.claim_items(
                owner=services.owner,
                now=(now := fixed or utcnow()),
                lease=services.lease(ITEM_LEASE),
                limit=ITEM_BATCH,
            )
        ):
            _process_batch(services, batch, now, report)
        services.store.close_stories(services.stories.closed(now))
    return report


def _process_batch(services: Services, batch: list[StoredItem], now: datetime, report: CycleReport) -> None:
    store = services.store
    originals = store.duplicates([s.id for s in batch])
    report.duplicates += store.mark_duplicates(originals, now=now)
    audience = route.audience(services, now)  # teams and mutes, read once per batch
    ordered = sorted(  # oldest first, so the first report of an event becomes its card
        (s for s in batch if s.id not in originals), key=lambda s: (s.item.published or now, s.id)
    )
    read = []  # matched first, outside the story lock: matching is most of an item's cost
    for n, stored in enumerate(ordered):
        if services.stopping.is_set():
            store.release_items([s.id for s in ordered[n:]], owner=services.owner)
            break
        with _failure(report, stored.id):
            mentions, _, folded = services.matcher.read(stored.item.body)  # folded once, for both
            read.append((stored, mentions, _event(stored, mentions, folded, report)))
    # Catch up, decide and record under one lock, so replicas see each other's stories.
    with store.story_lock():
        services.stories.catch_up(store, now, services.owner)
        assigned, track = [], services.stories
        for stored, mentions, verdict in read:
            with _failure(report, stored.id):
                assigned.append((stored, mentions, verdict, track.assign(stored, mentions, verdict[0])))
        # The batch's stories read in one go; a new story's id comes from its first item.
        known = store.stories_and_followers(a.story_id for *_, a in assigned if not a.is_new)
        outcomes = []
        for stored, mentions, verdict, a in assigned:
            with _failure(report, stored.id):
                outcomes.append(
                    _outcome(services, stored, mentions, verdict, a.story_id, known, now, audience)
                )
        report.alerts += _record_batch(store, outcomes, now, report)


def _event(s: StoredItem, m: Mentions, folded: str, report: CycleReport) -> tuple[Event | None, str | None]:
    """The event stage's verdict, or (None, why) when it raised: the item goes on without one."""
    item = s.item
    try:
        return classify(item.body, m, item.language, folded=folded), None
    except Exception as e:
        log.exception("event stage failed on item %s", s.id)
        report.event_failures += 1
        return None, f"{type(e).__name__}: {e}"[:500]


@contextmanager
def _failure(report: CycleReport, item_id: int) -> Iterator[None]:
    """An item that fails is left leased (retried after the lease expires); the others go on."""
    try:
        yield
    except Exception:
        log.exception("could not process item %s", item_id)
        report.errors[f"item {item_id}"] = "processing failed"


def _record_batch(store: Store, outcomes: list[ItemOutcome], now: datetime, report: CycleReport) -> int:
    """Write the batch in one transaction (one commit, not fifty); if that fails, item by item,
    so one bad row does not hold back the others. Returns the alerts queued."""
    if not outcomes:
        return 0
    try:
        return sum(map(len, store.record_batch(outcomes, now=now).values()))
    except Exception:
        log.exception("could not record %d items together; recording them one by one", len(outcomes))
    queued = 0
    for o in outcomes:
        with _failure(report, o.item_id):
            queued += len(store.record_batch([o], now=now).get(o.item_id, []))
    return queued


def _outcome(
    services: Services,
    stored: StoredItem,
    mentions: Mentions,
    verdict: tuple[Event | None, str | None],
    story_id: str,
    known: dict[str, tuple[StoryRecord, set[str]]],
    now: datetime,
    audience: Audience,
) -> ItemOutcome:
    """The item's story record and alerts, from the story as stored or as this batch left it."""
    item = stored.item
    event, error = verdict
    before, following = known.get(story_id, (None, set()))
    summary = summarize(item.title, item.text or item.summary, mentions)
    story = story_record(stored, story_id, before, summary, mentions, now)
    story = replace(story, event=route.story_event(before, event))
    failed = error is not None
    alerts = route.alerts_for(
        services, item.body, mentions, story, before, following, summary, now, audience, event_failed=failed
    )
    # The batch's later items see this one's story and cards, as if read after its write.
    known[story_id] = (story, following | {a.team for a in alerts if a.kind == "parent"})
    return ItemOutcome(stored.id, mentions, story, tuple(alerts), event, error)
