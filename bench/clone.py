"""Grow the bench catalog past its templates by copying them, then index the copies with
CKAN's own indexer.

``package_create`` runs at ~6 datasets/s on the 2-core bench machine, so 10,000 datasets
would take half an hour and 100,000 most of a day. The first ``templates`` datasets
are therefore created through the real action (validation, kept DCAT, activity, index);
dataset ``n`` beyond them is template ``((n - 1) % templates) + 1`` with its number ``n``:
new ids, name ``bench-NNNNN``, the number in title, notes and resource URLs. Its rows in
``package``, ``package_extra``, ``package_tag``, ``member`` (organization and retail area),
``resource`` and the kept DCAT fragments are the template's with those values swapped;
activities are not copied. The Solr documents are then written by CKAN's own
``ckan.lib.search.rebuild`` (so permission labels and our index fields are exactly what
CKAN writes), in ``workers`` processes.
"""
from __future__ import annotations

import json
import multiprocessing
import time
import uuid
from typing import Any

from benchlib import progress
from catalog import name_of
from psycopg2.extras import Json

# The tables holding a dataset, with the column that names the dataset (CKAN 2.12 keeps
# extras in package.extras and has no package_extra: tables missing are skipped).
TABLES = [("package", "id"), ("package_extra", "package_id"), ("package_tag", "package_id"),
          ("member", "table_id"), ("resource", "package_id"),
          ("retailarea_dataset_rdf", "package_id")]
# Rows whose ids nothing else refers to (resource ids are swapped like the dataset's).
OWN_IDS = {"package_extra", "package_tag", "member"}
NAMESPACE = uuid.UUID("5b1c2a3e-0d7e-4f43-9a55-6f1b1e0c0b0e")
BATCH = 500


def template_of(number: int, templates: int) -> int:
    return (number - 1) % templates + 1


def new_id(*parts: Any) -> str:
    """A deterministic id, so a copy made twice is the same copy."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def copy_datasets(numbers: list[int], templates: int) -> list[str]:
    """Insert the copies ``numbers`` (one transaction per batch); returns their ids."""
    import ckan.model as model

    ids: list[str] = []
    started = time.perf_counter()
    for first in range(0, len(numbers), BATCH):
        batch = numbers[first:first + BATCH]
        ids += _copy_batch(model.Session.connection().connection, batch, templates)
        model.Session.commit()
        done = first + len(batch)
        progress(f"  catalog: {done}/{len(numbers)} datasets copied "
                 f"({done / (time.perf_counter() - started):.0f}/s)")
    return ids


def _copy_batch(conn: Any, numbers: list[int], templates: int) -> list[str]:
    rows = _template_rows(conn, sorted({name_of(template_of(n, templates)) for n in numbers}))
    ids = []
    with conn.cursor() as cur:
        for table, _key in TABLES:
            columns = _columns(cur, table)
            values = []
            for number in numbers:
                template = rows[name_of(template_of(number, templates))]
                swaps = _swaps(template, number)
                values += [_copied(row, columns, table, swaps, number)
                           for row in template.get(table, [])]
            _insert(cur, table, columns, values)
        ids = [new_id(name_of(n)) for n in numbers]
    return ids


def _template_rows(conn: Any, names: list[str]) -> dict[str, dict[str, list[dict]]]:
    """Every row of the named datasets, per dataset name and table."""
    from psycopg2.extras import RealDictCursor

    with conn.cursor(cursor_factory=RealDictCursor) as cur:
        cur.execute("SELECT * FROM package WHERE name = ANY(%s)", (names,))
        packages = {row["id"]: row for row in cur.fetchall()}
        found = {row["name"]: {"package": [row]} for row in packages.values()}
        for table, key in TABLES[1:]:
            cur.execute("SELECT to_regclass(%s)", (table,))
            if cur.fetchone()["to_regclass"] is None:
                continue
            cur.execute(f"SELECT * FROM {table} WHERE {key} = ANY(%s)",  # noqa: S608
                        (list(packages),))
            for row in cur.fetchall():
                found[packages[row[key]]["name"]].setdefault(table, []).append(row)
    missing = set(names) - set(found)
    if missing:
        raise SystemExit(f"templates missing from the database: {sorted(missing)[:5]}")
    return found


def _swaps(template: dict[str, list[dict]], number: int) -> list[tuple[str, str]]:
    """Template values replaced by the copy's, longest first."""
    package = template["package"][0]
    old = int(package["name"].rsplit("-", 1)[1])
    copy_name = name_of(number)
    swaps = [(package["id"], new_id(copy_name)), (package["name"], copy_name),
             (package["title"], package["title"].rsplit(" ", 1)[0] + f" {number}"),
             (f"dataset {old} about", f"dataset {number} about"),
             (f"data.example.org/{old}/", f"data.example.org/{number}/")]
    swaps += [(row["id"], new_id(copy_name, "resource", row["id"]))
              for row in template.get("resource", [])]
    return sorted(swaps, key=lambda pair: -len(pair[0]))


def _copied(row: dict, columns: list[str], table: str, swaps: list[tuple[str, str]],
            number: int) -> tuple:
    """The template's row as the copy's: own ids, the copy's values swapped in."""
    values = []
    for column in columns:
        value = row[column]
        if column == "id" and table in OWN_IDS:
            value = new_id(name_of(number), table, value)
        elif isinstance(value, str):
            value = _swapped(value, swaps)
        elif isinstance(value, dict):  # a JSONB column (package.extras on CKAN 2.12)
            value = Json(json.loads(_swapped(json.dumps(value), swaps)))
        values.append(value)
    return tuple(values)


def _swapped(value: str, swaps: list[tuple[str, str]]) -> str:
    for old, new in swaps:
        value = value.replace(old, new)
    return value


def _columns(cur: Any, table: str) -> list[str]:
    cur.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND table_schema = 'public' ORDER BY ordinal_position", (table,))
    return [name for (name,) in cur.fetchall()]


def _insert(cur: Any, table: str, columns: list[str], values: list[tuple]) -> None:
    from psycopg2.extras import execute_values

    if values:
        execute_values(cur, f"INSERT INTO {table} ({', '.join(columns)}) VALUES %s",  # noqa: S608
                       values, page_size=1000)


def index(config: str, ids: list[str], workers: int) -> None:
    """Solr documents for ``ids`` by CKAN's indexer, in ``workers`` processes."""
    chunks = [(config, ids[k::workers], k == 0, workers) for k in range(workers)]
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pool.starmap(_index, chunks)


def _index(config: str, ids: list[str], report: bool, workers: int) -> None:
    from benchlib import ckan_app
    from ckan.lib import search

    app = ckan_app(config)
    with app.test_request_context():
        started = time.perf_counter()
        for first in range(0, len(ids), BATCH):
            search.rebuild(package_ids=ids[first:first + BATCH], defer_commit=True, quiet=True)
            done = min(first + BATCH, len(ids))
            if report:
                rate = done * workers / (time.perf_counter() - started)
                progress(f"  catalog: ~{done * workers}/{len(ids) * workers} datasets "
                         f"indexed ({rate:.0f}/s)")
        search.commit()
