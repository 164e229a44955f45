"""the event stage's verdict on each item and on its story; a mark when it failed

Revision ID: 0007_item_events
Revises: 0006_per_item_reads
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_item_events"
down_revision = "0006_per_item_reads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The Event as JSON (security, kind, evidence, reason); NULL before this revision and when
    # the stage failed, which event_error then says (counted by `status`).
    op.add_column("items", sa.Column("event", sa.JSON()))
    op.add_column("items", sa.Column("event_error", sa.Text()))
    # The story's event: what made it security news (its first security report's), or its
    # first report's verdict while it is not.
    op.add_column("stories", sa.Column("event", sa.JSON()))


def downgrade() -> None:
    op.drop_column("stories", "event")
    op.drop_column("items", "event_error")
    op.drop_column("items", "event")
