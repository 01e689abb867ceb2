"""Extension point of the harvest mapping (STYLE rule 8: no if/else chains per source).

Value maps that only need a table live in the source configuration (see
``source_config.py``); an extension that needs code implements this interface::

    class MyMapping(p.SingletonPlugin):
        p.implements(IRetailAreaHarvestMapping)

        def retailarea_harvest_package(self, package, record, source_config):
            if "marktdagen" in record.tags:
                package["frequency"] = "WEEKLY"
            return package

The package then goes through our schema's validation as usual, so an extension cannot
store codes outside the vocabularies or weaken the access rules.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ckan.plugins.interfaces import Interface

if TYPE_CHECKING:
    from ckanext.retailarea.harvesters.record import Record
    from ckanext.retailarea.harvesters.source_config import SourceConfig


class IRetailAreaHarvestMapping(Interface):
    """Adjust a harvested dataset after our mapping and before it is validated and saved."""

    def retailarea_harvest_package(self, package: dict[str, Any], record: Record,
                                   source_config: SourceConfig) -> dict[str, Any]:
        """Return the package dict to save (changed in place or a new dict).

        :param package: the mapped dataset (our schema's fields and codes)
        :param record: the harvested record, in the shared shape of ``record.py``
        :param source_config: the parsed configuration of the harvest source
        """
        return package
