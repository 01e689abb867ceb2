"""Migration 0007: datasets that are restricted or non-public before the vault existed.

Works on the migration's connection with plain SQL (the ORM models may be newer than
the tables during an upgrade), with the same rules as access/vault.py.
"""
from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from ckanext.retailarea.access import vault
from ckanext.retailarea.model import extras


def _secret_packages(conn: Any) -> sa.TextClause:
    return sa.text(
        "SELECT p.id FROM package p WHERE p.private OR "  # noqa: S608 - our constants
        f"{extras.value('p', 'access_level', conn)} IN ('restricted', 'non_public')")


RESOURCES = sa.text(
    "SELECT id, url, url_type, cache_url, extras FROM resource WHERE package_id = :p")
UPDATE_RESOURCE = sa.text(
    "UPDATE resource SET url = :url, cache_url = :cache_url, extras = :extras WHERE id = :id")
INSERT_SECRET = sa.text(
    "INSERT INTO retailarea_resource_secret (resource_id, key, package_id, value) "
    "VALUES (:r, :k, :p, :v) ON CONFLICT (resource_id, key) DO UPDATE SET value = :v")


def _as_dict(row: Any) -> dict[str, Any]:
    extras = json.loads(row.extras) if row.extras else {}
    return {**extras, "id": row.id, "url": row.url, "url_type": row.url_type,
            "cache_url": row.cache_url}


def _write_row(conn: Any, resource: dict[str, Any]) -> None:
    extras = {key: value for key, value in resource.items()
              if key not in vault.CORE_COLUMNS}
    conn.execute(UPDATE_RESOURCE, {"id": resource["id"], "url": resource.get("url") or "",
                                   "cache_url": resource.get("cache_url"),
                                   "extras": json.dumps(extras)})


def move_existing(conn: Any) -> None:
    for (package_id,) in conn.execute(_secret_packages(conn)).fetchall():
        resources = [_as_dict(row) for row in conn.execute(RESOURCES, {"p": package_id})]
        sealed = vault.seal_resources(resources, True, {})
        for resource in resources:
            if resource["id"] in sealed:
                _write_row(conn, resource)
        for resource_id, values in sealed.items():
            for key, value in values.items():
                conn.execute(INSERT_SECRET, {"r": resource_id, "k": key, "p": package_id,
                                             "v": json.dumps(value)})
        _scrub(conn, package_id, vault.replacements(sealed))


# (select, update) of the stored copies that may hold a dataset's URLs
COPIES = {
    "activity": (sa.text("SELECT id, data FROM activity WHERE object_id = :p"),
                 sa.text("UPDATE activity SET data = :t WHERE id = :i")),
    "harvest_object": (sa.text("SELECT id, content FROM harvest_object WHERE package_id = :p"),
                       sa.text("UPDATE harvest_object SET content = :t WHERE id = :i")),
}


def _scrub(conn: Any, package_id: str, pairs: list[tuple[str, str]]) -> None:
    if not pairs:
        return
    for table, (select, update) in COPIES.items():
        if not conn.execute(sa.text("SELECT to_regclass(:t)"), {"t": table}).scalar():
            continue  # harvesting not installed
        for row_id, text in conn.execute(select, {"p": package_id}).fetchall():
            scrubbed = vault.scrub_text(text or "", pairs)
            if scrubbed != (text or ""):
                conn.execute(update, {"t": scrubbed, "i": row_id})


def restore_existing(conn: Any) -> None:
    """Downgrade: the kept values go back into the rows (activities stay scrubbed)."""
    rows = conn.execute(sa.text(
        "SELECT resource_id, key, value FROM retailarea_resource_secret")).fetchall()
    by_resource: dict[str, dict[str, Any]] = {}
    for resource_id, key, value in rows:
        by_resource.setdefault(resource_id, {})[key] = json.loads(value)
    for resource_id, values in by_resource.items():
        row = conn.execute(sa.text(
            "SELECT id, url, url_type, cache_url, extras FROM resource WHERE id = :i"),
            {"i": resource_id}).first()
        if row is not None:
            _write_row(conn, {**_as_dict(row), **values})
