"""Hourly parking occupancy kept beside each occupancy table, so the insights read a year
of 15-minute observations as 8,760 rows.

An *hour* is a UTC hour (Europe/Amsterdam's offsets are whole hours, so it is a local hour
too): the occupied spaces, capacity and number of facilities of the observations in it
that have a capacity and a count of vacant spaces. The same SELECT builds the hours after a
load (``build``), recomputes the hours a later write touches (a statement trigger, as for
the footfall day totals) and serves a table without a current summary (``hours_select``),
so stored and computed answers cannot differ. Only a dataset with one occupancy table uses
it: the facilities of an hour are counted per table.
"""
from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from ckanext.retailarea.footfall.sql import identifier

log = logging.getLogger(__name__)

SCHEMA = "retailarea_insights"
HOURS = f"{SCHEMA}.occupancy_hours"
SUMMARIES = f"{SCHEMA}.occupancy_summaries"
VERSION = 1
LOCK = 7_413_202  # pg_advisory_xact_lock key: one schema set-up at a time
HOUR = "date_bin('1 hour', observed_at, TIMESTAMPTZ '2000-01-01 00:00+00')"


def hours_select(table: str, where: str = "") -> str:
    """Hours of the occupancy table ``table`` (quoted) for rows matching ``where``."""
    return f"""
    SELECT {HOUR} AS hour,
           sum(greatest(0, least(capacity, capacity - vacant_spaces)))::bigint AS occupied,
           sum(capacity)::bigint AS capacity, count(DISTINCT uuid)::int AS facilities
    FROM {table} AS observations
    WHERE uuid IS NOT NULL AND observed_at IS NOT NULL AND capacity > 0
      AND vacant_spaces IS NOT NULL {where}
    GROUP BY 1"""  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound


# The hours a statement changed, and the condition that picks their rows again.
_KEYS = f"SELECT DISTINCT {HOUR} AS hour FROM (%s) AS c WHERE observed_at IS NOT NULL"  # noqa: S608 - our constants; %s is the statement's transition table, named by us
_IN_KEYS = ("AND EXISTS (SELECT 1 FROM (%3$s) AS k WHERE observations.observed_at >= k.hour "
            "AND observations.observed_at < k.hour + INTERVAL '1 hour')")

_REFRESH = f"""
CREATE OR REPLACE FUNCTION {SCHEMA}.refresh_occupancy_hours() RETURNS trigger
LANGUAGE plpgsql AS $body$
DECLARE
  changed text;
  keys text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('retailarea_insights:' || TG_TABLE_NAME));
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM {HOURS} WHERE resource_id = TG_TABLE_NAME;
    RETURN NULL;
  ELSIF TG_OP = 'INSERT' THEN
    changed := 'SELECT observed_at FROM new_rows';
  ELSIF TG_OP = 'DELETE' THEN
    changed := 'SELECT observed_at FROM old_rows';
  ELSE
    changed := 'SELECT observed_at FROM new_rows UNION ALL SELECT observed_at FROM old_rows';
  END IF;
  keys := format($keys${_KEYS}$keys$, changed);
  EXECUTE format('DELETE FROM {HOURS} AS h USING (%s) AS k '
                 'WHERE h.resource_id = %L AND h.hour = k.hour', keys, TG_TABLE_NAME);
  EXECUTE format($insert$INSERT INTO {HOURS} SELECT %1$L, hours.* FROM (
    {hours_select("%2$I", _IN_KEYS)}) AS hours$insert$, TG_TABLE_NAME, TG_TABLE_NAME, keys);
  RETURN NULL;
END
$body$"""  # noqa: S608 - trigger body of our constants; format() quotes names (%I) and values (%L)

TRIGGERS = {
    "retailarea_occupancy_insert": "AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows "
                                   "FOR EACH STATEMENT",
    "retailarea_occupancy_update": "AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows "
                                   "NEW TABLE AS new_rows FOR EACH STATEMENT",
    "retailarea_occupancy_delete": "AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows "
                                   "FOR EACH STATEMENT",
    "retailarea_occupancy_truncate": "AFTER TRUNCATE ON {table} FOR EACH STATEMENT",
}


