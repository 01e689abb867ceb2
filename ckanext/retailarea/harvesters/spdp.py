"""Harvester of source type `spdp` (SPDP 2.0, the Dutch standard for dynamic parking data).

Source URL: an SPDP index (``{"ParkingFacilities": [{uuid, name, staticDataUrl,
dynamicDataUrl, geoLocation, ...}]}``, e.g. ``https://npropendata.rdw.nl/parkingdata/v2/``).
Unlike the catalog harvesters this makes one dataset, not one per record: the parking
dataset of the source's ``retail_area``, with the facilities of the index that lie in the
area's outline (or those listed in ``facilities``) and their tariffs, read from each
facility's static data. Its occupancy table is filled by the poller (``live/poll.py``,
``ckan retailarea spdp poll``) every ``poll_minutes``. A facility whose static data
cannot be read keeps what it had and gets its error on the harvest job; one that left
the index is kept and marked, never deleted.
"""
from __future__ import annotations

import json
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from shapely.geometry import Point, shape

from ckanext.retailarea.harvesters import http, importer, solr, source_config
from ckanext.retailarea.harvesters.base import RetailAreaHarvester
from ckanext.retailarea.live import spdp, state
from ckanext.retailarea.live import tables as live_tables
from ckanext.retailarea.metadata.rules import group_extras

DEFAULT_POLL_MINUTES = 5
DEFAULT_USAGE_CONDITIONS = (
    "SPDP operators' terms: use the dynamic data for navigation and parking guidance only; "
    "keep it for at most one week.")


class SpdpHarvester(RetailAreaHarvester):
    EXTRA_KEYS = {"poll_minutes": int, "stale_minutes": int, "facilities": list,
                  "usage_conditions": str, "area_manager_id": str, "title": str}

    def info(self) -> dict[str, Any]:
        return {
            "name": "spdp",
            "title": "SPDP 2.0 parking (index, static and dynamic data)",
            "description": "The parking facilities of a retail area from an SPDP 2.0 index, "
                           "their occupancy polled every few minutes. Config: see "
                           "docs/harvesting.md.",
        }

    def validate_config(self, config: str | None) -> str | None:
        cfg = source_config.parse(config, self.EXTRA_KEYS)
        problems = settings_problems(cfg)
        if problems:
            raise source_config.ConfigError("; ".join(problems))
        return config

    def gather_stage(self, harvest_job: Any) -> list[str]:
        source = harvest_job.source
        try:
            cfg = self.config_of(source)
            problems = settings_problems(cfg)
            if problems:
                raise source_config.ConfigError("; ".join(problems))
            entries = select(_index(source.url), cfg)
        except (source_config.ConfigError, http.FetchError, spdp.SpdpError) as error:
            self._save_gather_error(f"SPDP: {error}", harvest_job)
            return []
        user = self._get_user_name()
        facilities, tariffs = [], []
        for entry in entries:
            row, rates, problem = _read_static(entry, cfg.extra.get("area_manager_id"))
            facilities.append(row)
            tariffs.append((entry.uuid, rates))
            if problem:
                self._save_gather_error(f"SPDP facility {entry.uuid} ({entry.name}): "
                                        f"{problem}", harvest_job)
        package_id = _save_dataset(source, cfg, user)
        resources = live_tables.ensure_tables(package_id, user)
        live_tables.upsert(resources["parking_facilities"], facilities, user)
        live_tables.recount(resources["parking_facilities"])
        readable = [(uuid, rates) for uuid, rates in tariffs if rates is not None]
        live_tables.replace(resources["parking_tariffs"], [u for u, _ in readable],
                            [r for _, rates in readable for r in rates], user)
        state.register(source.id, package_id, resources["parking_occupancy"], settings(cfg),
                       entries)
        return []


def settings(cfg: source_config.SourceConfig) -> dict[str, int]:
    interval = cfg.extra.get("poll_minutes", DEFAULT_POLL_MINUTES)
    return {"interval_min": interval, "stale_min": cfg.extra.get("stale_minutes", 3 * interval)}


