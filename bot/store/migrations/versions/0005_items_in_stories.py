"""items in stories by processing time: the clusterer's catch-up reads only these

Revision ID: 0005_items_in_stories
Revises: 0004_feedback
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_items_in_stories"
down_revision = "0004_feedback"
branch_labels = None
depends_on = None

IN_STORIES = "story_id IS NOT NULL AND duplicate_of IS NULL"


def upgrade() -> None:
    # Partial: duplicates (often most of a cycle's items) and unprocessed items stay out, so
    # each batch's catch-up reads the ids in its time margin and nothing else.
    op.create_index(
        "ix_items_in_stories",
        "items",
        ["processed_at"],
        sqlite_where=sa.text(IN_STORIES),
        postgresql_where=sa.text(IN_STORIES),
    )


def downgrade() -> None:
    op.drop_index("ix_items_in_stories", "items")
