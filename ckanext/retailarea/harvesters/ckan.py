"""Source type `ckan`: another CKAN's Action API (data.overheid.nl, Nijmegen), through
our pipeline.

Pages: ``/api/3/action/package_search?q=&fq=&rows=&start=`` -> ``{"result": {"count": N,
"results": [...]}}``. Config keys ``q`` and ``fq`` narrow the search. A remote catalog
running this extension sends our fields (``access_level``, ``permitted_purposes``,
``theme`` codes, ...) at the root of each dataset; they are carried over as they are, and
validated like any other value. A ``private`` dataset (only listed to a signed-in user) is
non-public and never harvested. The licence is read from ``license_url``, and from
``license_id`` when the URL is one we do not know (data.birmingham.gov.uk's ``uk-ogl``
carries an old URL). A ``maintainer`` or ``author`` written as a JSON object (EnviDat:
``{"given_name": ..., "name": ..., "email": ...}``) gives the contact's name and email.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from ckanext.retailarea.dcat.profiles import mapping as dcat_mapping
from ckanext.retailarea.harvesters import paging
from ckanext.retailarea.harvesters.base import RetailAreaHarvester
from ckanext.retailarea.harvesters.record import Record
from ckanext.retailarea.harvesters.source_config import SourceConfig

PAGE_SIZE = 100
SEARCH_PATH = "/api/3/action/package_search"
OUR_FIELDS = ("type", "access_level", "access_reason", "contains_personal_data",
              "permitted_purposes", "legal_basis", "usage_conditions", "retention_period",
              "temporal_resolution", "conforms_to", "language")


class RetailAreaCKANHarvester(RetailAreaHarvester):
    EXTRA_KEYS = {"page_size": int, "q": str, "fq": str}

    def info(self) -> dict[str, Any]:
        return {
            "name": "ckan",
            "title": "CKAN (Action API)",
            "description": "Another CKAN catalog through its Action API, e.g. "
                           "data.overheid.nl. Config: see docs/harvesting.md.",
        }

    def pages(self, url: str, cfg: SourceConfig) -> Iterator[tuple[str, list[Any]]]:
        base = url.split("/api/", 1)[0].rstrip("/")
        size = int(cfg.extra.get("page_size", PAGE_SIZE))

        def url_at(offset: int) -> str:
            query = {"q": cfg.extra.get("q", ""), "fq": cfg.extra.get("fq", ""),
                     "rows": size, "start": offset, "sort": "id asc"}
            return f"{base}{SEARCH_PATH}?{urlencode(query)}"

        return paging.offset_pages(url_at, _results, _count)

    def quick_key(self, item: Any) -> tuple[str, str] | None:
        if isinstance(item, dict) and item.get("id"):
            return str(item["id"]), json.dumps(item, sort_keys=True)
        return None

    def record(self, item: Any, page_url: str, cfg: SourceConfig) -> Record:
        base = page_url.split("/api/", 1)[0]
        dataset_id = str(item["id"])
        fields = {k: item[k] for k in OUR_FIELDS if item.get(k) not in (None, "", [])}
        if item.get("license_id"):
            fields["license_id"] = str(item["license_id"])
        for name in dcat_mapping.TYPE_FIELDS.get(item.get("type", ""), {}):
            if item.get(name):
                fields[name] = item[name]
        organization = item.get("organization") or {}
        maintainer, email = _person(item.get("maintainer"), item.get("maintainer_email"))
        return Record(
            original_id=dataset_id,
            original_uri=f"{base}/dataset/{dataset_id}",
            page_url=f"{base}/dataset/{item.get('name') or dataset_id}",
            title=item.get("title") or item.get("name") or dataset_id,
            notes=item.get("notes") or "",
            tags=[t["name"] for t in item.get("tags") or []],
            licence=item.get("license_url") or item.get("license_id"),
            themes=_list(item.get("theme")),
            categories=[g.get("title") or g["name"] for g in item.get("groups") or []],
            frequency=item.get("frequency"),
            temporal_start=item.get("temporal_start"),
            temporal_end=item.get("temporal_end"),
            spatial=item.get("spatial"),
            publisher=organization.get("title"),
            maintainer=maintainer,
            maintainer_email=email,
            access=_access(item),
            modified=item.get("metadata_modified"),
            resources=[{k: r.get(k) for k in ("url", "name", "description", "format")}
                       for r in item.get("resources") or []],
            fields=fields,
        )


def _results(document: Any) -> list[Any]:
    result = document.get("result") if isinstance(document, dict) else None
    if not isinstance(result, dict) or not document.get("success"):
        raise paging.PageError("not a CKAN package_search response")
    return paging.require_list(result, "results", SEARCH_PATH)


def _count(document: Any) -> int | None:
    return document["result"].get("count")


def _list(value: Any) -> list[str]:
    if isinstance(value, str) and value.startswith("["):
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    if value in (None, ""):
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _person(name: Any, email: Any) -> tuple[str | None, str | None]:
    """Name and email of a contact given as text, or as a JSON object in the text."""
    text = str(name or "").strip()
    if not text.startswith("{"):
        return text or None, email
    try:
        person = json.loads(text)
    except ValueError:
        return text, email
    if not isinstance(person, dict):
        return text, email
    full = " ".join(str(person[k]).strip() for k in ("given_name", "name")
                    if str(person.get(k) or "").strip())
    return full or None, email or person.get("email")


def _access(item: dict[str, Any]) -> str | None:
    if item.get("private"):
        return "non-public"
    return item.get("access_rights") or item.get("accessLevel")
