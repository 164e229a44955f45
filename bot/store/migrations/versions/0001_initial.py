"""sources, items, stories, the alerts outbox and mutes

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("next_poll_at", TS),
        sa.Column("lease_owner", sa.String(64)),
        sa.Column("lease_until", TS),
        sa.Column("last_attempt", TS),
        sa.Column("last_success", TS),
        sa.Column("last_error", sa.Text),
        sa.Column("last_status", sa.Integer),
        sa.Column("consecutive_failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("items_seen", sa.Integer, nullable=False, server_default="0"),
        sa.Column("healthy", sa.Boolean, nullable=False, server_default=sa.text("true")),
    )
    op.create_table(
        "items",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source_id", sa.String(64), nullable=False),
        sa.Column("guid", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("canonical_url", sa.Text),
        sa.Column("content_key", sa.String(64)),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False, server_default=""),
        sa.Column("text", sa.Text, nullable=False, server_default=""),
        sa.Column("language", sa.String(16)),
        sa.Column("published", TS),
        sa.Column("fetched_at", TS, nullable=False),
        sa.Column("processed_at", TS),
        sa.Column("lease_owner", sa.String(64)),
        sa.Column("lease_until", TS),
        sa.Column("duplicate_of", sa.Integer),
        sa.Column("story_id", sa.String(40)),
        sa.Column("mentions", sa.JSON),
        sa.UniqueConstraint("source_id", "guid", name="uq_items_source_guid"),
    )
    op.create_index("ix_items_unprocessed", "items", ["processed_at", "id"])
    op.create_index("ix_items_canonical_url", "items", ["canonical_url"])
    op.create_index("ix_items_content_key", "items", ["content_key"])
    op.create_index("ix_items_story", "items", ["story_id"])
    op.create_table(
        "stories",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("first_item_id", sa.Integer, nullable=False),
        sa.Column("opened_at", TS, nullable=False),
        sa.Column("last_item_at", TS, nullable=False),
        sa.Column("closed", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("summary", sa.JSON),
        sa.Column("mentions", sa.JSON),
    )
    op.create_index("ix_stories_last_item", "stories", ["last_item_at"])
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("team", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(100), nullable=False),
        sa.Column("story_id", sa.String(40), nullable=False),
        sa.Column(
            "item_id", sa.Integer, sa.ForeignKey("items.id", name="fk_alerts_item_id_items"), nullable=False
        ),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("reasons", sa.JSON),
        sa.Column("details", sa.JSON),
        sa.Column("broadcast", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("status", sa.String(10), nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("lease_owner", sa.String(64)),
        sa.Column("lease_until", TS),
        sa.Column("slack_ts", sa.String(32)),
        sa.Column("thread_ts", sa.String(32)),
        sa.Column("error", sa.Text),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sent_at", TS),
        sa.Column("needs_update", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.UniqueConstraint("team", "item_id", name="uq_alerts_team_item"),
    )
    op.create_index(
        "uq_alerts_one_parent",
        "alerts",
        ["team", "story_id"],
        unique=True,
        sqlite_where=sa.text("kind = 'parent'"),
        postgresql_where=sa.text("kind = 'parent'"),
    )
    op.create_index("ix_alerts_due", "alerts", ["status", "next_attempt_at"])
    op.create_table(
        "mutes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("team", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("until", TS),
        sa.Column("created_by", sa.String(64)),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("reason", sa.Text),
        sa.UniqueConstraint("team", "kind", "value", name="uq_mutes_team_kind_value"),
    )


def downgrade() -> None:
    for table in ("mutes", "alerts", "stories", "items", "sources"):
        op.drop_table(table)
