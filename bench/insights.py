"""Area insights in PostgreSQL versus paging the tables out and computing in Python.

The retail area of bench/footfall.py (12 sensors x N years of 15-minute counts; 5 years
are 2.1 million rows) gets a shop register of 10,000 units, 20 parking facilities with a
year of 15-minute occupancy (700,800 rows) and their tariffs, and 500 events, generated in
SQL straight into tables made by datastore_create (``_full_text`` left empty: nothing here
searches it). Timed, looking from 2026-01-15 (the window is 2025, compared with 2024):

  insights   retailarea_area_insights of the area (the action, in process), median and
             p95 of several runs
  python     datastore_search pages of 32,000 rows of every table, with the same figures
             computed in Python (one run); the main figures are checked to be equal

The datasets stay for the next run (``--fresh`` makes them again). Writes
bench/results/insights.json.
Usage: python bench/insights.py --config CONFIG [--runs 15] [--years 5] [--fresh]
"""
# ruff: noqa: S608 - SQL is built from our own text and quoted identifiers
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections import defaultdict
from typing import Any

import footfall as counts_bench
from benchlib import ckan_app, markdown_table, progress, stopwatch, write_result

AS_OF = "2026-01-15"
WINDOW = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
PAGE = 32_000
DATASETS = {  # name: (type, extra fields, table schemas)
    "retailarea-bench-shops": ("shop-register", {"classification_scheme": "locatus"},
                               ["shops"]),
    "retailarea-bench-parking": ("parking", {"standard": "SPDP 2.0"},
                                 ["parking_facilities", "parking_occupancy",
                                  "parking_tariffs"]),
    "retailarea-bench-events": ("events", {"language": ["nl"]}, ["events"]),
}
FILL = {
    "shops": """INSERT INTO {t} (shop_id, name, locatus_branch_code, floor_area_m2, is_vacant,
        valid_from, valid_to, _full_text)
      SELECT 'S' || n, 'Shop ' || n, (ARRAY['00','11','22','37','44','55'])[n % 6 + 1]
             || '.100.100', 50 + n % 400, n % 17 = 0, DATE '2020-01-01',
             CASE WHEN n % 50 = 0 THEN DATE '2025-06-01' END, ''::tsvector
      FROM generate_series(1, 10000) AS n""",
    "parking_facilities": """INSERT INTO {t} (uuid, name, capacity, _full_text)
      SELECT 'F' || f, 'Garage ' || f, 200 + 25 * f, ''::tsvector
      FROM generate_series(1, 20) AS f""",
    "parking_occupancy": """INSERT INTO {t} (uuid, observed_at, capacity, vacant_spaces,
        _full_text)
      SELECT 'F' || f, t, 200 + 25 * f, (200 + 25 * f) - least(200 + 25 * f, floor(
               (200 + 25 * f) * (0.15 + 0.75 * greatest(0, sin(pi() * (extract(hour FROM
               t AT TIME ZONE 'Europe/Amsterdam') - 7) / 14)))
               * (CASE WHEN extract(isodow FROM t) = 6 THEN 1.2 ELSE 1 END)
               * (0.9 + ((f * 7 + extract(doy FROM t)::int) % 20) / 100.0)))::int,
             ''::tsvector
      FROM generate_series(1, 20) AS f,
           generate_series(TIMESTAMPTZ '2025-01-01 00:00+01', TIMESTAMPTZ '2025-12-31 23:45+01',
                           INTERVAL '15 minutes') AS t""",
    "parking_tariffs": """INSERT INTO {t} (uuid, days, from_time, until_time, charge_eur,
        charge_period_min, _full_text)
      SELECT 'F' || f, 'mo,tu,we,th,fr,sa,su', TIME '00:00', TIME '00:00', 0.5 + f / 10.0,
             15, ''::tsvector FROM generate_series(1, 20) AS f""",
    "events": """INSERT INTO {t} (event_id, title, start, "end", event_status, _full_text)
      SELECT 'E' || n, 'Event ' || n,
             TIMESTAMPTZ '2025-01-01 11:00+01' + n * INTERVAL '19 hours',
             TIMESTAMPTZ '2025-01-01 17:00+01' + n * INTERVAL '19 hours',
             CASE WHEN n % 40 = 0 THEN 'cancelled' ELSE 'scheduled' END, ''::tsvector
      FROM generate_series(1, 500) AS n""",
}


