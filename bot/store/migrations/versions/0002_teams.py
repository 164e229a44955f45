"""team_changes (watch edits and mutes from Slack, the audit log) and slack_requests

Revision ID: 0002_teams
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_teams"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "team_changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("team", sa.String(64), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("until", TS),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_team_changes_team", "team_changes", ["team", "id"])
    op.create_table(
        "slack_requests",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("received_at", TS, nullable=False),
    )
    op.create_index("ix_slack_requests_received", "slack_requests", ["received_at"])


def downgrade() -> None:
    op.drop_table("slack_requests")
    op.drop_table("team_changes")
