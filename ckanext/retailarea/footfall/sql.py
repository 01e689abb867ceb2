"""The SQL that turns footfall counts into day totals, in one place.

A *day total* is what one location counted on one local day: visitors, how many
intervals it reported (distinct ``interval_start`` values, whatever the number of
directions and modes), its finest interval, the imputed share and the visitors per local
hour (``h00`` .. ``h23``; the repeated 02:00 hour of the last Sunday of October falls in
``h02``). The same SELECT fills the stored summary at load time (``store.py``), keeps it up
to date from a trigger, and serves counts tables without a summary (``query.py``), so the
stored and the computed answers cannot drift apart.

Identifiers come from ``identifier()`` and values are bound parameters; the only text
pasted in is ours.
"""
from __future__ import annotations

from ckanext.retailarea.footfall.calendar import TIMEZONE

SCHEMA = "retailarea_footfall"
DAY_TOTALS = f"{SCHEMA}.day_totals"
SUMMARIES = f"{SCHEMA}.summaries"
VERSION = 1  # of the day_totals layout; a summary of another version is not used
HOURS = [f"h{hour:02d}" for hour in range(24)]
COLUMNS = ["location_id", "day", "visitors", "intervals", "resolution", "imputed",
           "imputed_intervals", *HOURS]


def identifier(name: str) -> str:
    """A quoted SQL identifier (resource ids are table names)."""
    return '"' + name.replace('"', '""') + '"'


def day_totals_select(table: str, where: str = "") -> str:
    """Day totals of the counts table ``table`` (quoted), for rows matching ``where``
    (SQL starting with AND, or empty)."""
    hours = ",\n           ".join(
        f"sum(visitors) FILTER (WHERE date_part('hour', local_hour) = {hour}) AS {name}"
        for hour, name in enumerate(HOURS))
    return f"""
    SELECT location_id, local_hour::date AS day, sum(visitors)::bigint AS visitors,
           sum(intervals)::int AS intervals, min(resolution) AS resolution,
           sum(imputed)::bigint AS imputed, sum(imputed_intervals)::int AS imputed_intervals,
           {hours}
    FROM (
      SELECT location_id,
             date_trunc('hour', interval_start AT TIME ZONE '{TIMEZONE}') AS local_hour,
             sum(visitors) AS visitors, count(*) AS intervals, min(resolution) AS resolution,
             sum(imputed) AS imputed, count(*) FILTER (WHERE any_imputed) AS imputed_intervals
      FROM (
        SELECT location_id, interval_start, coalesce(sum("count"), 0) AS visitors,
               min("interval") AS resolution,
               coalesce(sum("count") FILTER (WHERE imputed), 0) AS imputed,
               coalesce(bool_or(imputed), false) AS any_imputed
        FROM {table} AS counts
        WHERE location_id IS NOT NULL AND interval_start IS NOT NULL {where}
        GROUP BY location_id, interval_start
      ) AS instants
      GROUP BY location_id, local_hour
    ) AS hours
    GROUP BY location_id, local_hour::date"""  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound


def create_schema(reader: str | None) -> list[str]:
    """Statements that create the summary tables (idempotent) and let ``reader`` (the
    DataStore's read-only user) read them."""
    hours = ", ".join(f"{name} bigint" for name in HOURS)
    grants = [
        f"GRANT USAGE ON SCHEMA {SCHEMA} TO {identifier(reader)}",
        f"GRANT SELECT ON {DAY_TOTALS}, {SUMMARIES} TO {identifier(reader)}",
    ] if reader else []
    return [
        f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}",
        f"""CREATE TABLE IF NOT EXISTS {DAY_TOTALS} (
            resource_id text NOT NULL, location_id text NOT NULL, day date NOT NULL,
            visitors bigint NOT NULL, intervals int NOT NULL, resolution text,
            imputed bigint NOT NULL, imputed_intervals int NOT NULL, {hours},
            PRIMARY KEY (resource_id, day, location_id))""",
        f"""CREATE TABLE IF NOT EXISTS {SUMMARIES} (
            resource_id text PRIMARY KEY, table_oid oid NOT NULL, version int NOT NULL,
            built timestamptz NOT NULL DEFAULT now())""",
        REFRESH_FUNCTION,
        *grants,
    ]


# The changed rows of a statement, as (location_id, local day) keys with the day's bounds.
_CHANGED_DAYS = f"""
    SELECT DISTINCT location_id, (interval_start AT TIME ZONE '{TIMEZONE}')::date AS day
    FROM (%s) AS changed WHERE location_id IS NOT NULL AND interval_start IS NOT NULL"""  # noqa: S608 - our constants; %s is the statement's transition table, named by us

_WHERE_CHANGED = f"""AND EXISTS (
    SELECT 1 FROM (%3$s) AS k WHERE k.location_id = counts.location_id
      AND counts.interval_start >= (k.day::timestamp AT TIME ZONE '{TIMEZONE}')
      AND counts.interval_start < ((k.day + 1)::timestamp AT TIME ZONE '{TIMEZONE}'))"""  # noqa: S608 - only our constant names (schema, tables, columns, time zone); values are bound

# Statement-level: a write of many rows recomputes each touched day once. Only later
# writes (Action API upserts and deletes) fire it: the summary is built after a load.
REFRESH_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {SCHEMA}.refresh_day_totals() RETURNS trigger
LANGUAGE plpgsql AS $body$
DECLARE
  changed text;
  keys text;
BEGIN
  -- one writer per table at a time: the next one sees the rows the last one committed
  PERFORM pg_advisory_xact_lock(hashtext('retailarea_footfall:' || TG_TABLE_NAME));
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM {DAY_TOTALS} WHERE resource_id = TG_TABLE_NAME;
    RETURN NULL;
  ELSIF TG_OP = 'INSERT' THEN
    changed := 'SELECT location_id, interval_start FROM new_rows';
  ELSIF TG_OP = 'DELETE' THEN
    changed := 'SELECT location_id, interval_start FROM old_rows';
  ELSE
    changed := 'SELECT location_id, interval_start FROM new_rows '
               'UNION ALL SELECT location_id, interval_start FROM old_rows';
  END IF;
  keys := format($keys${_CHANGED_DAYS}$keys$, changed);
  EXECUTE format('DELETE FROM {DAY_TOTALS} AS d USING (%s) AS k '
                 'WHERE d.resource_id = %L AND d.location_id = k.location_id '
                 'AND d.day = k.day', keys, TG_TABLE_NAME);
  EXECUTE format($insert$INSERT INTO {DAY_TOTALS} SELECT %1$L, totals.* FROM (
    {day_totals_select("%2$I", _WHERE_CHANGED)}) AS totals$insert$,
    TG_TABLE_NAME, TG_TABLE_NAME, keys);
  RETURN NULL;
END
$body$"""  # noqa: S608 - trigger body of our constants; format() quotes names (%I) and values (%L)

TRIGGERS = {
    "retailarea_footfall_insert": "AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows "
                                  "FOR EACH STATEMENT",
    "retailarea_footfall_update": "AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows "
                                  "NEW TABLE AS new_rows FOR EACH STATEMENT",
    "retailarea_footfall_delete": "AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows "
                                  "FOR EACH STATEMENT",
    "retailarea_footfall_truncate": "AFTER TRUNCATE ON {table} FOR EACH STATEMENT",
}
