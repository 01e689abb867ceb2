"""Footfall series in PostgreSQL versus paging the rows out and summing in Python.

Same data, same run: 12 sensors x N years (``--years``, ending 2025; 5 years are about 2.1
million rows) of 15-minute counts, generated deterministically and loaded with PostgreSQL
COPY (through a staging table) into a table made by datastore_create, then prepared exactly
as the table pipeline prepares a loaded counts table (index, day totals, triggers;
footfall/store.py).
Timed:

  monthly, daily   retailarea_footfall_series of the retail area (the action, in process),
                   median and p95 of several runs
  from the table   the same monthly series with the stored day totals set aside, i.e. the
                   fallback that aggregates the counts table itself
  python           datastore_search pages of 32,000 rows, summed per local month and day
                   in Python (one run)

The bench dataset is private (non_public) and stays for the next run (``--fresh`` makes it
again, ``--drop`` removes it at the end). Writes bench/results/footfall.json.
Usage: python bench/footfall.py --config CONFIG [--runs 15] [--fresh] [--drop]
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import time
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from benchlib import ckan_app, markdown_table, progress, stopwatch, write_result

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
USER, ORG, AREA, DATASET = ("retailarea-bench", "retailarea-bench", "retailarea-bench-area",
                            "retailarea-bench-footfall")
SENSORS = [f"BENCH-{n:02d}" for n in range(1, 13)]
LAST = dt.date(2025, 12, 31)
COLUMNS = ["location_id", "interval_start", "interval", "direction", "mode", "count",
           "imputed"]
# Share of a sensor's peak per local hour, and per weekday (Monday first).
HOURS = (1, 1, 0, 0, 0, 1, 2, 6, 15, 33, 56, 76, 90, 98, 100, 95, 82, 56, 30, 19, 14, 10, 6, 3)
WEEKDAYS = (70, 80, 88, 92, 105, 150, 45)
PAGE = 32_000


def first_day(years: int) -> dt.date:
    return dt.date(LAST.year - years + 1, 1, 1)


def instants(first: dt.date) -> list[tuple[str, int, int]]:
    """Every 15-minute instant from ``first`` to LAST: (UTC ISO text, local hour,
    weekday). Stepping in UTC gives the 23- and 25-hour days."""
    start = dt.datetime.combine(first, dt.time(), AMSTERDAM).astimezone(dt.UTC)
    stop = dt.datetime.combine(LAST + dt.timedelta(days=1), dt.time(),
                               AMSTERDAM).astimezone(dt.UTC)
    found = []
    while start < stop:
        local = start.astimezone(AMSTERDAM)
        found.append((start.isoformat(), local.hour, local.weekday()))
        start += dt.timedelta(minutes=15)
    return found


def sensor_csv(number: int, moments: list[tuple[str, int, int]]) -> tuple[str, int]:
    """One sensor's rows as CSV text: counts from the tables above with a deterministic
    wobble; every 997th count imputed, every 10,007th interval missing."""
    out, rows = io.StringIO(), 0
    peak = 60 + 17 * number
    for index, (stamp, hour, weekday) in enumerate(moments):
        if (index + number) % 10_007 == 0:
            continue
        wobble = 85 + (index * 2_654_435_761 + number * 97) % 31
        count = peak * HOURS[hour] * WEEKDAYS[weekday] * wobble // 1_000_000
        imputed = "true" if (index + 3 * number) % 997 == 0 else "false"
        out.write(f"{SENSORS[number]},{stamp},PT15M,both,pedestrian,{count},{imputed}\n")
        rows += 1
    return out.getvalue(), rows


def ensure_catalog() -> dict[str, Any]:
    """The bench user (sysadmin), organization, retail area and private dataset with one
    counts resource; returns the resource dict."""
    import ckan.model as model
    import ckan.plugins.toolkit as tk

    site = {"ignore_auth": True, "user": tk.get_action("get_site_user")(
        {"ignore_auth": True}, {})["name"]}
    if model.User.get(USER) is None:
        tk.get_action("user_create")(dict(site), {
            "name": USER, "email": "bench@retailarea.invalid", "password": "bench-" * 4})
    user = model.User.get(USER)
    user.sysadmin = True
    model.Session.commit()
    if model.Group.get(ORG) is None:
        tk.get_action("organization_create")(dict(site), {"name": ORG, "title": "Bench"})
    if model.Group.get(AREA) is None:
        tk.get_action("group_create")(dict(site), {
            "name": AREA, "title": "Bench area", "type": "retail-area",
            "municipality_code": "GM0513", "area_kind": "city_centre"})
    if model.Package.get(DATASET) is None:
        tk.get_action("package_create")(dict(site), {
            "name": DATASET, "type": "footfall", "title": "Bench footfall (synthetic)",
            "owner_org": ORG, "groups": [{"name": AREA}], "access_level": "non_public",
            "access_reason": "ECONOMISCHE_BELANGEN", "contains_personal_data": False,
            "theme": ["ECON"], "counting_method": "thermal", "frequency": "DAILY",
            "temporal_resolution": "PT15M", "resources": [{
                "name": "Counts", "url": "https://example.org/bench/counts.csv",
                "format": "CSV"}]})
    return tk.get_action("package_show")(dict(site), {"id": DATASET})["resources"][0]


# COPY goes to a staging table; the insert into the DataStore table computes _full_text
# set-based, exactly as the DataStore's row trigger would (which then leaves it alone),
# since that trigger, row by row, loads only a few thousand rows a second.
COLUMN_LIST = ", ".join(f'"{column}"' for column in COLUMNS)
STAGING = ('CREATE TEMP TABLE bench_counts (location_id text, interval_start timestamptz, '
           '"interval" text, direction text, mode text, "count" int, imputed bool) '
           "ON COMMIT DELETE ROWS")
COPY = f"COPY bench_counts ({COLUMN_LIST}) FROM STDIN WITH (FORMAT csv)"
FULL_TEXT = ("to_tsvector(concat_ws(' ', location_id, to_json(interval_start) #>> '{}', "
             '"interval", direction, mode, "count"::text, imputed::text))')


def insert_sql(resource_id: str) -> str:
    return (f'INSERT INTO "{resource_id}" ({COLUMN_LIST}, _full_text) '  # noqa: S608
            f"SELECT {COLUMN_LIST}, {FULL_TEXT} FROM bench_counts")


def set_indexes_aside(cursor: Any, resource_id: str) -> list[str]:
    """Drop the DataStore's full-text indexes (one per text column and _full_text) for the
    load and return their definitions: building them once afterwards is far quicker than
    updating them row by row, and leaves the very same indexes."""
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = to_regclass(%s) AND NOT x.indisunique AND NOT x.indisprimary",
        (f'"{resource_id}"',))
    found = cursor.fetchall()
    for name, _ in found:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in found]


def same_full_text(resource_id: str, sample: int = 1000) -> bool:
    """Whether _full_text of the first rows is what the DataStore's trigger computes."""
    import ckanext.datastore.backend.postgres as db
    import sqlalchemy as sa

    trigger = ("(SELECT to_tsvector(string_agg(value, ' ')) FROM "
               "json_each_text(row_to_json(t.*)) WHERE key NOT LIKE '\\_%')")
    with db.get_read_engine().connect() as connection:
        return bool(connection.execute(sa.text(
            f'SELECT bool_and(_full_text = {trigger}) FROM (SELECT * FROM "{resource_id}" '  # noqa: S608
            "ORDER BY _id LIMIT :sample) AS t"), {"sample": sample}).scalar())


