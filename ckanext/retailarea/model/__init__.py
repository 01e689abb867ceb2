"""Tables of ckanext-retailarea (prefixed retailarea_; created by alembic migrations in
migration/retailarea, applied with `ckan db pending-migrations --apply`)."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped

STATUSES = ("pending", "validating", "loading", "loaded", "invalid", "skipped", "error")
RUNNING = ("pending", "validating", "loading")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class TableReport(tk.BaseModel):
    """Where a CSV resource stands: validated against its table schema, loaded or not."""

    __table__ = sa.Table(
        "retailarea_table_report", tk.BaseModel.metadata,
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("table_schema", sa.UnicodeText),
        sa.Column("source_key", sa.UnicodeText),
        sa.Column("rows_checked", sa.Integer, nullable=False, default=0),
        sa.Column("rows_loaded", sa.Integer, nullable=False, default=0),
        sa.Column("error_count", sa.Integer, nullable=False, default=0),
        sa.Column("report", JSONB),
        sa.Column("message", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False, default=_now),
        sa.Column("updated", sa.DateTime, nullable=False, default=_now),
    )
    resource_id: Mapped[str]
    package_id: Mapped[str]
    status: Mapped[str]
    table_schema: Mapped[str | None]
    source_key: Mapped[str | None]
    rows_checked: Mapped[int]
    rows_loaded: Mapped[int]
    error_count: Mapped[int]
    report: Mapped[Any]
    message: Mapped[str | None]
    created: Mapped[dt.datetime]
    updated: Mapped[dt.datetime]

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
