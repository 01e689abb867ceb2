"""Harvester of source type `ods` (OpenDataSoft Explore API v2.1, e.g. Eindhoven).

Source URL: the portal (``https://data.eindhoven.nl``) or its catalog endpoint
(``.../api/explore/v2.1/catalog/datasets``, query parameters such as ``where`` kept).
Pages: ``limit``/``offset`` -> ``{"total_count": N, "results": [...]}``. A dataset's
``visibility`` ``restricted`` (login required at the source) maps to our ``restricted``;
a DCAT ``accessRights`` statement in its metas wins over that flag.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ckanext.retailarea.harvesters import paging
from ckanext.retailarea.harvesters.base import RetailAreaHarvester
from ckanext.retailarea.harvesters.record import Record
from ckanext.retailarea.harvesters.source_config import SourceConfig

CATALOG_PATH = "/api/explore/v2.1/catalog/datasets"
PAGE_SIZE = 100  # the most ODS v2.1 returns per request
EXPORTS = (("csv", "CSV"), ("json", "JSON"))
MIME_FORMATS = {
    "application/pdf": "PDF", "application/zip": "ZIP", "application/xls": "XLS",
    "application/vnd.ms-excel": "XLS", "text/csv": "CSV", "application/json": "JSON",
    "application/geo+json": "GeoJSON",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
}


class OdsHarvester(RetailAreaHarvester):
    def info(self) -> dict[str, Any]:
        return {
            "name": "ods",
            "title": "OpenDataSoft Explore API v2.1",
            "description": "OpenDataSoft portal (Explore API v2.1 catalog), e.g. "
                           "data.eindhoven.nl. Config: see docs/harvesting.md.",
        }

    def pages(self, url: str, cfg: SourceConfig) -> Iterator[tuple[str, list[Any]]]:
        catalog = catalog_url(url)
        size = min(int(cfg.extra.get("page_size", PAGE_SIZE)), PAGE_SIZE)
        return paging.offset_pages(
            lambda offset: _with_query(catalog, limit=size, offset=offset),
            lambda doc: paging.require_list(doc, "results", catalog),
            lambda doc: doc.get("total_count") if isinstance(doc, dict) else None,
        )

    def record(self, item: Any, page_url: str, cfg: SourceConfig) -> Record:
        dataset_id = str(item["dataset_id"])
        metas = item.get("metas") or {}
        default, dcat = metas.get("default") or {}, metas.get("dcat") or {}
        base = portal_url(page_url)
        api = f"{base}{CATALOG_PATH}/{dataset_id}"
        return Record(
            original_id=dataset_id,
            original_uri=api,
            page_url=f"{base}/explore/dataset/{dataset_id}/",
            title=default.get("title") or dataset_id,
            notes=default.get("description") or "",
            tags=_list(default.get("keyword")),
            licence=default.get("license_url") or default.get("license"),
            themes=_list(default.get("theme")),
            frequency=dcat.get("accrualperiodicity"),
            temporal_start=dcat.get("temporal_coverage_start"),
            temporal_end=dcat.get("temporal_coverage_end"),
            publisher=default.get("publisher"),
            maintainer=dcat.get("contact_name"),
            maintainer_email=dcat.get("contact_email"),
            access=dcat.get("accessRights") or _visibility(item.get("visibility")),
            modified=default.get("modified"),
            resources=_resources(item, api),
        )


def catalog_url(url: str) -> str:
    parts = urlsplit(url.rstrip("/"))
    if "/api/explore/" in parts.path:
        return url
    return urlunsplit((parts.scheme, parts.netloc, parts.path + CATALOG_PATH, parts.query, ""))


def portal_url(url: str) -> str:
    parts = urlsplit(url)
    prefix = parts.path.split("/api/explore/", 1)[0]
    return urlunsplit((parts.scheme, parts.netloc, prefix, "", "")).rstrip("/")


def _with_query(url: str, **params: Any) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in params]
    query += [(k, str(v)) for k, v in params.items()]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def _list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _visibility(value: Any) -> str | None:
    """ODS flags: ``domain`` is open to everyone on the portal, ``restricted`` needs a
    login granted by the publisher."""
    return {"domain": "public", "restricted": "restricted public"}.get(str(value or ""), None)


def _resources(item: dict[str, Any], api: str) -> list[dict[str, Any]]:
    resources = []
    if item.get("has_records"):
        exports = list(EXPORTS)
        if "geo" in (item.get("features") or []):
            exports.append(("geojson", "GeoJSON"))
        resources += [{"url": f"{api}/exports/{name}", "name": f"Export ({fmt})",
                       "format": fmt} for name, fmt in exports]
    for kind in ("attachments", "alternative_exports"):
        for attachment in item.get(kind) or []:
            resources.append({
                "url": f"{api}/{kind}/{attachment['id']}",
                "name": attachment.get("title") or attachment["id"],
                "description": attachment.get("description") or "",
                "format": MIME_FORMATS.get(attachment.get("mimetype") or "", ""),
            })
    return resources
