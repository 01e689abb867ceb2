"""Tables of ckanext-retailarea (prefixed retailarea_; created by alembic migrations in
migration/retailarea, applied with `ckan db pending-migrations --apply`)."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

STATUSES = ("pending", "validating", "loading", "loaded", "invalid", "skipped", "error")
RUNNING = ("pending", "validating", "loading")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class TableReport(tk.BaseModel):  # type: ignore[misc,valid-type]
    """Where a CSV resource stands: validated against its table schema, loaded or not."""

    __tablename__ = "retailarea_table_report"

    resource_id = sa.Column(sa.UnicodeText, primary_key=True)
    package_id = sa.Column(sa.UnicodeText, nullable=False, index=True)
    status = sa.Column(sa.UnicodeText, nullable=False)
    table_schema = sa.Column(sa.UnicodeText)
    source_key = sa.Column(sa.UnicodeText)
    rows_checked = sa.Column(sa.Integer, nullable=False, default=0)
    rows_loaded = sa.Column(sa.Integer, nullable=False, default=0)
    error_count = sa.Column(sa.Integer, nullable=False, default=0)
    report = sa.Column(JSONB)
    message = sa.Column(sa.UnicodeText)
    created = sa.Column(sa.DateTime, nullable=False, default=_now)
    updated = sa.Column(sa.DateTime, nullable=False, default=_now)

    @classmethod
    def get(cls, resource_id: str) -> TableReport | None:
        return model.Session.get(cls, resource_id)

    def set(self, **fields: Any) -> None:
        """Update fields and commit at once, so other processes see progress."""
        for key, value in fields.items():
            setattr(self, key, value)
        self.updated = _now()
        model.Session.add(self)
        model.Session.commit()

    def as_dict(self) -> dict[str, Any]:
        return {
            "resource_id": self.resource_id,
            "package_id": self.package_id,
            "status": self.status,
            "running": self.status in RUNNING,
            "table_schema": self.table_schema,
            "rows_checked": self.rows_checked,
            "rows_loaded": self.rows_loaded,
            "error_count": self.error_count,
            "report": self.report,
            "message": self.message,
            "created": self.created.isoformat(),
            "updated": self.updated.isoformat(),
        }