def settings_problems(cfg: source_config.SourceConfig) -> list[str]:
    problems = []
    if not cfg.retail_area:
        problems.append("retail_area: required for an spdp source (the area of its "
                        "parking dataset)")
    for key in ("poll_minutes", "stale_minutes"):
        value = cfg.extra.get(key)
        if value is not None and (isinstance(value, bool) or not 1 <= value <= 1440):
            problems.append(f"{key}: must be a whole number of minutes from 1 to 1440")
    listed = cfg.extra.get("facilities") or []
    wrong = [u for u in listed if not isinstance(u, str) or not spdp.UUID.match(u)]
    if wrong:
        problems.append(f"facilities: not facility UUIDs: {wrong[:3]!r}")
    return problems


def _index(url: str) -> Any:
    page = http.fetch(url, accept="application/json")
    try:
        return json.loads(page.text())
    except ValueError as error:
        raise spdp.SpdpError(f"the index at {url} is not JSON ({error})") from None


def select(document: Any, cfg: source_config.SourceConfig) -> list[spdp.Entry]:
    """The index's facilities of this source: those listed in ``facilities``, else those
    whose ``geoLocation`` lies in the retail area's outline."""
    entries = spdp.index_entries(document)
    listed = {u.lower() for u in cfg.extra.get("facilities") or []}
    if listed:
        chosen = [e for e in entries if e.uuid in listed]
    else:
        outline = _outline(cfg.retail_area or "")
        chosen = [e for e in entries if e.lat is not None and e.lon is not None
                  and outline is not None
                  and outline.covers(Point(e.lon, e.lat))]
    if not chosen:
        raise spdp.SpdpError(f"none of the index's {len(entries)} facilities lies in "
                             f"{cfg.retail_area} or is listed in facilities")
    return chosen


def _outline(area: str) -> Any:
    group = model.Group.get(area)
    value = group_extras(group).get("geometry") if group is not None else None
    try:
        return shape(json.loads(value)) if value else None
    except (ValueError, TypeError, AttributeError):
        return None


def _read_static(entry: spdp.Entry, area_manager_id: str | None
                 ) -> tuple[dict[str, Any], list[dict[str, Any]] | None, str | None]:
    """The facility row, its tariff rows (None: unknown, keep the stored ones) and what
    went wrong reading its static data."""
    if entry.static_url is None:
        return spdp.facility_row(entry, None, area_manager_id), None, "no staticDataUrl"
    try:
        document = json.loads(http.fetch(entry.static_url, accept="application/json").text())
        return (spdp.facility_row(entry, document, area_manager_id),
                spdp.tariff_rows(entry.uuid, document), None)
    except ValueError as error:  # SpdpError and JSON errors
        problem = f"static data: {error}"
    except http.FetchError as error:
        problem = f"static data: {error}"
    return spdp.facility_row(entry, None, area_manager_id), None, problem


def _save_dataset(source: Any, cfg: source_config.SourceConfig, user: str) -> str:
    owner = importer.source_of(source).owner_org
    known = state.package_of(source.id)
    package = {
        "type": "parking", "title": cfg.extra.get("title") or source.title or "Parking",
        "notes": f"Parking facilities, tariffs and occupancy from the SPDP 2.0 index "
                 f"{source.url}, occupancy polled every "
                 f"{settings(cfg)['interval_min']} minutes.",
        "owner_org": owner, "groups": [{"name": cfg.retail_area}],
        "standard": "SPDP 2.0", "theme": ["TRAN"], "frequency": "CONT",
        "access_level": cfg.default_access_level,
        "permitted_purposes": list(cfg.default_purposes),
        "contains_personal_data": False,
        "usage_conditions": cfg.extra.get("usage_conditions", DEFAULT_USAGE_CONDITIONS),
        "retention_period": "P7D", "temporal_resolution": "PT5M",
        "area_manager_id": cfg.extra.get("area_manager_id"),
    }
    if known is not None:
        existing = tk.get_action("package_show")({"user": user, "ignore_auth": True},
                                                 {"id": known})
        package["resources"] = existing.get("resources") or []
    package_id, _ = importer.save(package, known, cfg.name_prefix, user)
    solr.commit_and_index([package_id])
    return package_id
