"""The DCAT triples of each exportable dataset, computed when it is saved."""
from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.orm import Mapped

from ckanext.retailarea.model.access import now


class DatasetRDF(tk.BaseModel):
    __table__ = sa.Table(
        "retailarea_dataset_rdf", tk.BaseModel.metadata,
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("name", sa.UnicodeText, nullable=False, index=True),
        sa.Column("dataset_uri", sa.UnicodeText, nullable=False),
        sa.Column("ntriples", sa.UnicodeText, nullable=False),
        # Fragments of the other formats (dcat/formats.py); empty on rows kept before 0004.
        sa.Column("turtle", sa.UnicodeText),
        sa.Column("jsonld", sa.UnicodeText),
        sa.Column("rdfxml", sa.UnicodeText),
        sa.Column("modified", sa.DateTime, nullable=False, default=now),
    )
    package_id: Mapped[str]
    name: Mapped[str]
    dataset_uri: Mapped[str]
    ntriples: Mapped[str]
    turtle: Mapped[str | None]
    jsonld: Mapped[str | None]
    rdfxml: Mapped[str | None]
    modified: Mapped[dt.datetime]

class DatasetConformance(tk.BaseModel):
    """The last SHACL check of a dataset's DCAT (DCAT-AP 3.0.1 and DCAT-AP-NL 3.0)."""

    __table__ = sa.Table(
        "retailarea_dataset_conformance", tk.BaseModel.metadata,
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("conforms", sa.Boolean, nullable=False),
        sa.Column("violations", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Integer, nullable=False),
        sa.Column("findings", sa.UnicodeText, nullable=False),  # JSON list of messages
        sa.Column("checked_at", sa.DateTime, nullable=False, default=now),
    )
    package_id: Mapped[str]
    conforms: Mapped[bool]
    violations: Mapped[int]
    warnings: Mapped[int]
    findings: Mapped[str]
    checked_at: Mapped[dt.datetime]
