"""Polling SPDP dynamic data into a parking dataset's occupancy table.

``ckan retailarea spdp poll`` (run every minute by the Procfile's ``parking`` line, or by
cron) polls each SPDP source whose ``poll_minutes`` have passed. A cycle fetches every
facility's dynamic document in parallel (network waits overlap; the database work stays in
this thread), writes the good observations with one ``datastore_upsert`` keyed on
``(uuid, observed_at)`` (an unchanged observation stays one row), and records each
facility's outcome: the error for a facility that failed, ``stale`` for one without a new
observation for ``stale_minutes``. A cycle holds a PostgreSQL advisory lock on its source:
a second poller (or a cycle started while a slow one runs) skips it, and a cycle longer
than the interval is flagged ``overran``.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import ckan.model as model
import sqlalchemy as sa

from ckanext.retailarea.harvesters import http
from ckanext.retailarea.live import spdp, state
from ckanext.retailarea.live import tables as live_tables
from ckanext.retailarea.model.live import SpdpSource

log = logging.getLogger(__name__)
WORKERS = 8
LOCK_SPACE = 0x5DD0  # first key of the advisory locks of SPDP sources


@dataclass
class Cycle:
    source_id: str
    skipped: bool = False
    seconds: float = 0.0
    rows: int = 0
    errors: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"source_id": self.source_id, "skipped": self.skipped,
                "seconds": round(self.seconds, 3), "rows": self.rows, "errors": self.errors}


def poll_due(user: str, moment: dt.datetime | None = None) -> list[Cycle]:
    """Poll every source that is due now."""
    moment = moment or state.now()
    return [poll(source, user) for source in state.due(moment)]


def poll(source: SpdpSource, user: str) -> Cycle:
    """One cycle of one source (skipped while another holds its lock)."""
    cycle = Cycle(source.source_id)
    engine = model.meta.engine
    if engine is None:
        raise RuntimeError("CKAN's database engine is not configured")
    with engine.connect() as lock_connection:
        key = sa.func.hashtext(source.source_id)
        if not lock_connection.execute(sa.select(sa.func.pg_try_advisory_lock(
                LOCK_SPACE, key))).scalar():
            cycle.skipped = True
            return cycle
        try:
            _run(source, user, cycle)
        finally:
            lock_connection.execute(sa.select(sa.func.pg_advisory_unlock(LOCK_SPACE, key)))
    return cycle


def _run(source: SpdpSource, user: str, cycle: Cycle) -> None:
    started, clock = state.now(), time.monotonic()
    rows_by_facility = [(f, f.dynamic_url) for f in state.facilities(source.source_id)
                        if f.in_index and f.dynamic_url]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        answers = list(pool.map(lambda pair: _fetch(pair[0].uuid, pair[1], started),
                                rows_by_facility))
    stale_after = dt.timedelta(minutes=source.stale_min)
    good = []
    for (facility, _url), (row, error) in zip(rows_by_facility, answers, strict=True):
        observed = dt.datetime.fromisoformat(row["observed_at"]) if row else None
        state.record_fetch(facility, started, stale_after, observed, error)
        if row:
            good.append(row)
        else:
            cycle.errors[facility.uuid] = error or ""
    live_tables.upsert(source.occupancy_resource_id, good, user)
    cycle.rows, cycle.seconds = len(good), time.monotonic() - clock
    state.record_cycle(source, started, cycle.seconds, cycle.rows)
    if source.overran:
        log.warning("SPDP poll of %s took %.1f s, longer than its %d-minute interval",
                    source.source_id, cycle.seconds, source.interval_min)


def _fetch(uuid: str, url: str, moment: dt.datetime) -> tuple[dict[str, Any] | None,
                                                              str | None]:
    """One facility's occupancy row, or the error to record (never raises)."""
    try:
        page = http.fetch(url, accept="application/json")
        return spdp.occupancy_row(uuid, json.loads(page.text()), moment), None
    except http.FetchError as error:
        return None, str(error)
    except spdp.SpdpError as error:
        return None, f"{url}: {error}"
    except ValueError as error:
        return None, f"{url}: not JSON ({error})"
