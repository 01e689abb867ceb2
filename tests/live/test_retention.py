"""Retention that enforces itself (issue 21 part 2): rows older than a dataset's
retention_period leave its occupancy and footfall tables (and the footfall day totals),
and the deletion is logged and noted on the table's report."""
from __future__ import annotations

import datetime as dt
import logging

from ckan.tests import helpers

from ckanext.retailarea.live import retention
from ckanext.retailarea.model import TableReport
from tests import factories
from tests.insights.conftest import AMSTERDAM, add_table, counts, dataset, world  # noqa: F401

NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)


def _rows(resource_id: str) -> list[dict]:
    return helpers.call_action("datastore_search", {"ignore_auth": True},
                               resource_id=resource_id, limit=1000)["records"]


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_rows_older_than_the_retention_period_are_deleted_and_logged(world):  # noqa: F811
    parking = dataset(world, type="parking", standard="SPDP 2.0", name="parkeren",
                      retention_period="P7D")
    occupancy = add_table(parking, "parking_occupancy", [
        {"uuid": "u", "observed_at": (NOW - dt.timedelta(days=days)).isoformat(),
         "vacant_spaces": 10, "capacity": 100} for days in (1, 6, 8, 30)])
    footfall = dataset(world, factories.Footfall, name="tellingen", retention_period="P1Y")
    old, recent = dt.date(2025, 11, 1), dt.date(2026, 11, 1)
    counts_id = add_table(footfall, "footfall_counts",
                          counts("L1", [old, recent], range(10, 12), lambda d, h: 5))
    kept = dataset(world, type="parking", standard="SPDP 2.0", name="zonder-termijn")
    untouched = add_table(kept, "parking_occupancy", [
        {"uuid": "u", "observed_at": (NOW - dt.timedelta(days=400)).isoformat()}])

    logger, lines = logging.getLogger("ckanext.retailarea.live.retention"), _Lines()
    logger.addHandler(lines)
    # alembic's fileConfig (the test database's migrations) disables existing loggers
    level, disabled = logger.level, logger.disabled
    logger.setLevel(logging.INFO)
    logger.disabled = False
    try:
        done = retention.apply(NOW)
    finally:
        logger.removeHandler(lines)
        logger.setLevel(level)
        logger.disabled = disabled

    assert sorted((e["dataset"], e["deleted"]) for e in done) == [
        ("parkeren", 2), ("tellingen", 2)]
    assert len(_rows(occupancy)) == 2 and len(_rows(untouched)) == 1
    assert {r["interval_start"][:10] for r in _rows(counts_id)} == {"2026-11-01"}
    series = helpers.call_action("retailarea_footfall_series", {"ignore_auth": True},
                                 id="tellingen", period="year")
    assert [(t["start"], t["visitors"]) for t in series["total"]] == [("2026-01-01", 10)]
    assert any(line.startswith("retention P7D of parkeren: 2 rows before")
               for line in lines.lines)
    assert TableReport.get(occupancy).message.startswith("Retention P7D: 2 rows")
    assert retention.apply(NOW) == []  # nothing more to delete


def test_a_retention_period_that_is_no_duration_deletes_nothing():
    assert retention.cutoff("P0D", NOW) is None
    assert retention.cutoff("een week", NOW) is None
    assert retention.cutoff("P1M", NOW) == dt.datetime(2026, 11, 7, 12, 0, tzinfo=dt.UTC)
