"""Harvester of source type `socrata` (Socrata discovery API)."""
from __future__ import annotations

from typing import Any

from ckanext.harvest.harvesters.base import HarvesterBase


class SocrataHarvester(HarvesterBase):
    def info(self) -> dict[str, Any]:
        return {
            "name": "socrata",
            "title": "Socrata discovery API",
            "description": "Socrata discovery API catalog",
        }

    def gather_stage(self, harvest_job: Any) -> list[str]:
        raise NotImplementedError

    def fetch_stage(self, harvest_object: Any) -> bool:
        raise NotImplementedError

    def import_stage(self, harvest_object: Any) -> bool:
        raise NotImplementedError
