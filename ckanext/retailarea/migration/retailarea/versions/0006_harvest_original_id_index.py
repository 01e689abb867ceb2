"""Index the original id of harvested datasets (package extra ``harvest_original_id``).

A harvest object from the fetch queue that does not know its dataset finds it by its
provenance (harvesters/importer.py ``harvested_before``); without an index that lookup
scans every package extra (53 ms at 100,000 datasets). Partial (only that key) and on
md5(value), so an original id of any length fits a B-tree entry.

Revision ID: 0006_harvest_original_id_index
Revises: 0005_dataset_conformance
Create Date: 2026-11-28
"""
from alembic import op

from ckanext.retailarea.model import extras

revision = "0006_harvest_original_id_index"
down_revision = "0005_dataset_conformance"
branch_labels = None
depends_on = None

INDEX = "retailarea_extra_harvest_original_id"


def upgrade():
    if extras.in_column(op.get_bind()):
        # CKAN 2.12 keeps extras in package.extras: migration 0008 indexes them there
        return
    op.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON package_extra (md5(value)) "
               "WHERE key = 'harvest_original_id'")


def downgrade():
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
