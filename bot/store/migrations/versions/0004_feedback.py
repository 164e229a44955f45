"""story threads: the posted channel id of each alert, feedback, answered Slack events

Revision ID: 0004_feedback
Revises: 0003_digests
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_feedback"
down_revision = "0003_digests"  # after the digests tables, one line of history
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite supports it): no table rebuild, the partial index stays.
    op.add_column("alerts", sa.Column("slack_channel", sa.String(32)))
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("team", sa.String(64), nullable=False),
        sa.Column("story_id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("reasons", sa.JSON),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("team", "story_id", "kind", "user_id", name="uq_feedback_once"),
    )


def downgrade() -> None:
    op.drop_table("feedback")
    with op.batch_alter_table("alerts") as batch:
        batch.drop_column("slack_channel")
