"""Add retailarea_table_report: validation and DataStore load state per CSV resource.

Revision ID: 0001_table_report
Revises:
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001_table_report"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "retailarea_table_report",
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("table_schema", sa.UnicodeText),
        sa.Column("source_key", sa.UnicodeText),
        sa.Column("rows_checked", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_loaded", sa.Integer, nullable=False, server_default="0"),
        sa.Column("error_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("report", JSONB),
        sa.Column("message", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("updated", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("retailarea_table_report")
