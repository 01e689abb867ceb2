"""What the SPDP poller knows about each source and facility: when it last polled, what
each facility answered, whether it went stale (a facility that stops answering is marked,
never deleted)."""
from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.orm import Mapped


class SpdpSource(tk.BaseModel):
    """One SPDP harvest source: its parking dataset, occupancy table and last poll."""

    __table__ = sa.Table(
        "retailarea_spdp_source", tk.BaseModel.metadata,
        sa.Column("source_id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False),
        sa.Column("occupancy_resource_id", sa.UnicodeText, nullable=False),
        sa.Column("interval_min", sa.Integer, nullable=False),
        sa.Column("stale_min", sa.Integer, nullable=False),
        sa.Column("last_started", sa.DateTime(timezone=True)),
        sa.Column("last_finished", sa.DateTime(timezone=True)),
        sa.Column("last_seconds", sa.Float),
        sa.Column("last_rows", sa.Integer),
        sa.Column("overran", sa.Boolean, nullable=False, default=False),
    )
    source_id: Mapped[str]
    package_id: Mapped[str]
    occupancy_resource_id: Mapped[str]
    interval_min: Mapped[int]
    stale_min: Mapped[int]
    last_started: Mapped[dt.datetime | None]
    last_finished: Mapped[dt.datetime | None]
    last_seconds: Mapped[float | None]
    last_rows: Mapped[int | None]
    overran: Mapped[bool]


class SpdpFacility(tk.BaseModel):
    """One facility of a source and the outcome of its last fetch."""

    __table__ = sa.Table(
        "retailarea_spdp_facility", tk.BaseModel.metadata,
        sa.Column("source_id", sa.UnicodeText, primary_key=True),
        sa.Column("uuid", sa.UnicodeText, primary_key=True),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("dynamic_url", sa.UnicodeText),
        sa.Column("last_attempt", sa.DateTime(timezone=True)),
        sa.Column("last_success", sa.DateTime(timezone=True)),
        sa.Column("last_observed", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.UnicodeText),
        sa.Column("failures", sa.Integer, nullable=False, default=0),
        sa.Column("stale", sa.Boolean, nullable=False, default=False),
        sa.Column("in_index", sa.Boolean, nullable=False, default=True),
    )
    source_id: Mapped[str]
    uuid: Mapped[str]
    name: Mapped[str]
    dynamic_url: Mapped[str | None]
    last_attempt: Mapped[dt.datetime | None]
    last_success: Mapped[dt.datetime | None]
    last_observed: Mapped[dt.datetime | None]
    last_error: Mapped[str | None]
    failures: Mapped[int]
    stale: Mapped[bool]
    in_index: Mapped[bool]