def loaded_rows(resource_id: str, first: dt.date) -> int | None:
    """Rows of a complete earlier load of the counts table from ``first``, or None."""
    from ckanext.retailarea.footfall import query
    from ckanext.retailarea.model import TableReport

    report = TableReport.get(resource_id)
    if report is None or report.status != "loaded" \
            or not (report.message or "").endswith(str(first)):
        return None
    with query.reading() as connection:
        present = query.classify(connection, [resource_id]).present
    return report.rows_loaded if present else None


def load(resource_id: str, package_id: str, first: dt.date) -> dict[str, Any]:
    """Generate the rows and COPY them into a new DataStore table, then prepare it as the
    table pipeline does after a load."""
    import ckan.plugins.toolkit as tk
    import ckanext.datastore.backend.postgres as db

    from ckanext.retailarea.footfall import store
    from ckanext.retailarea.model import TableReport
    from ckanext.retailarea.tables import datastore as table_datastore
    from ckanext.retailarea.tables import schemas

    site = {"ignore_auth": True}
    try:
        tk.get_action("datastore_delete")(dict(site), {"resource_id": resource_id,
                                                       "force": True})
    except tk.ObjectNotFound:
        pass
    schema = schemas.load(store.COUNTS)
    tk.get_action("datastore_create")(dict(site), {
        "resource_id": resource_id, "force": True, "primary_key": schema["primaryKey"],
        "fields": table_datastore.datastore_fields(schema)})
    moments = instants(first)
    total, started = 0, time.perf_counter()
    connection = db.get_write_engine().raw_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(STAGING)
            indexes = set_indexes_aside(cursor, resource_id)
        for number in range(len(SENSORS)):
            text, rows = sensor_csv(number, moments)
            with connection.cursor() as cursor:
                cursor.copy_expert(COPY, io.StringIO(text))
                cursor.execute(insert_sql(resource_id))
            connection.commit()
            total += rows
            seconds = time.perf_counter() - started
            progress(f"  loaded {total:,} rows ({total / seconds:,.0f} rows/s)")
        copy_seconds = time.perf_counter() - started
        with stopwatch() as indexing, connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for definition in indexes:
                cursor.execute(definition)
            connection.commit()
        progress(f"  the DataStore's {len(indexes)} full-text indexes made again in "
                 f"{indexing['seconds']:.0f} s")
    finally:
        connection.close()
    assert same_full_text(resource_id), "_full_text differs from the DataStore's trigger"
    with stopwatch() as prepared:
        store.prepare(resource_id, store.COUNTS)
    report = TableReport.get(resource_id) or TableReport(resource_id=resource_id)
    report.set(package_id=package_id, status="loaded", table_schema=store.COUNTS,
               rows_checked=total, rows_loaded=total,
               message=f"bench/footfall.py from {first}")
    progress(f"  prepared (index, day totals, triggers) in {prepared['seconds']:.1f} s")
    return {"rows": total, "copy_seconds": round(copy_seconds, 1),
            "copy_rows_per_second": round(total / copy_seconds),
            "full_text_index_seconds": round(indexing["seconds"], 1),
            "prepare_seconds": round(prepared["seconds"], 1)}


