"""The poller's state in ``retailarea_spdp_source`` and ``retailarea_spdp_facility``:
which sources are due, the outcome of each facility's last fetch, stale marks."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import ckan.model as model

from ckanext.retailarea.live.spdp import Entry
from ckanext.retailarea.model.live import SpdpFacility, SpdpSource


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def package_of(source_id: str) -> str | None:
    """The parking dataset an SPDP source made, if it is still there."""
    row = model.Session.get(SpdpSource, source_id)
    if row is None:
        return None
    package = model.Package.get(row.package_id)
    return package.id if package is not None and package.state == "active" else None


def register(source_id: str, package_id: str, occupancy_id: str, settings: dict[str, int],
             entries: Iterable[Entry]) -> None:
    """Record a harvest's outcome: the source's dataset and interval, its facilities with
    their dynamic URLs (or why they cannot be polled); facilities that left the index stay,
    marked ``in_index = false``."""
    source = model.Session.get(SpdpSource, source_id) or SpdpSource(source_id=source_id,
                                                                     overran=False)
    source.package_id, source.occupancy_resource_id = package_id, occupancy_id
    source.interval_min, source.stale_min = settings["interval_min"], settings["stale_min"]
    model.Session.add(source)
    seen = set()
    for entry in entries:
        seen.add(entry.uuid)
        row = model.Session.get(SpdpFacility, (source_id, entry.uuid)) or SpdpFacility(
            source_id=source_id, uuid=entry.uuid, failures=0, stale=False)
        row.name, row.dynamic_url, row.in_index = entry.name, entry.dynamic_url, True
        if entry.problem:
            row.last_error = entry.problem
        model.Session.add(row)
    for row in facilities(source_id):
        if row.uuid not in seen:
            row.in_index = False
    model.Session.commit()


def facilities(source_id: str) -> list[SpdpFacility]:
    return list(model.Session.query(SpdpFacility).filter_by(source_id=source_id)
                .order_by(SpdpFacility.uuid))


def due(moment: dt.datetime) -> list[SpdpSource]:
    """Sources whose interval has passed since their last poll began (or never polled)."""
    return [s for s in model.Session.query(SpdpSource).order_by(SpdpSource.source_id)
            if s.last_started is None
            or moment - s.last_started >= dt.timedelta(minutes=s.interval_min)]


def record_fetch(row: SpdpFacility, moment: dt.datetime, stale_after: dt.timedelta,
                 observed: dt.datetime | None = None, error: str | None = None) -> None:
    """One facility's fetch: success (with its observation time) or error; stale when no
    observation newer than ``stale_after`` came in."""
    row.last_attempt = moment
    if error is None:
        row.last_success, row.last_observed = moment, observed
        row.last_error, row.failures = None, 0
    else:
        row.last_error, row.failures = error[:500], (row.failures or 0) + 1
    row.stale = row.last_observed is None or moment - row.last_observed > stale_after
    model.Session.add(row)


def record_cycle(source: SpdpSource, started: dt.datetime, seconds: float,
                 rows: int) -> None:
    source.last_started, source.last_finished = started, started + dt.timedelta(
        seconds=seconds)
    source.last_seconds, source.last_rows = round(seconds, 3), rows
    source.overran = seconds > source.interval_min * 60
    model.Session.add(source)
    model.Session.commit()


def by_package(package_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """``{facility uuid: {stale, last_observed, last_error}}`` of the SPDP sources that
    feed these datasets (the app API's staleness)."""
    ids = list(package_ids)
    if not ids:
        return {}
    sources = [s.source_id for s in
               model.Session.query(SpdpSource).filter(SpdpSource.package_id.in_(ids))]
    rows = model.Session.query(SpdpFacility).filter(SpdpFacility.source_id.in_(sources)) \
        if sources else []
    return {r.uuid: {"stale": r.stale, "last_observed": r.last_observed,
                     "last_error": r.last_error} for r in rows}
