"""job_runs (run once per schedule across replicas) and digest_settings

Revision ID: 0003_digests
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_digests"
down_revision = "0002_teams"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("job", sa.String(100), nullable=False),
        sa.Column("slot", sa.String(40), nullable=False),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS),
        sa.Column("status", sa.String(10), nullable=False, server_default="running"),
        sa.Column("detail", sa.JSON),
        sa.UniqueConstraint("job", "slot", name="uq_job_runs_job_slot"),
    )
    op.create_table(
        "digest_settings",
        sa.Column("team", sa.String(64), primary_key=True),
        sa.Column("cron", sa.String(100), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("updated_by", sa.String(64)),
        sa.Column("updated_at", TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("digest_settings")
    op.drop_table("job_runs")
