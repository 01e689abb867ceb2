"""Source type `dcat_json`: a DCAT-US 1.1 ``data.json`` (Socrata ``/data.json``, ArcGIS
Hub ``/api/feed/dcat-us/1.1.json``) or ckanext-dcat's JSON, through our pipeline.

The document is one page (bounded by the fetcher's size limit). DCAT-US ``accessLevel``
``public`` / ``restricted public`` / ``non-public`` maps to our access levels; a bbox
``spatial`` (``west,south,east,north``) becomes a GeoJSON polygon, a WKT one its GeoJSON;
``temporal`` (``start/end``) the period. DCAT-AR's ``superTheme`` (datos.gob.ar) holds EU
data-theme codes and is read as themes beside ``theme``.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ckanext.retailarea.harvesters import paging
from ckanext.retailarea.harvesters.base import RetailAreaHarvester
from ckanext.retailarea.harvesters.record import Record
from ckanext.retailarea.harvesters.source_config import SourceConfig


class RetailAreaDCATJSONHarvester(RetailAreaHarvester):
    def info(self) -> dict[str, Any]:
        return {
            "name": "dcat_json",
            "title": "DCAT JSON (DCAT-US data.json)",
            "description": "A DCAT-US 1.1 data.json, e.g. Socrata /data.json or ArcGIS Hub "
                           "/api/feed/dcat-us/1.1.json. Config: see docs/harvesting.md.",
        }

    def pages(self, url: str, cfg: SourceConfig) -> Iterator[tuple[str, list[Any]]]:
        document = paging.get_json(url)
        if isinstance(document, dict):
            datasets = paging.require_list(document, "dataset", url)
        elif isinstance(document, list):
            datasets = document
        else:
            raise paging.PageError(f"{url}: not a data.json catalog")
        yield url, datasets

    def quick_key(self, item: Any) -> tuple[str, str] | None:
        if isinstance(item, dict) and item.get("identifier"):
            return str(item["identifier"]), json.dumps(item, sort_keys=True)
        return None

    def record(self, item: Any, page_url: str, cfg: SourceConfig) -> Record:
        identifier = str(item["identifier"]).strip()
        if not identifier:
            raise ValueError("empty identifier")
        contact = item.get("contactPoint") or {}
        start, _, end = str(item.get("temporal") or "").partition("/")
        return Record(
            original_id=identifier,
            original_uri=identifier if identifier.startswith(("http://", "https://")) else None,
            page_url=item.get("landingPage"),
            title=str(item.get("title") or identifier),
            notes=item.get("description") or "",
            tags=_list(item.get("keyword")),
            licence=item.get("license"),
            themes=_list(item.get("theme")) + _list(item.get("superTheme")),
            frequency=item.get("accrualPeriodicity"),
            temporal_start=start or None,
            temporal_end=end or None,
            spatial=spatial(item.get("spatial")),
            publisher=(item.get("publisher") or {}).get("name"),
            maintainer=contact.get("fn"),
            maintainer_email=contact.get("hasEmail"),
            access=item.get("accessLevel"),
            modified=item.get("modified"),
            resources=[_resource(d) for d in item.get("distribution") or []],
        )


def _list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def spatial(value: Any) -> str | None:
    """GeoJSON text for a GeoJSON object or a ``west,south,east,north`` bbox; other
    values (place names) are returned as they are, for the mapping to report."""
    if isinstance(value, dict):
        return json.dumps(value)
    text = str(value or "").strip()
    parts = text.split(",")
    if len(parts) == 4:
        try:
            west, south, east, north = (float(p) for p in parts)
        except ValueError:
            return text or None
        ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
        return json.dumps({"type": "Polygon", "coordinates": [ring]})
    return text or None


def _resource(dist: dict[str, Any]) -> dict[str, Any]:
    media = str(dist.get("mediaType") or "")
    return {
        "url": dist.get("downloadURL") or dist.get("accessURL"),
        "name": dist.get("title") or "",
        "description": dist.get("description") or "",
        "format": dist.get("format") or media.rsplit("/", 1)[-1].upper(),
    }
