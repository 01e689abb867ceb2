"""Where CKAN keeps a dataset's extras in PostgreSQL, for the few plain-SQL statements that
read them: rows of ``package_extra`` on CKAN 2.11, the JSONB column ``package.extras`` from
CKAN 2.12 on (core migration ``106_12d64978ab44_faster_extras`` moves them and drops the
table).

This is the extension's one place that tells the two apart (docs/development.md, "Two
CKAN lines"). It asks the schema, not the version: during an upgrade our migrations run
against whatever the database holds. Remove the ``package_extra`` branch when 2.11 leaves CI.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from ckan import model


def in_column(conn: Any = None) -> bool:
    """Whether extras live in ``package.extras``: asked of the database behind ``conn``
    (for migrations), else of the installed CKAN's model."""
    if conn is None:
        return "extras" in model.package_table.c
    return any(col["name"] == "extras" for col in sa.inspect(conn).get_columns("package"))


def value(alias: str, key: str, conn: Any = None) -> str:
    """SQL for the active value of extra ``key`` (a constant, never user input) of the
    package row ``alias``, or NULL."""
    if in_column(conn):
        return f"({alias}.extras ->> '{key}')"
    return (f"(SELECT e.value FROM package_extra e WHERE e.package_id = {alias}.id "  # noqa: S608 - our constants
            f"AND e.key = '{key}' AND e.state = 'active')")


def equals(alias: str, key: str, param: str, conn: Any = None) -> str:
    """SQL that holds when extra ``key`` of package ``alias`` equals the bound ``:param``,
    written so the md5 index of migrations 0006/0008 can serve it."""
    if in_column(conn):
        column = f"({alias}.extras ->> '{key}')"
        return f"md5({column}) = md5(:{param}) AND {column} = :{param}"
    # the matching rows first, found by the index (an uncorrelated subquery): as EXISTS
    # the planner may merge-join package_extra walked in package_id order instead
    return (f"{alias}.id = ANY(ARRAY(SELECT e.package_id FROM package_extra e "  # noqa: S608 - our constants
            f"WHERE e.key = '{key}' AND e.state = 'active' "
            f"AND md5(e.value) = md5(:{param}) AND e.value = :{param}))")


def like(alias: str, key: str, param: str, conn: Any = None) -> str:
    """SQL that holds when extra ``key`` of package ``alias`` matches the LIKE pattern
    bound as ``:param``; on 2.11 an EXISTS, which PostgreSQL runs as one semi-join
    instead of a subquery per package."""
    if in_column(conn):
        return f"({alias}.extras ->> '{key}') LIKE :{param}"
    return (f"EXISTS (SELECT 1 FROM package_extra e WHERE e.package_id = {alias}.id "  # noqa: S608 - our constants
            f"AND e.key = '{key}' AND e.state = 'active' AND e.value LIKE :{param})")


def set_value(conn: Any, package_id: str, key: str, new: str) -> None:
    """Write extra ``key`` of a package directly in the database, as a site of an earlier
    version may have it (used to set up upgrade tests)."""
    if in_column(conn):
        conn.execute(sa.text(
            "UPDATE package SET extras = coalesce(extras, '{}'::jsonb) "
            "|| jsonb_build_object(CAST(:k AS text), CAST(:v AS text)) WHERE id = :p"),
            {"k": key, "v": new, "p": package_id})
    else:
        conn.execute(sa.text("UPDATE package_extra SET value = :v "
                             "WHERE package_id = :p AND key = :k"),
                     {"k": key, "v": new, "p": package_id})


INDEX = "retailarea_package_harvest_original_id"


def ensure_index(conn: Any) -> bool:
    """Make the index of harvested datasets' original ids on ``package.extras`` when extras
    live there and it is missing (a site moved from 2.11 applied migration 0008 while
    extras were still rows). Returns whether it was made."""
    if not in_column(conn):
        return False
    if any(index["name"] == INDEX for index in sa.inspect(conn).get_indexes("package")):
        return False
    conn.execute(sa.text(f"CREATE INDEX {INDEX} ON package "
                         "(md5(extras ->> 'harvest_original_id'))"))
    return True