def ensure_datasets(fresh: bool) -> dict[str, str]:
    """The shop, parking and events datasets of the bench area, loaded; table schema ->
    resource id."""
    import ckan.model as model
    import ckan.plugins.toolkit as tk

    site = {"ignore_auth": True, "user": tk.get_action("get_site_user")(
        {"ignore_auth": True}, {})["name"]}
    tables = {}
    for name, (kind, extra, schemas) in DATASETS.items():
        if model.Package.get(name) is None:
            tk.get_action("package_create")(dict(site), {
                "name": name, "type": kind, "title": f"Bench {kind} (synthetic)",
                "owner_org": counts_bench.ORG, "groups": [{"name": counts_bench.AREA}],
                "access_level": "non_public", "access_reason": "ECONOMISCHE_BELANGEN",
                "contains_personal_data": False, "theme": ["ECON"], "frequency": "DAILY",
                **extra, "resources": [{"name": schema, "format": "CSV",
                                        "url": f"https://example.org/bench/{schema}.csv"}
                                       for schema in schemas]})
        package = tk.get_action("package_show")(dict(site), {"id": name})
        for schema, resource in zip(schemas, package["resources"], strict=True):
            tables[schema] = resource["id"]
            if fresh or not _loaded(resource["id"]):
                fill(resource["id"], package["id"], schema)
    return tables


def _loaded(resource_id: str) -> bool:
    from ckanext.retailarea.model import TableReport

    report = TableReport.get(resource_id)
    return report is not None and report.status == "loaded"


def fill(resource_id: str, package_id: str, schema_name: str) -> None:
    import ckan.plugins as p
    import ckan.plugins.toolkit as tk
    import ckanext.datastore.backend.postgres as db
    import sqlalchemy as sa

    from ckanext.retailarea.model import TableReport
    from ckanext.retailarea.tables import datastore as table_datastore
    from ckanext.retailarea.tables import schemas
    from ckanext.retailarea.tables.interfaces import IRetailAreaTables

    try:
        tk.get_action("datastore_delete")({"ignore_auth": True},
                                          {"resource_id": resource_id, "force": True})
    except tk.ObjectNotFound:
        pass
    schema = schemas.load(schema_name)
    create = {"resource_id": resource_id, "force": True,
              "fields": table_datastore.datastore_fields(schema)}
    if schema.get("primaryKey"):
        create["primary_key"] = schema["primaryKey"]
    tk.get_action("datastore_create")({"ignore_auth": True}, create)
    with stopwatch() as filled, db.get_write_engine().begin() as connection:
        rows = connection.execute(sa.text(FILL[schema_name].format(
            t=f'"{resource_id}"'))).rowcount
    for plugin in p.PluginImplementations(IRetailAreaTables):
        plugin.retailarea_after_table_load(resource_id, schema_name)
    report = TableReport.get(resource_id) or TableReport(resource_id=resource_id)
    report.set(package_id=package_id, status="loaded", table_schema=schema_name,
               rows_checked=rows, rows_loaded=rows, message="bench/insights.py")
    progress(f"  {schema_name}: {rows:,} rows in {filled['seconds']:.1f} s")


def time_insights(runs: int) -> dict[str, Any]:
    import ckan.plugins.toolkit as tk

    action = tk.get_action("retailarea_area_insights")
    params = {"area": counts_bench.AREA, "as_of": AS_OF}
    answer = action({"user": counts_bench.USER}, dict(params))  # warm-up
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        action({"user": counts_bench.USER}, dict(params))
        seconds.append(time.perf_counter() - started)
    seconds.sort()
    p95 = seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))]
    return {"runs": runs, "median_ms": round(statistics.median(seconds) * 1000, 1),
            "p95_ms": round(p95 * 1000, 1), "answer": answer}


def pages(resource_id: str, fields: str):
    """Every row of a DataStore table, through datastore_search as a client pages it."""
    import ckan.plugins.toolkit as tk

    search = tk.get_action("datastore_search")
    offset = 0
    while True:
        page = search({"user": counts_bench.USER}, {
            "resource_id": resource_id, "limit": PAGE, "offset": offset, "sort": "_id",
            "fields": fields, "include_total": False})["records"]
        yield from page
        if len(page) < PAGE:
            return
        offset += PAGE


def _local(text: str) -> dt.datetime:
    return counts_bench._instant(text).astimezone(counts_bench.AMSTERDAM)


def python_footfall(resource_id: str) -> dict[str, Any]:
    months: dict[str, int] = defaultdict(int)
    hours: dict[int, int] = defaultdict(int)
    for record in pages(resource_id, "interval_start,count"):
        local = _local(record["interval_start"])
        if local.year in (2024, 2025):
            months[f"{local.year}-{local.month:02d}-01"] += record["count"]
        if local.year == 2025:
            hours[local.hour] += record["count"]
    current = sum(v for k, v in months.items() if k.startswith("2025"))
    return {"visitors_12m": current, "busiest_hour": max(hours, key=hours.get),
            "months": {k: v for k, v in months.items() if k.startswith("2025")}}