def time_series(period: str, runs: int, **params: Any) -> dict[str, Any]:
    import ckan.plugins.toolkit as tk

    action = tk.get_action("retailarea_footfall_series")
    answer = action({"user": USER}, {"period": period, **params})  # warm-up
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        action({"user": USER}, {"period": period, **params})
        seconds.append(time.perf_counter() - started)
    seconds.sort()
    p95 = seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))]
    return {"runs": runs, "median_ms": round(statistics.median(seconds) * 1000, 1),
            "p95_ms": round(p95 * 1000, 1), "answer": answer}


def from_the_table(resource_id: str, runs: int) -> dict[str, Any]:
    """The monthly series with the day totals set aside (then restored)."""
    import ckanext.datastore.backend.postgres as db
    import sqlalchemy as sa

    from ckanext.retailarea.footfall import sql, store

    with db.get_write_engine().begin() as connection:
        connection.execute(sa.text(
            f"DELETE FROM {sql.SUMMARIES} WHERE resource_id = :id"),  # noqa: S608
            {"id": resource_id})
    try:
        return time_series("month", runs, area=AREA)
    finally:
        store.prepare(resource_id, store.COUNTS)


def python_sums(resource_id: str) -> dict[str, Any]:
    """Page every row out with datastore_search and sum per local month and day."""
    import ckan.plugins.toolkit as tk

    search = tk.get_action("datastore_search")
    months: dict[str, int] = defaultdict(int)
    days: dict[str, int] = defaultdict(int)
    rows, offset, started = 0, 0, time.perf_counter()
    while True:
        page = search({"user": USER}, {"resource_id": resource_id, "limit": PAGE,
                                       "offset": offset, "sort": "_id",
                                       "include_total": False})["records"]
        for record in page:
            local = _instant(record["interval_start"]).astimezone(AMSTERDAM)
            months[f"{local.year}-{local.month:02d}-01"] += record["count"]
            days[local.date().isoformat()] += record["count"]
        rows += len(page)
        offset += PAGE
        if offset // PAGE % 10 == 0 or len(page) < PAGE:
            elapsed = time.perf_counter() - started
            progress(f"  python: {rows:,} rows ({rows / elapsed:,.0f} rows/s)")
        if len(page) < PAGE:
            break
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": round(seconds, 1), "rows_per_second": round(rows / seconds),
            "months": dict(months), "days": dict(days)}


