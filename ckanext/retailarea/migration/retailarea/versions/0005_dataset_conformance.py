"""Add retailarea_dataset_conformance: the last SHACL check of each dataset's DCAT.

Revision ID: 0005_dataset_conformance
Revises: 0004_dataset_rdf_formats
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_dataset_conformance"
down_revision = "0004_dataset_rdf_formats"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "retailarea_dataset_conformance",
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("conforms", sa.Boolean, nullable=False),
        sa.Column("violations", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Integer, nullable=False),
        sa.Column("findings", sa.UnicodeText, nullable=False),
        sa.Column("checked_at", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("retailarea_dataset_conformance")
