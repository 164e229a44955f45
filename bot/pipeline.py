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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from bot.config import Config, SourceConfig, Team, Watch
from bot.match import Matcher
from bot.models import Item, Mentions
from bot.settings import Settings
from bot.sources import FetchResult, FetchState, fetch_many
from bot.sources.health import describe as describe_health
from bot.sources.http import SafeHttp
from bot.store import Mute, NewAlert, Store, StoredItem, StoryRecord
from bot.store.health import (
    HealthUpdate,
    claim_due_sources,
    health_update,
    is_stored,
    record_updates,
)
from bot.stories import URLError, canonical_url, content_key
from bot.story_state import StoryTracker, mentions_from_json, merge_mentions, summary_from_json, summary_json
from bot.summarize import Summary, is_significant_change, new_facts, summarize, toll_count
from bot.teams import effective_teams

log = logging.getLogger(__name__)

SOURCE_LEASE = timedelta(minutes=5)
ITEM_LEASE = timedelta(minutes=5)
HEALTH_BATCH = 100  # sources whose health is written in one transaction
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
        """The YAML teams with the watch changes made in Slack applied (bot.teams)."""
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
    pending: list[HealthUpdate] = []
    for result in results:
        pending.append(_record(services, by_id[result.source_id], states[result.source_id],
                               result, report, now))
        if len(pending) >= HEALTH_BATCH:
            _flush_health(services, pending)
    _flush_health(services, pending)
    process_pending(services, now=fixed, report=report)
    return report


def lease(services: Services, default: timedelta) -> timedelta:
    """How long our claims last: LOOKOUT_LEASE_SECONDS when set (short in the chaos run, so a
    killed replica's work is taken over quickly), else the kind's default."""
    seconds = services.settings.lookout_lease_seconds
    return timedelta(seconds=seconds) if seconds else default


def _record(services: Services, source: SourceConfig, state, result: FetchResult,
            report: CycleReport, now: datetime) -> HealthUpdate:
    """Store new items at once; return the source's health update for the next batch write.

    Items go first: a crash before the health write only means the next cycle fetches
    the feed in full again, and add_items skips what it already has.
    """
    report.polled += 1
    new_ids = []
    if result.ok and result.items:
        new_ids = services.store.add_items(result.items, now=now,
                                           keys=[dedup_keys(i) for i in result.items])
    report.new_items += len(new_ids)
    report.not_modified += result.not_modified
    if not result.ok:
        report.errors[source.id] = result.error or "unknown error"
        log.warning("source %s failed: %s", source.id, result.error)
    return health_update(source, state, result, new_items=len(new_ids), now=now)


def _flush_health(services: Services, pending: list[HealthUpdate]) -> None:
    """One transaction for a batch of health writes; then report changes, once each."""
    record_updates(services.store, pending)
    for change in pending:
        if change.report:
            text = describe_health(change.source.label, change.health, change.report)
            log.warning("%s", text)
            if services.health_reporter:
                services.health_reporter(text)
    pending.clear()


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
    for n, stored in enumerate(ordered):
        if services.stopping.is_set():
            store.release_items([s.id for s in ordered[n:]], owner=services.owner)
            break
        try:
            report.alerts += _process(services, stored, now, audience)
        except Exception:
            # Left leased: retried after the lease expires, never blocks the others.
            log.exception("could not process item %s (%s)", stored.id, stored.item.url)
            report.errors[f"item {stored.id}"] = "processing failed"


Audience = tuple[tuple[Team, ...], dict[str, list[Mute]]]


def _audience(services: Services, now: datetime) -> Audience:
    """The live teams and their mutes (each a database read): once per batch, not per item."""
    teams = services.teams()
    mutes: dict[str, list[Mute]] = {t.name: [] for t in teams}
    for m in services.store.active_mutes(None, now=now):
        mutes.setdefault(m.team, []).append(m)
    return teams, mutes


def _process(services: Services, stored: StoredItem, now: datetime, audience: Audience) -> int:
    item = stored.item
    store = services.store
    mentions = services.matcher.mentions(item.body)
    assignment = services.stories.assign(stored, mentions)
    # A new story's id comes from this item, so nothing can be stored under it yet.
    before, following = ((None, set()) if assignment.is_new
                         else store.story_and_followers(assignment.story_id))
    summary = summarize(item.title, item.text or item.summary, mentions)
    story = _story_record(stored, assignment.story_id, before, summary, mentions, now)
    alerts = _alerts_for(services, stored, mentions, story, before, following, summary, now,
                         audience)
    ids = store.record_processed(stored.id, now=now, mentions=mentions.to_json(str(stored.id)),
                                 story=story, new_alerts=alerts)
    return len(ids)


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
            continue  # digest-only teams read it in their next digest (bot.digest), no card
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
