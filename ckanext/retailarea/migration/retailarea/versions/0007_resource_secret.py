"""Keep the URLs of restricted and non-public datasets' resources out of CKAN's tables.

Creates ``retailarea_resource_secret`` and moves every URL-bearing value of the resources
of datasets that are restricted or non-public now into it: the resource rows get the
neutral guarded URL, earlier activities and harvest objects lose the values
(access/vault.py does the same on every save). The search index still holds the old
documents: ``make run`` rebuilds it after an upgrade (and ``ckan search-index rebuild``
does it on a site run otherwise).

Revision ID: 0007_resource_secret
Revises: 0006_harvest_original_id_index
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_resource_secret"
down_revision = "0006_harvest_original_id_index"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "retailarea_resource_secret",
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("key", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("value", sa.UnicodeText, nullable=False),
    )
    op.add_column("retailarea_access_grant",
                  sa.Column("purpose_withdrawn_at", sa.DateTime, nullable=True))
    from ckanext.retailarea.access import vault_upgrade

    vault_upgrade.move_existing(op.get_bind())


def downgrade():
    from ckanext.retailarea.access import vault_upgrade

    vault_upgrade.restore_existing(op.get_bind())
    op.drop_table("retailarea_resource_secret")
    op.drop_column("retailarea_access_grant", "purpose_withdrawn_at")
