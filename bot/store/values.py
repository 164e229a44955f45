"""The values the store takes and gives back: frozen, typed, no SQL rows past here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.models import Event, Item, Mentions, ReplyDetails, Summary


@dataclass(frozen=True)
class StoredItem:
    id: int
    item: Item
    story_id: str | None = None
    event: Event | None = None  # the event stage's verdict, once processed (None if it failed)


@dataclass(frozen=True)
class StoryRecord:
    id: str
    title: str
    first_item_id: int
    opened_at: datetime
    last_item_at: datetime
    # The first report's sentences and facts (the card's); every report's places and groups.
    summary: Summary = field(default_factory=Summary)
    mentions: Mentions = field(default_factory=Mentions)
    toll: str | None = None  # the card's toll: the most precise any report gave
    toll_note: str | None = None  # how sure that toll is ("unverified", "claimed")
    # What made it security news (its first security report's event); while no report is,
    # the first report's verdict. None: not known (stored before the event stage, or failed).
    event: Event | None = None

    @property
    def security(self) -> bool:
        return self.event is not None and self.event.security


@dataclass(frozen=True)
class NewAlert:
    team: str
    channel: str
    kind: str  # parent | reply
    reasons: tuple[str, ...] = ()
    broadcast: bool = False
    details: ReplyDetails | None = None  # replies: what the report adds


@dataclass(frozen=True)
class ItemOutcome:
    """What processing one item decided, written by record_batch."""

    item_id: int
    mentions: Mentions
    story: StoryRecord
    alerts: tuple[NewAlert, ...] = ()
    event: Event | None = None  # the event stage's verdict; None when it failed ...
    event_error: str | None = None  # ... and then why (the item is still recorded and routed)


@dataclass(frozen=True)
class Mute:
    team: str
    kind: str  # story | group | region | keyword
    value: str
    until: datetime | None = None
    created_by: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class TeamChange:
    """One change a Slack user made to a team, or to the sources (also one audit row)."""

    team: str  # the team; for scope "source", the source id
    action: str  # add | remove | require | mute | unmute | digest; sources: add | remove | pause | resume
    kind: str  # region | group | keyword | story | require | set | now (digest) | source
    value: str  # the name, schedule or story; a source's URL when added
    user_id: str
    created_at: datetime | None = None
    until: datetime | None = None
    id: int | None = None
    scope: str = "team"  # team | source


@dataclass(frozen=True)
class Feedback:
    team: str
    story_id: str
    kind: str  # not_relevant
    user_id: str
    reasons: tuple[str, ...] = ()  # why the team's card fired
    created_at: datetime | None = None


@dataclass(frozen=True)
class OutboxAlert:
    id: int
    team: str
    channel: str
    story_id: str
    item_id: int
    kind: str
    reasons: tuple[str, ...]
    broadcast: bool
    attempts: int
    thread_ts: str | None  # the team's parent message ts, for replies
    details: ReplyDetails | None = None
    status: str = "pending"
    slack_ts: str | None = None
    error: str | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class SourceState:
    id: str
    etag: str | None = None
    last_modified: str | None = None
    next_poll_at: datetime | None = None
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    last_status: int | None = None
    consecutive_failures: int = 0
    items_seen: int = 0
    healthy: bool = True


@dataclass(frozen=True)
class JobRun:
    job: str
    slot: str
    owner: str
    started_at: datetime
    finished_at: datetime | None
    status: str  # running | done | failed
    detail: dict | None


@dataclass(frozen=True)
class ProcessedItem:
    stored: StoredItem
    mentions: Mentions
    processed_at: datetime


@dataclass(frozen=True)
class Activity:
    fetched: int
    processed: int
    queued: int
    sent: int


@dataclass(frozen=True)
class QueueStatus:
    pending: int
    failed: int
    sent: int
    oldest_pending: datetime | None
    leases: list[tuple[str, int]] = field(default_factory=list)  # (owner, rows leased)
