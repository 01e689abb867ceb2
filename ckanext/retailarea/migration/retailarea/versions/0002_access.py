"""Add access requests, grants and the access log.

Revision ID: 0002_access
Revises: 0001_table_report
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_access"
down_revision = "0001_table_report"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "retailarea_access_request",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("user_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("purpose", sa.UnicodeText, nullable=False),
        sa.Column("justification", sa.UnicodeText, nullable=False),
        sa.Column("accepted_conditions", sa.UnicodeText),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("decided_by", sa.UnicodeText),
        sa.Column("decided_at", sa.DateTime),
        sa.Column("decision_reason", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_table(
        "retailarea_access_grant",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("request_id", sa.UnicodeText, nullable=False),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("user_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("purpose", sa.UnicodeText, nullable=False),
        sa.Column("expires", sa.DateTime, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("granted_by", sa.UnicodeText, nullable=False),
        sa.Column("revoked_at", sa.DateTime),
        sa.Column("revoked_by", sa.UnicodeText),
    )
    op.create_table(
        "retailarea_access_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.UnicodeText, nullable=False),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("resource_id", sa.UnicodeText),
        sa.Column("grant_id", sa.UnicodeText),
        sa.Column("purpose", sa.UnicodeText),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("ip", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False, index=True),
    )


def downgrade():
    op.drop_table("retailarea_access_log")
    op.drop_table("retailarea_access_grant")
    op.drop_table("retailarea_access_request")
