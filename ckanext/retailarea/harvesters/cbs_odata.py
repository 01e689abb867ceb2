"""Harvester of source type `cbs_odata` (CBS StatLine OData v4 dataset catalog).

Source URL: the catalog (``https://datasets.cbs.nl/odata/v1/CBS``) or its ``Datasets``
collection. Pages: ``{"value": [...], "@odata.nextLink": "..."}`` until no next link.
Each entity has ``Identifier``, ``Title``, ``Description``, ``Modified`` and ``Status``;
``Frequency`` (Dutch words such as ``Perjaar``), ``TemporalCoverage`` (``1921-2025``),
``License``, ``ContactPoint`` and ``Keywords`` live in ``/{Identifier}/Properties``
(datasets.cbs.nl serves them nowhere else), read in the fetch stage for each new or changed
table. A table CBS no longer updates (``Status`` ``Gediscontinueerd``) gets frequency
``NEVER`` whatever its Properties say. CBS publishes open statistics only, under CC BY 4.0
unless a table says otherwise; every record is public.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

from ckanext.retailarea.harvesters import http, paging
from ckanext.retailarea.harvesters.base import RetailAreaHarvester
from ckanext.retailarea.harvesters.record import Record
from ckanext.retailarea.harvesters.source_config import SourceConfig

CBS_LICENCE = "https://creativecommons.org/licenses/by/4.0/"
STATLINE_PAGE = "https://opendata.cbs.nl/#/CBS/nl/dataset/{id}/table"
DISCONTINUED = "gediscontinueerd"
_YEARS = re.compile(r"\b(\d{4})\b")


class CbsODataHarvester(RetailAreaHarvester):
    def info(self) -> dict[str, Any]:
        return {
            "name": "cbs_odata",
            "title": "CBS StatLine OData v4",
            "description": "CBS StatLine OData v4 dataset catalog "
                           "(datasets.cbs.nl/odata/v1/CBS). Config: see docs/harvesting.md.",
        }

    def pages(self, url: str, cfg: SourceConfig) -> Iterator[tuple[str, list[Any]]]:
        return paging.link_pages(datasets_url(url), _read)

    def record(self, item: Any, page_url: str, cfg: SourceConfig) -> Record:
        identifier = str(item["Identifier"]).strip()
        if not identifier:
            raise ValueError("empty Identifier")
        root = page_url.split("?", 1)[0].rsplit("/Datasets", 1)[0]
        start, end = _coverage(item.get("TemporalCoverage"))
        return Record(
            original_id=identifier,
            original_uri=f"{root}/{identifier}",
            page_url=STATLINE_PAGE.format(id=identifier),
            title=item.get("Title") or identifier,
            notes=item.get("Description") or item.get("Summary") or "",
            tags=_list(item.get("Keywords")),
            themes=_list(item.get("Themes")),
            licence=item.get("License") or CBS_LICENCE,
            frequency=_frequency(item.get("Frequency"), item.get("Status")),
            temporal_start=start,
            temporal_end=end,
            publisher="Centraal Bureau voor de Statistiek",
            access="public",
            maintainer_email=item.get("ContactPoint"),
            modified=item.get("Modified"),
            resources=[{"url": f"{root}/{identifier}", "name": "OData v4", "format": "OData"}],
            fields={"status": item["Status"]} if item.get("Status") else {},
        )

    def details(self, record: Record, cfg: SourceConfig) -> Record:
        """The record with what the table's Properties add; when they cannot be read, the
        record as the catalog lists it, with a note (read again at the next harvest)."""
        if not record.original_uri:
            return record
        url = f"{record.original_uri}/Properties"
        try:
            properties = paging.get_json(url)
            if not isinstance(properties, dict):
                raise paging.PageError(f"{url}: not an OData entity")
        except (http.FetchError, paging.PageError) as error:
            note = (f"Properties of {record.original_id} could not be read ({error}); "
                    "frequency, period and licence as the catalog lists them")
            return dataclasses.replace(record, reading_notes=[note])
        item = {**_listed(record), **{k: v for k, v in properties.items() if v}}
        return self.record(item, record.original_uri.rsplit("/", 1)[0] + "/Datasets", cfg)


def _listed(record: Record) -> dict[str, Any]:
    """The catalog row a record was made from, in the row's own names."""
    row = {"Identifier": record.original_id, "Title": record.title,
           "Description": record.notes, "Modified": record.modified,
           "Status": record.fields.get("status")}
    return {key: value for key, value in row.items() if value}


def _frequency(frequency: Any, status: Any) -> Any:
    return "NEVER" if str(status or "").strip().lower() == DISCONTINUED else frequency


def datasets_url(url: str) -> str:
    base, _, query = url.partition("?")
    if not base.rstrip("/").endswith("/Datasets"):
        base = base.rstrip("/") + "/Datasets"
    return f"{base}?{query}" if query else base


def _read(url: str) -> tuple[list[Any], str | None]:
    document = paging.get_json(url)
    items = paging.require_list(document, "value", url)
    return items, document.get("@odata.nextLink")


def _list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value]


def _coverage(text: Any) -> tuple[str | None, str | None]:
    years = _YEARS.findall(str(text or ""))
    return (years[0], years[-1]) if years else (None, None)
