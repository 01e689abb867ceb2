"""Harvester of source type `cbs_odata` (CBS StatLine OData v4)."""
from __future__ import annotations

from typing import Any

from ckanext.harvest.harvesters.base import HarvesterBase


class CbsODataHarvester(HarvesterBase):
    def info(self) -> dict[str, Any]:
        return {
            "name": "cbs_odata",
            "title": "CBS StatLine OData v4",
            "description": "CBS StatLine OData v4 catalog",
        }

    def gather_stage(self, harvest_job: Any) -> list[str]:
        raise NotImplementedError

    def fetch_stage(self, harvest_object: Any) -> bool:
        raise NotImplementedError

    def import_stage(self, harvest_object: Any) -> bool:
        raise NotImplementedError
