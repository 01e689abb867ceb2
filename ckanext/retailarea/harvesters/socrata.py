"""Harvester of source type `socrata` (Socrata discovery API plus views, e.g. RDW).

Source URL: the portal (``https://opendata.rdw.nl``). Gather pages through the discovery
API, ``/api/catalog/v1?domains=<domain>&only=datasets&limit=&offset=`` ->
``{"results": [{"resource": ..., "classification": ..., "metadata": ...,
"permalink": ...}], "resultSetSize": N}``; the fetch stage reads ``/api/views/{id}.json``
of each new or changed record for its licence and grants. Config key ``domain`` overrides
the portal's host name in the query.

The discovery API answers for several domains at once when asked without ``domains`` (or
when a domain federates others); only records of the source's own domain
(``metadata.domain``) are harvested.

Access: a view whose grants include a public one is public; a view with grants but none
public is non-public (it is only listed to signed-in users) and is never harvested.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

from ckanext.retailarea.harvesters import paging
from ckanext.retailarea.harvesters.base import RetailAreaHarvester
from ckanext.retailarea.harvesters.record import Record
from ckanext.retailarea.harvesters.source_config import SourceConfig

PAGE_SIZE = 100


class SocrataHarvester(RetailAreaHarvester):
    EXTRA_KEYS = {"page_size": int, "domain": str}

    def info(self) -> dict[str, Any]:
        return {
            "name": "socrata",
            "title": "Socrata discovery API",
            "description": "Socrata portal (discovery API and views), e.g. opendata.rdw.nl. "
                           "Config: see docs/harvesting.md.",
        }

    def pages(self, url: str, cfg: SourceConfig) -> Iterator[tuple[str, list[Any]]]:
        base = portal(url)
        domain = cfg.extra.get("domain") or urlsplit(base).hostname
        size = int(cfg.extra.get("page_size", PAGE_SIZE))

        def url_at(offset: int) -> str:
            query = {"domains": domain, "only": "datasets", "limit": size, "offset": offset}
            return f"{base}/api/catalog/v1?{urlencode(query)}"

        pages = paging.offset_pages(
            url_at,
            lambda doc: paging.require_list(doc, "results", base),
            lambda doc: doc.get("resultSetSize") if isinstance(doc, dict) else None,
        )
        for page_url, items in pages:
            yield page_url, [item for item in items if _of_domain(item, domain)]

    def record(self, item: Any, page_url: str, cfg: SourceConfig) -> Record:
        resource = item["resource"]
        view_id = str(resource["id"])
        classification = item.get("classification") or {}
        metadata = item.get("metadata") or {}
        base = portal(page_url)
        return Record(
            original_id=view_id,
            original_uri=f"{base}/api/views/{view_id}",
            page_url=item.get("permalink") or item.get("link") or f"{base}/d/{view_id}",
            title=resource.get("name") or view_id,
            notes=resource.get("description") or "",
            tags=[*classification.get("domain_tags", []), *classification.get("tags", [])],
            categories=[c for c in [classification.get("domain_category"),
                                    *classification.get("categories", [])] if c],
            licence=metadata.get("license"),
            publisher=resource.get("attribution"),
            maintainer_email=resource.get("contact_email"),
            modified=resource.get("metadata_updated_at") or resource.get("updatedAt"),
            resources=_resources(base, view_id),
        )

    def details(self, record: Record, cfg: SourceConfig) -> Record:
        view = paging.get_json(f"{record.original_uri}.json")
        if not isinstance(view, dict) or view.get("id") != record.original_id:
            raise ValueError(f"{record.original_uri}.json is not the view {record.original_id}")
        licence = view.get("license") or {}
        return dataclasses.replace(
            record,
            licence=view.get("licenseId") or licence.get("name") or record.licence,
            access=_access(view),
            categories=record.categories or [c for c in [view.get("category")] if c],
            tags=record.tags or list(view.get("tags") or []),
        )


def portal(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _of_domain(item: Any, domain: str | None) -> bool:
    metadata = item.get("metadata") if isinstance(item, dict) else None
    found = metadata.get("domain") if isinstance(metadata, dict) else None
    return not found or not domain or str(found).lower() == domain.lower()


def _access(view: dict[str, Any]) -> str | None:
    grants = view.get("grants")
    if grants is None:
        return None
    public = any("public" in (grant.get("flags") or []) for grant in grants)
    return "public" if public else "non-public"


def _resources(base: str, view_id: str) -> list[dict[str, Any]]:
    return [
        {"url": f"{base}/api/views/{view_id}/rows.csv?accessType=DOWNLOAD",
         "name": "Export (CSV)", "format": "CSV"},
        {"url": f"{base}/resource/{view_id}.json", "name": "SODA API (JSON)",
         "format": "JSON"},
    ]
