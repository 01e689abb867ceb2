"""What the series need in the DataStore database, made at load time (write engine).

After a footfall counts table is loaded: an index on ``interval_start`` (area ranges and
the first and last day; the table's unique key already starts with ``location_id,
interval_start``), statistics, and the stored day totals of ``sql.py`` with triggers that
keep them exact when rows are later upserted or deleted through the Action API. A
parking occupancy table gets an index on ``observed_at``.

The summary is an optimisation, never a second truth: ``query.py`` uses it only while
``summaries`` names the very table (by oid) it was built from, and otherwise aggregates
the counts table itself with the same SQL.
"""
from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from ckanext.retailarea.footfall import sql

log = logging.getLogger(__name__)

COUNTS, OCCUPANCY = "footfall_counts", "parking_occupancy"
TIME_COLUMN = {COUNTS: "interval_start", OCCUPANCY: "observed_at"}
SCHEMA_LOCK = 7_413_201  # pg_advisory_xact_lock key: one schema set-up at a time


def _write_engine():
    import ckanext.datastore.backend.postgres as db

    return db.get_write_engine()


def _reader() -> str:
    import ckanext.datastore.backend.postgres as db

    return db.get_read_engine().url.username or ""


def prepare(resource_id: str, table_schema: str) -> None:
    """Index, statistics and (for counts) the day totals of a freshly loaded table.

    The day totals are an optimisation: when they cannot be built (say the DataStore's
    write user may not create a schema) the load still counts and the series are
    computed from the table, more slowly; the log says why."""
    if table_schema not in TIME_COLUMN:
        return
    with _write_engine().begin() as connection:
        create_index(connection, resource_id, TIME_COLUMN[table_schema])
        connection.execute(sa.text(f"ANALYZE {sql.identifier(resource_id)}"))
    if table_schema != COUNTS:
        return
    try:
        with _write_engine().begin() as connection:
            summarize(connection, resource_id)
    except SQLAlchemyError:
        log.exception("footfall day totals of %s not built: its series are computed from "
                      "the table", resource_id)


def create_index(connection, resource_id: str, column: str) -> None:
    table = sql.identifier(resource_id)
    name = sql.identifier(f"{resource_id}_{column}")
    connection.execute(sa.text(
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({sql.identifier(column)})"))


def ensure_schema(connection) -> None:
    connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
    for statement in sql.create_schema(_reader()):
        connection.execute(sa.text(statement))


def summarize(connection, resource_id: str) -> None:
    """(Re)build the day totals of one counts table and install its triggers. The table
    is locked against writes meanwhile, so no row slips between build and trigger."""
    ensure_schema(connection)
    table = sql.identifier(resource_id)
    connection.execute(sa.text(f"LOCK TABLE {table} IN SHARE MODE"))
    connection.execute(sa.text(f"DELETE FROM {sql.DAY_TOTALS} WHERE resource_id = :id"),  # noqa: S608 - only our constant names (schema, tables, columns, time zone); values are bound
                       {"id": resource_id})
    connection.execute(sa.text(
        f"INSERT INTO {sql.DAY_TOTALS} SELECT :id, totals.* FROM "  # noqa: S608 - our constant table; the select quotes the counts table with identifier()
        f"({sql.day_totals_select(table)}) AS totals"), {"id": resource_id})
    for name, definition in sql.TRIGGERS.items():
        connection.execute(sa.text(f"DROP TRIGGER IF EXISTS {name} ON {table}"))
        connection.execute(sa.text(
            f"CREATE TRIGGER {name} {definition.format(table=table)} "
            f"EXECUTE FUNCTION {sql.SCHEMA}.refresh_day_totals()"))
    connection.execute(sa.text(f"""
        INSERT INTO {sql.SUMMARIES} (resource_id, table_oid, version, built)
        VALUES (:id, to_regclass(:table)::oid, :version, now())
        ON CONFLICT (resource_id) DO UPDATE SET table_oid = excluded.table_oid,
            version = excluded.version, built = excluded.built"""),  # noqa: S608 - only our constant names (schema, tables, columns, time zone); values are bound
        {"id": resource_id, "table": table, "version": sql.VERSION})
    log.info("footfall day totals of %s built", resource_id)


def forget(resource_id: str) -> None:
    """Drop the day totals of a resource that is gone."""
    with _write_engine().begin() as connection:
        exists = connection.execute(sa.text("SELECT to_regclass(:name)"),
                                    {"name": sql.SUMMARIES}).scalar()
        if exists is None:
            return
        connection.execute(sa.text(f"DELETE FROM {sql.SUMMARIES} WHERE resource_id = :id"),  # noqa: S608 - only our constant names (schema, tables, columns, time zone); values are bound
                           {"id": resource_id})
        connection.execute(sa.text(f"DELETE FROM {sql.DAY_TOTALS} WHERE resource_id = :id"),  # noqa: S608 - only our constant names (schema, tables, columns, time zone); values are bound
                           {"id": resource_id})