def python_shops(resource_id: str) -> dict[str, Any]:
    as_of = dt.date.fromisoformat(AS_OF).isoformat()
    units = vacant = 0
    for r in pages(resource_id, "locatus_branch_code,is_vacant,valid_from,valid_to"):
        if (r["valid_from"] or "")[:10] <= as_of and (not r["valid_to"]
                                                     or r["valid_to"][:10] > as_of):
            units += 1
            vacant += bool(r["is_vacant"] or (r["locatus_branch_code"] or "").startswith("00"))
    return {"units": units, "vacant": vacant}


def python_occupancy(resource_id: str) -> dict[tuple[int, int], float]:
    """Peak of the combined hourly occupancy per weekday and hour."""
    cells: dict[dt.datetime, list[int]] = defaultdict(lambda: [0, 0])
    for r in pages(resource_id, "observed_at,capacity,vacant_spaces"):
        hour = counts_bench._instant(r["observed_at"]).astimezone(dt.UTC).replace(
            minute=0, second=0)  # a UTC hour: the repeated 02:00 of October is two cells
        cells[hour][0] += max(0, min(r["capacity"], r["capacity"] - r["vacant_spaces"]))
        cells[hour][1] += r["capacity"]
    peaks: dict[tuple[int, int], float] = {}
    for hour, (occupied, capacity) in cells.items():
        local = hour.astimezone(counts_bench.AMSTERDAM)
        key = (local.isoweekday(), local.hour)
        peaks[key] = max(peaks.get(key, 0.0), round(100.0 * occupied / capacity, 1))
    return peaks


def python_figures(counts_id: str, tables: dict[str, str]) -> dict[str, Any]:
    with stopwatch() as timing:
        found = {"footfall": python_footfall(counts_id),
                 "shops": python_shops(tables["shops"]),
                 "peaks": python_occupancy(tables["parking_occupancy"]),
                 "events": sum(1 for _ in pages(tables["events"], "event_id"))}
    return {**found, "seconds": round(timing["seconds"], 1)}


def check(answer: dict[str, Any], python: dict[str, Any]) -> None:
    [footfall] = answer["footfall"]
    assert footfall["visitors_12m"] == python["footfall"]["visitors_12m"], "visitors differ"
    assert footfall["busiest_hour"] == python["footfall"]["busiest_hour"], "hours differ"
    assert {m["month"]: m["visitors"] for m in footfall["months"]} == \
        python["footfall"]["months"], "months differ"
    [shops] = answer["shops"]
    assert (shops["units"], shops["vacant"]) == (python["shops"]["units"],
                                                 python["shops"]["vacant"]), "shops differ"
    [parking] = answer["parking"]
    peaks = {(o["weekday"], o["hour"]): o["peak_pct"] for o in parking["occupancy"]}
    assert peaks == python["peaks"], "occupancy differs"


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--years", type=int, default=5, help="years of counts, up to 2025")
    parser.add_argument("--fresh", action="store_true", help="generate and load again")
    args = parser.parse_args(argv)
    app = ckan_app(args.config)
    with app.test_request_context():
        return run(args)


def run(args: argparse.Namespace) -> dict[str, Any]:
    resource = counts_bench.ensure_catalog()
    first = counts_bench.first_day(args.years)
    rows = counts_bench.loaded_rows(resource["id"], first)
    if args.fresh or rows is None:
        progress(f"loading {args.years} years of footfall counts (bench/footfall.py)")
        rows = counts_bench.load(resource["id"], resource["package_id"], first)["rows"]
    tables = ensure_datasets(args.fresh)
    progress(f"timing the insights ({args.runs} runs)")
    timing = time_insights(args.runs)
    progress("paging the tables out with datastore_search (one run)")
    python = python_figures(resource["id"], tables)
    check(timing["answer"], python)
    result = {
        "years": args.years, "footfall_rows": rows, "as_of": AS_OF,
        "insights": {k: v for k, v in timing.items() if k != "answer"},
        "python_datastore_search": {"seconds": python["seconds"]},
        "speedup": round(python["seconds"] * 1000 / timing["median_ms"]),
        "targets": {"median_ms": 300},
    }
    write_result("insights", result)
    print(report(result))
    return result


def report(result: dict[str, Any]) -> str:
    insights = result["insights"]
    rows = [["area insights (action)", insights["median_ms"], insights["p95_ms"], "<= 300 ms"],
            ["datastore_search pages + Python", result["python_datastore_search"]["seconds"]
             * 1000, "", "one run"]]
    return (markdown_table(["what", "median ms", "p95 ms", "target"], rows)
            + f"\n\n{result['footfall_rows']:,} footfall rows, 10,000 shops, 20 facilities "
            f"with a year of 15-minute occupancy, 500 events; PostgreSQL is "
            f"{result['speedup']}x faster than paging the tables out.")


if __name__ == "__main__":
    main()
