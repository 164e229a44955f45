"""fetch → store → dedup → match → story → outbox. The only module that knows the order.

Every new item is stored before anything else happens to it, and is marked processed in
the same transaction that writes its story and outbox rows: a crash at any point loses
nothing and, on the next cycle, duplicates nothing.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from bot.config import Config, SourceConfig, Team, Watch
from bot.fetch import FetchResult, FetchState, fetch_many
from bot.fetch.health import describe as describe_health
from bot.fetch.http import SafeHttp
from bot.match.matcher import Matcher
from bot.models import Item, Mentions
from bot.settings import Settings
from bot.store import ItemOutcome, Mute, NewAlert, Store, StoredItem, StoryRecord
from bot.store.health import (
    claim_due_sources,
    health_update,
    is_stored,
    record_updates,
)
from bot.stories import URLError, canonical_url, content_key
from bot.stories.summarize import Summary, is_significant_change, new_facts, summarize, toll_count
from bot.stories.tracker import (
    StoryTracker,
    mentions_from_json,
    merge_mentions,
    summary_from_json,
    summary_json,
)
from bot.watches import effective_teams

log = logging.getLogger(__name__)

SOURCE_LEASE = timedelta(minutes=5)
ITEM_LEASE = timedelta(minutes=5)
# Fetched feeds whose items, then health, are written in one transaction each: one commit
# per feed, fighting sixteen parsing threads for the interpreter lock, took 2.5× as long.
FETCHED_BATCH = 100
ITEM_BATCH = 50  # items claimed and processed together (see process_pending)
MIN_TEXT_FOR_KEY = 80  # shorter texts ("Read more") are not evidence of the same article


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
    stories: StoryTracker = field(default_factory=StoryTracker)
    # One thread processes at a time: the story clusterer is in-process state.
    processing: threading.Lock = field(default_factory=threading.Lock)
    # Set on SIGTERM: the item in hand is finished, the rest are handed back.
    stopping: threading.Event = field(default_factory=threading.Event)

    def teams(self) -> tuple[Team, ...]:
        """The YAML teams with the watch changes made in Slack applied (bot.watches)."""
        return effective_teams(self.config.teams, self.store.team_changes())

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
    fixed, now = now, now or utcnow()
    chosen = [s for s in (sources or services.config.sources) if s.enabled]
    services.store.ensure_sources(s.id for s in chosen)
    states = claim_due_sources(services.store, [s.id for s in chosen], owner=services.owner,
                               now=now, lease=lease(services, SOURCE_LEASE), force=force)
    claimed = [s for s in chosen if s.id in states]
    report = CycleReport()
    results = fetch_many(claimed, {i: FetchState(st.etag, st.last_modified) for i, st in states.items()},
                         http=services.http, watches=[t.watch for t in services.teams()],
                         is_new=lambda sid, guid: not is_stored(services.store, sid, guid))
    by_id = {s.id: s for s in claimed}
    fetched: list[FetchResult] = []
    for result in results:
        fetched.append(result)
        if len(fetched) >= FETCHED_BATCH:
            _record(services, fetched, states, by_id, report, now)
    _record(services, fetched, states, by_id, report, now)
    process_pending(services, now=fixed, report=report)
    return report


def lease(services: Services, default: timedelta) -> timedelta:
    """How long our claims last: LOOKOUT_LEASE_SECONDS when set (short in the chaos run, so a
    killed replica's work is taken over quickly), else the kind's default."""
    seconds = services.settings.lookout_lease_seconds
    return timedelta(seconds=seconds) if seconds else default


def _record(services: Services, fetched: list[FetchResult], states: dict,
            by_id: dict[str, SourceConfig], report: CycleReport, now: datetime) -> None:
    """Store a batch of fetched feeds' new items, then their sources' health; report health
    changes, once each. Empties `fetched`.

    Items go first: a crash before the health write only means the next cycle fetches
    those feeds in full again, and add_feeds skips what it already has.
    """
    if not fetched:
        return
    feeds = [r.items if r.ok else [] for r in fetched]
    new_ids = services.store.add_feeds(
        feeds, now=now, keys=[[dedup_keys(i) for i in items] for items in feeds])
    updates = []
    for result, ids in zip(fetched, new_ids, strict=True):
        source = by_id[result.source_id]
        report.polled += 1
        report.new_items += len(ids)
        report.not_modified += result.not_modified
        if not result.ok:
            report.errors[source.id] = result.error or "unknown error"
            log.warning("source %s failed: %s", source.id, result.error)
        updates.append(health_update(source, states[source.id], result, new_items=len(ids),
                                     now=now))
    record_updates(services.store, updates)
    for change in updates:
        if change.report:
            text = describe_health(change.source.label, change.health, change.report)
            log.warning("%s", text)
            if services.health_reporter:
                services.health_reporter(text)
    fetched.clear()


def process_pending(services: Services, *, now: datetime | None = None,
                    report: CycleReport | None = None) -> CycleReport:
    """Match and queue every stored item not yet processed (also after a crash)."""
    fixed, now = now, now or utcnow()
    report = report or CycleReport()
    with services.processing:
        # Batches, each leased from the clock of its own claim: a long backlog must not hold
        # leases that expire before we reach them, nor strand much if we are killed. Fifty
        # items take a second or two (a few ms each to match, cluster and record; duplicates
        # far less), far inside the shortest lease (20 s); a kill strands them one lease.
        # Each batch costs a few fixed queries (claim, duplicates, catch-up, audience): in
        # bench/sources_cycle.py batches of 10 took 1.5× as long as 50; 100 or 200 gained little.
        while not services.stopping.is_set() and (batch := services.store.claim_items(
                owner=services.owner, now=(now := fixed or utcnow()),
                lease=lease(services, ITEM_LEASE), limit=ITEM_BATCH)):
            _process_batch(services, batch, now, report)
        services.store.close_stories(services.stories.closed(now))
    return report


def _process_batch(services: Services, batch: list[StoredItem], now: datetime,
                   report: CycleReport) -> None:
    store = services.store
    # Repeats of an earlier item (in this batch or before it) are settled in two queries.
    originals = store.duplicates([s.id for s in batch])
    report.duplicates += store.mark_duplicates(originals, now=now)
    services.stories.catch_up(store, now, services.owner)
    audience = _audience(services, now)  # teams and mutes, read once per batch
    # Oldest first, so the first report of an event becomes its card.
    ordered = sorted((s for s in batch if s.id not in originals),
                     key=lambda s: (s.item.published or now, s.id))
    assigned = []
    for n, stored in enumerate(ordered):
        if services.stopping.is_set():
            store.release_items([s.id for s in ordered[n:]], owner=services.owner)
            break
        with _failure(report, stored.id):
            mentions = services.matcher.mentions(stored.item.body)
            assigned.append((stored, mentions, services.stories.assign(stored, mentions)))
    # The batch's stories read in one go; a new story's id comes from its first item, so
    # nothing can be stored under it yet.
    known = store.stories_and_followers(a.story_id for _, _, a in assigned if not a.is_new)
    outcomes = []
    for stored, mentions, assignment in assigned:
        with _failure(report, stored.id):
            outcomes.append(_outcome(services, stored, mentions, assignment.story_id, known,
                                     now, audience))
    report.alerts += _record_batch(store, outcomes, now, report)


@contextmanager
def _failure(report: CycleReport, item_id: int) -> Iterator[None]:
    """An item that fails is left leased (retried after the lease expires); the others go on."""
    try:
        yield
    except Exception:
        log.exception("could not process item %s", item_id)
        report.errors[f"item {item_id}"] = "processing failed"


def _record_batch(store: Store, outcomes: list[ItemOutcome], now: datetime,
                  report: CycleReport) -> int:
    """Write the batch in one transaction (one commit, not fifty); if that fails, item by item,
    so one bad row does not hold back the others. Returns the alerts queued."""
    if not outcomes:
        return 0
    try:
        return sum(map(len, store.record_batch(outcomes, now=now).values()))
    except Exception:
        log.exception("could not record %d items together; recording them one by one",
                      len(outcomes))
    queued = 0
    for o in outcomes:
        with _failure(report, o.item_id):
            queued += len(store.record_batch([o], now=now).get(o.item_id, []))
    return queued


Audience = tuple[tuple[Team, ...], dict[str, list[Mute]]]


def _audience(services: Services, now: datetime) -> Audience:
    """The live teams and their mutes (each a database read): once per batch, not per item."""
    teams = services.teams()
    mutes: dict[str, list[Mute]] = {t.name: [] for t in teams}
    for m in services.store.active_mutes(None, now=now):
        mutes.setdefault(m.team, []).append(m)
    return teams, mutes


def _outcome(services: Services, stored: StoredItem, mentions: Mentions, story_id: str,
             known: dict[str, tuple[StoryRecord, set[str]]], now: datetime,
             audience: Audience) -> ItemOutcome:
    """The item's story record and alerts, from the story as stored or as this batch left it."""
    item = stored.item
    before, following = known.get(story_id, (None, set()))
    summary = summarize(item.title, item.text or item.summary, mentions)
    story = _story_record(stored, story_id, before, summary, mentions, now)
    alerts = _alerts_for(services, stored, mentions, story, before, following, summary, now,
                         audience)
    # The batch's later items see this one's story and cards, as if read after its write.
    known[story_id] = (story, following | {a.team for a in alerts if a.kind == "parent"})
    return ItemOutcome(stored.id, mentions.to_json(str(stored.id)), story, tuple(alerts))


def dedup_keys(item: Item) -> tuple[str | None, str | None]:
    """(canonical URL, content key): the same article from another feed or URL variant."""
    try:
        canonical = canonical_url(item.url) if item.url else None
    except URLError:
        canonical = None
    text = item.text or item.summary
    return canonical, (content_key(item.title, text) if len(text) >= MIN_TEXT_FOR_KEY else None)


def _story_record(stored: StoredItem, story_id: str, before: StoryRecord | None,
                  summary: Summary, mentions: Mentions, now: datetime) -> StoryRecord:
    when = stored.item.published or now
    if before is None:
        return StoryRecord(id=story_id, title=stored.item.title, first_item_id=stored.id,
                           opened_at=when, last_item_at=when, summary=summary_json(summary),
                           mentions=mentions.to_json(story_id))
    # The card keeps its first report's sentences; the latest toll and the union of places
    # and groups come from every report.
    merged = dict(before.summary or {})
    if _more_precise_toll(summary.toll, merged.get("toll")):
        merged |= {"toll": summary.toll, "toll_note": summary.toll_note}
    return replace(before, last_item_at=max(before.last_item_at, when), summary=merged,
                   mentions=merge_mentions(before.mentions or {}, mentions.to_json(story_id)))


def _more_precise_toll(new: str | None, old: str | None) -> bool:
    """A later report's toll replaces the card's when it is a higher count, or the first count:
    "dozens killed" from a follow-up must not hide "30+ killed"."""
    if not new:
        return False
    if not old:
        return True
    new_n, old_n = toll_count(new), toll_count(old)
    return new_n is not None and (old_n is None or new_n > old_n)


def _alerts_for(services: Services, stored: StoredItem, mentions: Mentions, story: StoryRecord,
                before: StoryRecord | None, following: set[str], summary: Summary,
                now: datetime, audience: Audience) -> list[NewAlert]:
    """Teams following the story (`following`: they have its card) get a reply; other teams
    whose watch fires get a card."""
    text = stored.item.body
    details = _reply_details(before, summary, mentions) if before else None
    alerts = []
    teams, mutes = audience
    for team in teams:
        if is_muted(services, team, story.id, mentions, text, now, mutes=mutes.get(team.name, [])):
            continue
        if team.name in following:
            alerts.append(NewAlert(team.name, team.channel, "reply", details=details,
                                   broadcast=bool(details and details.get("broadcast_reason"))))
        elif team.mode == "digest":
            continue  # digest-only teams read it in their next digest (bot.digest.digests), no card
        elif m := services.matcher.match(team, mentions, text):
            alerts.append(NewAlert(team.name, team.channel, "parent", reasons=m.reasons))
    return alerts


def _reply_details(before: StoryRecord, summary: Summary, mentions: Mentions) -> dict:
    old = summary_from_json(before.summary or {})
    old_mentions = mentions_from_json(before.mentions or {})
    fresh = [f"{f.kind}: {f.value}" for f in new_facts(old, summary) if f.kind in ("toll", "where", "who")]
    reason = is_significant_change(old, summary, old_mentions, mentions)
    return {"new_facts": fresh, "broadcast_reason": reason}


def is_muted(services: Services, team: Team, story_id: str, mentions: Mentions, text: str,
             now: datetime, *, mutes: list[Mute] | None = None) -> bool:
    """Whether one of the team's mutes (given, or read now) silences this story or text."""
    if mutes is None:
        mutes = services.store.active_mutes(team.name, now=now)
    if any(m.kind == "story" and m.value == story_id for m in mutes):
        return True
    by_kind = {k: [m.value for m in mutes if m.kind == k] for k in ("region", "group", "keyword")}
    if not any(by_kind.values()):
        return False
    # A mute is a watch that vetoes: the same matcher decides whether it fires.
    veto = Team(name=team.name, channel=team.channel, watch=Watch(
        regions=by_kind["region"], groups=by_kind["group"], keywords=by_kind["keyword"]))
    return services.matcher.match(veto, mentions, text) is not None
