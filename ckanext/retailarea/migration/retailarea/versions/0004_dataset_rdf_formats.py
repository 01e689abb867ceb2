"""Keep each dataset's DCAT as Turtle, JSON-LD and RDF/XML fragments too, so every
catalog format streams by concatenation.

Revision ID: 0004_dataset_rdf_formats
Revises: 0003_dataset_rdf
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_dataset_rdf_formats"
down_revision = "0003_dataset_rdf"
branch_labels = None
depends_on = None

COLUMNS = ("turtle", "jsonld", "rdfxml")


def upgrade():
    for column in COLUMNS:
        op.add_column("retailarea_dataset_rdf", sa.Column(column, sa.UnicodeText))


def downgrade():
    for column in COLUMNS:
        op.drop_column("retailarea_dataset_rdf", column)
