"""Extension point of the table pipeline: work that must follow a load.

    class MySeries(p.SingletonPlugin):
        p.implements(IRetailAreaTables)

        def retailarea_after_table_load(self, resource_id, table_schema):
            ...  # e.g. indexes or summaries in the DataStore database

It runs in the background job, after the last row is in and before the report says
``loaded``; an exception marks the load as failed, as any other error of the job does.
"""
from __future__ import annotations

from ckan.plugins.interfaces import Interface


class IRetailAreaTables(Interface):
    """Hooks of the table pipeline (tables/pipeline.py)."""

    def retailarea_after_table_load(self, resource_id: str, table_schema: str) -> None:
        """The DataStore table of ``resource_id`` now holds the rows of its CSV, which
        follows the table schema ``table_schema`` (``footfall_counts``, ...)."""