def _instant(text: str) -> dt.datetime:
    text = text.replace(" ", "T")
    if len(text) > 19 and text[-3] in "+-":  # "+00" as PostgreSQL writes it
        text += ":00"
    return dt.datetime.fromisoformat(text)


def totals(answer: dict[str, Any]) -> dict[str, int]:
    return {e["start"]: e["visitors"] for e in answer["total"] if e["visitors"] is not None}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--years", type=int, default=5, help="years of counts, up to 2025")
    parser.add_argument("--fresh", action="store_true", help="generate and load again")
    parser.add_argument("--drop", action="store_true", help="remove the bench dataset after")
    args = parser.parse_args(argv)
    app = ckan_app(args.config)
    with app.test_request_context():
        return run(args)


def run(args: argparse.Namespace) -> dict[str, Any]:
    import ckan.plugins.toolkit as tk

    resource = ensure_catalog()
    first = first_day(args.years)
    loading: dict[str, Any] = {"reused": True, "rows": loaded_rows(resource["id"], first)}
    if args.fresh or loading["rows"] is None:
        progress(f"generating and loading {len(SENSORS)} sensors x {args.years} years of "
                 "15-minute counts")
        loading = {"reused": False, **load(resource["id"], resource["package_id"], first)}
    progress(f"timing the series ({args.runs} runs each)")
    monthly = time_series("month", args.runs, area=AREA)
    daily = time_series("day", max(args.runs // 2, 5), area=AREA, start=str(first),
                        end=str(LAST))
    table = from_the_table(resource["id"], max(args.runs // 5, 3))
    progress("paging the rows out with datastore_search (one run)")
    python = python_sums(resource["id"])
    assert totals(monthly["answer"]) == python["months"], "monthly sums differ"
    assert totals(daily["answer"]) == python["days"], "daily sums differ"
    assert totals(table["answer"]) == python["months"], "table sums differ"
    result = {
        "years": args.years, "first_day": str(first), "load": loading,
        "monthly_area_series": _strip(monthly),
        "daily_area_series": _strip(daily),
        "monthly_from_the_table": _strip(table),
        "python_datastore_search": {k: python[k] for k in ("rows", "seconds",
                                                           "rows_per_second")},
        "speedup_monthly": round(python["seconds"] * 1000 / monthly["median_ms"]),
        "speedup_daily": round(python["seconds"] * 1000 / daily["median_ms"]),
        "targets": {"monthly_ms": 200, "daily_ms": 500, "speedup": 10},
    }
    write_result("footfall", result)
    print(report(result))
    if args.drop:
        tk.get_action("dataset_purge")({"ignore_auth": True}, {"id": DATASET})
    return result


def _strip(timing: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in timing.items() if k != "answer"}


def report(result: dict[str, Any]) -> str:
    python = result["python_datastore_search"]
    rows = [
        ["monthly area series (action)", result["monthly_area_series"]["median_ms"],
         result["monthly_area_series"]["p95_ms"], "<= 200 ms"],
        ["daily area series (action)", result["daily_area_series"]["median_ms"],
         result["daily_area_series"]["p95_ms"], "<= 500 ms"],
        ["monthly, day totals set aside", result["monthly_from_the_table"]["median_ms"],
         result["monthly_from_the_table"]["p95_ms"], ""],
        [f"datastore_search pages + Python ({python['rows_per_second']:,} rows/s)",
         python["seconds"] * 1000, "", "one run"],
    ]
    table = markdown_table(["what", "median ms", "p95 ms", "target"], rows)
    return (f"{table}\n\n{result['load']['rows']:,} rows; PostgreSQL is "
            f"{result['speedup_monthly']}x (monthly) and {result['speedup_daily']}x (daily) "
            "faster than paging the rows out and summing in Python (target >= 10x).")


if __name__ == "__main__":
    main()
