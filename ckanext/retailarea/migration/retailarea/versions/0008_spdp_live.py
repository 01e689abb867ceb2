"""The SPDP poller's state: sources (dataset, occupancy table, last poll) and facilities
(outcome of the last fetch, stale mark).

Revision ID: 0008_spdp_live
Revises: 0007_resource_secret
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_spdp_live"
down_revision = "0007_resource_secret"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "retailarea_spdp_source",
        sa.Column("source_id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False),
        sa.Column("occupancy_resource_id", sa.UnicodeText, nullable=False),
        sa.Column("interval_min", sa.Integer, nullable=False),
        sa.Column("stale_min", sa.Integer, nullable=False),
        sa.Column("last_started", sa.DateTime(timezone=True)),
        sa.Column("last_finished", sa.DateTime(timezone=True)),
        sa.Column("last_seconds", sa.Float),
        sa.Column("last_rows", sa.Integer),
        sa.Column("overran", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "retailarea_spdp_facility",
        sa.Column("source_id", sa.UnicodeText, primary_key=True),
        sa.Column("uuid", sa.UnicodeText, primary_key=True),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("dynamic_url", sa.UnicodeText),
        sa.Column("last_attempt", sa.DateTime(timezone=True)),
        sa.Column("last_success", sa.DateTime(timezone=True)),
        sa.Column("last_observed", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.UnicodeText),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("stale", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("in_index", sa.Boolean, nullable=False, server_default=sa.true()),
    )


def downgrade():
    op.drop_table("retailarea_spdp_facility")
    op.drop_table("retailarea_spdp_source")
