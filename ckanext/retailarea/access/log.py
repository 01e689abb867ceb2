"""The access log: who reached which restricted data, for which purpose, when."""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.retailarea import config
from ckanext.retailarea.model.access import AccessGrant, AccessLog, now

CSV_COLUMNS = ["created", "user_name", "package_id", "resource_id", "action", "purpose",
               "grant_id", "ip"]


def record(grant: AccessGrant, action: str, resource_id: str | None = None,
           ip: str | None = None) -> AccessLog:
    """Log one access by a grant holder; the IP only when configured."""
    entry = AccessLog(
        user_id=grant.user_id, package_id=grant.package_id, resource_id=resource_id,
        grant_id=grant.id, purpose=grant.purpose, action=action,
        ip=ip if config.access_log_ip() else None,
    )
    model.Session.add(entry)
    model.Session.commit()
    return entry


def entries(package_ids: Iterable[str], limit: int = 1000, offset: int = 0) -> list[AccessLog]:
    return (
        model.Session.query(AccessLog)
        .filter(AccessLog.package_id.in_(list(package_ids)))
        .order_by(AccessLog.created.desc(), AccessLog.id.desc())
        .limit(limit).offset(offset).all()
    )


def as_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def purge(days: int | None = None) -> int:
    """Delete entries older than the retention period; returns how many."""
    keep = days if days is not None else config.access_log_retention_days()
    cutoff = now() - dt.timedelta(days=keep)
    count = model.Session.query(AccessLog).filter(AccessLog.created < cutoff).delete()
    model.Session.commit()
    return count


def remote_ip() -> str | None:
    try:
        return tk.request.remote_addr
    except RuntimeError:  # outside a request, e.g. a CLI or job
        return None
