"""team_changes.scope: the change log also holds source changes made from Slack

Revision ID: 0008_change_scope
Revises: 0007_item_events
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_change_scope"
down_revision = "0007_item_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # "team" (the rows so far: watch edits, mutes, digests) or "source" (`/lookout sources
    # add|remove|pause|resume`, whose row names the source in the team column).
    op.add_column("team_changes", sa.Column("scope", sa.String(10), nullable=False, server_default="team"))


def downgrade() -> None:
    op.drop_column("team_changes", "scope")
