"""Index the original id of harvested datasets where CKAN 2.12 keeps extras.

CKAN 2.12 moves extras into the JSONB column ``package.extras`` (core migration
``106_12d64978ab44_faster_extras``, which drops ``package_extra`` and the index of our
migration 0006). This index serves the same lookup (harvesters/importer.py
``harvested_before``) there. On a CKAN 2.11 database the column does not exist yet and
nothing is done; ``ckan retailarea db indexes`` (run by ``make run`` after every code
change) makes the index once the site has moved to 2.12 (docs/operations.md, "Upgrading
from CKAN 2.11").

Revision ID: 0009_package_original_id
Revises: 0008_spdp_live
Create Date: 2026-12-07
"""
from alembic import op

from ckanext.retailarea.model import extras

revision = "0009_package_original_id"
down_revision = "0008_spdp_live"
branch_labels = None
depends_on = None


def upgrade():
    extras.ensure_index(op.get_bind())


def downgrade():
    op.execute(f"DROP INDEX IF EXISTS {extras.INDEX}")
