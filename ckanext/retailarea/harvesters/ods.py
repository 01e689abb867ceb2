"""Harvester of source type `ods` (OpenDataSoft Explore API v2.1)."""
from __future__ import annotations

from typing import Any

from ckanext.harvest.harvesters.base import HarvesterBase


class OdsHarvester(HarvesterBase):
    def info(self) -> dict[str, Any]:
        return {
            "name": "ods",
            "title": "OpenDataSoft Explore API v2.1",
            "description": "OpenDataSoft Explore API v2.1 catalog",
        }

    def gather_stage(self, harvest_job: Any) -> list[str]:
        raise NotImplementedError

    def fetch_stage(self, harvest_object: Any) -> bool:
        raise NotImplementedError

    def import_stage(self, harvest_object: Any) -> bool:
        raise NotImplementedError
