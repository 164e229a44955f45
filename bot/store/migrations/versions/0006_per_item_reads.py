"""per-item reads by index: a story's card holders, and items other replicas put in stories

Revision ID: 0006_per_item_reads
Revises: 0005_items_in_stories
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_per_item_reads"
down_revision = "0005_items_in_stories"
branch_labels = None
depends_on = None

IN_STORIES = "story_id IS NOT NULL AND duplicate_of IS NULL"


def _items_in_stories(*columns: str) -> None:
    op.create_index(
        "ix_items_in_stories",
        "items",
        list(columns),
        sqlite_where=sa.text(IN_STORIES),
        postgresql_where=sa.text(IN_STORIES),
    )


def upgrade() -> None:
    # uq_alerts_one_parent leads with the team, so "who has this story's card" walked the
    # whole index for every processed item, and the table only grows.
    op.create_index("ix_alerts_story", "alerts", ["story_id", "kind"])
    # Catch-up skips the items this replica processed itself: with the owner in the index it
    # does so without reading the rows.
    op.drop_index("ix_items_in_stories", "items")
    _items_in_stories("processed_at", "lease_owner")


def downgrade() -> None:
    op.drop_index("ix_items_in_stories", "items")
    _items_in_stories("processed_at")
    op.drop_index("ix_alerts_story", "alerts")