def _schema(reader: str | None) -> list[str]:
    grants = [f"GRANT USAGE ON SCHEMA {SCHEMA} TO {identifier(reader)}",
              f"GRANT SELECT ON {HOURS}, {SUMMARIES} TO {identifier(reader)}"] if reader else []
    return [
        f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}",
        f"""CREATE TABLE IF NOT EXISTS {HOURS} (resource_id text NOT NULL,
            hour timestamptz NOT NULL, occupied bigint NOT NULL, capacity bigint NOT NULL,
            facilities int NOT NULL, PRIMARY KEY (resource_id, hour))""",
        f"""CREATE TABLE IF NOT EXISTS {SUMMARIES} (resource_id text PRIMARY KEY,
            table_oid oid NOT NULL, version int NOT NULL,
            built timestamptz NOT NULL DEFAULT now())""",
        _REFRESH, *grants,
    ]


def _engines():
    import ckanext.datastore.backend.postgres as db

    return db.get_write_engine(), db.get_read_engine().url.username


def build(resource_id: str) -> None:
    """(Re)build the hours of one occupancy table and install its triggers; the table is
    locked against writes meanwhile. When it cannot be built, the insights read the table."""
    engine, reader = _engines()
    table = identifier(resource_id)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK})
            for statement in _schema(reader):
                connection.execute(sa.text(statement))
            connection.execute(sa.text(f"LOCK TABLE {table} IN SHARE MODE"))
            connection.execute(sa.text(f"DELETE FROM {HOURS} WHERE resource_id = :id"),  # noqa: S608 - only our constant names (schema, tables, columns, time zone); values are bound
                               {"id": resource_id})
            connection.execute(sa.text(
                f"INSERT INTO {HOURS} SELECT :id, h.* FROM ({hours_select(table)}) AS h"),  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound
                {"id": resource_id})
            for name, definition in TRIGGERS.items():
                connection.execute(sa.text(f"DROP TRIGGER IF EXISTS {name} ON {table}"))
                connection.execute(sa.text(
                    f"CREATE TRIGGER {name} {definition.format(table=table)} "
                    f"EXECUTE FUNCTION {SCHEMA}.refresh_occupancy_hours()"))
            connection.execute(sa.text(f"""
                INSERT INTO {SUMMARIES} (resource_id, table_oid, version, built)
                VALUES (:id, to_regclass(:table)::oid, :version, now())
                ON CONFLICT (resource_id) DO UPDATE SET table_oid = excluded.table_oid,
                    version = excluded.version, built = excluded.built"""),  # noqa: S608 - only our constant names (schema, tables, columns, time zone); values are bound
                {"id": resource_id, "table": table, "version": VERSION})
    except SQLAlchemyError:
        log.exception("occupancy hours of %s not built: insights read the table", resource_id)


def forget(resource_id: str) -> None:
    engine, _ = _engines()
    with engine.begin() as connection:
        if connection.execute(sa.text("SELECT to_regclass(:n)"), {"n": SUMMARIES}).scalar():
            for table in (SUMMARIES, HOURS):
                connection.execute(sa.text(f"DELETE FROM {table} WHERE resource_id = :id"),  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound
                                   {"id": resource_id})


def current(connection, resource_id: str) -> bool:
    """Whether the stored hours are those of this very table."""
    if not connection.execute(sa.text("SELECT to_regclass(:n)"), {"n": SUMMARIES}).scalar():
        return False
    return bool(connection.execute(sa.text(
        f"SELECT EXISTS (SELECT 1 FROM {SUMMARIES} WHERE resource_id = :id "  # noqa: S608 - only our constant names (schema, tables, columns, time zone); values are bound
        "AND version = :version AND table_oid = to_regclass(quote_ident(:id)))"),
        {"id": resource_id, "version": VERSION}).scalar())
