"""Add retailarea_dataset_rdf: each exportable dataset's DCAT triples, kept at save time.

Revision ID: 0003_dataset_rdf
Revises: 0002_access
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_dataset_rdf"
down_revision = "0002_access"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "retailarea_dataset_rdf",
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("name", sa.UnicodeText, nullable=False, index=True),
        sa.Column("dataset_uri", sa.UnicodeText, nullable=False),
        sa.Column("ntriples", sa.UnicodeText, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("retailarea_dataset_rdf")
