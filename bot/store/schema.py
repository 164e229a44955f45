"""Tables. Alembic migrations in `migrations/` create exactly these; a test checks they agree."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in and out, on PostgreSQL and on SQLite (which keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use UTC-aware values")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


UTC_TS = UTCDateTime()

sources = Table(
    "sources",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("next_poll_at", UTC_TS),
    Column("lease_owner", String(64)),
    Column("lease_until", UTC_TS),
    Column("last_attempt", UTC_TS),
    Column("last_success", UTC_TS),
    Column("last_error", Text),
    Column("last_status", Integer),
    Column("consecutive_failures", Integer, nullable=False, server_default="0"),
    Column("items_seen", Integer, nullable=False, server_default="0"),
    Column("healthy", Boolean, nullable=False, server_default=text("true")),
)

items = Table(
    "items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_id", String(64), nullable=False),
    Column("guid", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("canonical_url", Text),
    Column("content_key", String(64)),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False, server_default=""),
    Column("text", Text, nullable=False, server_default=""),
    Column("language", String(16)),
    Column("published", UTC_TS),
    Column("fetched_at", UTC_TS, nullable=False),
    # NULL until matched and queued: a crash between storing and matching loses nothing.
    Column("processed_at", UTC_TS),
    Column("lease_owner", String(64)),
    Column("lease_until", UTC_TS),
    Column("duplicate_of", Integer),
    Column("story_id", String(40)),
    Column("mentions", JSON),
    Column("event", JSON),  # the event stage's verdict (migration 0007)
    Column("event_error", Text),  # set when the event stage failed on the item
    UniqueConstraint("source_id", "guid", name="uq_items_source_guid"),
    Index("ix_items_unprocessed", "processed_at", "id"),
    Index("ix_items_canonical_url", "canonical_url"),
    Index("ix_items_content_key", "content_key"),
    Index("ix_items_story", "story_id"),
    # Items in stories by processing time and processor (migrations 0005, 0006): what a
    # clusterer catches up on.
    Index(
        "ix_items_in_stories",
        "processed_at",
        "lease_owner",
        sqlite_where=text("story_id IS NOT NULL AND duplicate_of IS NULL"),
        postgresql_where=text("story_id IS NOT NULL AND duplicate_of IS NULL"),
    ),
)

stories = Table(
    "stories",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("title", Text, nullable=False),
    Column("first_item_id", Integer, nullable=False),
    Column("opened_at", UTC_TS, nullable=False),
    Column("last_item_at", UTC_TS, nullable=False),
    Column("closed", Boolean, nullable=False, server_default=text("false")),
    Column("summary", JSON),  # latest Summary (sentences, facts) as plain JSON
    Column("mentions", JSON),  # union of its items' mentions
    Column("event", JSON),  # what made it security news (its first security report's event)
    Index("ix_stories_last_item", "last_item_at"),
)

# The outbox: one row per (team, item) to deliver. Unique keys make a double post impossible.
alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("team", String(64), nullable=False),
    Column("channel", String(100), nullable=False),
    Column("story_id", String(40), nullable=False),
    Column("item_id", Integer, ForeignKey("items.id"), nullable=False),
    Column("kind", String(8), nullable=False),  # parent | reply
    Column("reasons", JSON),
    Column("details", JSON),  # reply extras: new facts, why it was broadcast
    Column("broadcast", Boolean, nullable=False, server_default=text("false")),
    Column("status", String(10), nullable=False, server_default="pending"),  # pending|sent|failed|muted
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", UTC_TS, nullable=False),
    Column("lease_owner", String(64)),
    Column("lease_until", UTC_TS),
    Column("slack_ts", String(32)),
    Column("thread_ts", String(32)),
    Column("error", Text),
    Column("created_at", UTC_TS, nullable=False),
    Column("sent_at", UTC_TS),
    # Parent cards are re-rendered (source count, toll) after each reply; this marks that as owed.
    Column("needs_update", Boolean, nullable=False, server_default=text("false")),
    UniqueConstraint("team", "item_id", name="uq_alerts_team_item"),
    Index(
        "uq_alerts_one_parent",
        "team",
        "story_id",
        unique=True,
        sqlite_where=text("kind = 'parent'"),
        postgresql_where=text("kind = 'parent'"),
    ),
    Index("ix_alerts_due", "status", "next_attempt_at"),
    Index("ix_alerts_story", "story_id", "kind"),
)

# Per-team mutes: a story, a group, a region or a keyword, until a time (NULL: until unmuted).
mutes = Table(
    "mutes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("team", String(64), nullable=False),
    Column("kind", String(10), nullable=False),  # story | group | region | keyword
    Column("value", Text, nullable=False),
    Column("until", UTC_TS),
    Column("created_by", String(64)),
    Column("created_at", UTC_TS, nullable=False),
    Column("reason", Text),  # e.g. "not relevant"
    UniqueConstraint("team", "kind", "value", name="uq_mutes_team_kind_value"),
)

# Run-once-per-schedule across replicas: the first replica to insert (job, slot) runs it.
job_runs = Table(
    "job_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("job", String(100), nullable=False),  # e.g. "digest:sahel-desk", "prune"
    Column("slot", String(40), nullable=False),  # the scheduled time (ISO UTC) or "manual:…"
    Column("owner", String(64), nullable=False),
    Column("started_at", UTC_TS, nullable=False),
    Column("finished_at", UTC_TS),
    Column("status", String(10), nullable=False, server_default="running"),  # running|done|failed
    Column("detail", JSON),  # what the run did, e.g. a digest's window and story count
    UniqueConstraint("job", "slot", name="uq_job_runs_job_slot"),
)

# Digest schedules set from Slack (`/lookout digest set …`); they override teams.yaml.
digest_settings = Table(
    "digest_settings",
    metadata,
    Column("team", String(64), primary_key=True),
    Column("cron", String(100), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("updated_by", String(64)),
    Column("updated_at", UTC_TS, nullable=False),
)

# ---- story threads (migration 0004_feedback) ---------------------------------------------

# The channel id Slack answered with when the alert was posted. teams.yaml may say "#name";
# a mention in a thread names the channel by id, so threads are found by (channel id, ts).
alerts.append_column(Column("slack_channel", String(32)))

# "Not relevant" from a team about a story: kept with why the card fired, to tune watches.
feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("team", String(64), nullable=False),
    Column("story_id", String(40), nullable=False),
    Column("kind", String(20), nullable=False),  # not_relevant
    Column("user_id", String(32), nullable=False),
    Column("reasons", JSON),  # the card's "why" lines when the feedback was given
    Column("created_at", UTC_TS, nullable=False),
    UniqueConstraint("team", "story_id", "kind", "user_id", name="uq_feedback_once"),
)

# Every change made from Slack: to a team, watch edits (replayed over the YAML seed to give the
# team's live watch), mutes, `digest set` and `digest now`; to the sources (scope "source",
# migration 0008), add, remove, pause and resume, replayed over sources.yaml. Append-only, so
# it is also the one audit log (`watch history`, `sources history`).
team_changes = Table(
    "team_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("team", String(64), nullable=False),  # the team, or the source id for scope "source"
    Column("action", String(10), nullable=False),  # add | remove | require | mute | unmute | digest
    # | pause | resume (sources)
    Column("kind", String(10), nullable=False),  # region | group | keyword | story | require | set | now
    Column("value", Text, nullable=False),
    Column("until", UTC_TS),  # mutes: when the mute ends
    Column("user_id", String(64), nullable=False),
    Column("created_at", UTC_TS, nullable=False),
    Column("scope", String(10), nullable=False, server_default="team"),  # team | source
    Index("ix_team_changes_team", "team", "id"),
)

# Slack requests already acted on (event id, trigger id): a retried request is acked, not redone.
slack_requests = Table(
    "slack_requests",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("received_at", UTC_TS, nullable=False),
    Index("ix_slack_requests_received", "received_at"),
)
