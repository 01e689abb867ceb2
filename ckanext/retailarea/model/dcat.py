"""The DCAT triples of each exportable dataset, computed when it is saved."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import sqlalchemy as sa

from ckanext.retailarea.model.access import now


class DatasetRDF(tk.BaseModel):  # type: ignore[misc,valid-type]
    __tablename__ = "retailarea_dataset_rdf"

    package_id = sa.Column(sa.UnicodeText, primary_key=True)
    name = sa.Column(sa.UnicodeText, nullable=False, index=True)
    dataset_uri = sa.Column(sa.UnicodeText, nullable=False)
    ntriples = sa.Column(sa.UnicodeText, nullable=False)
    # Fragments of the other formats (dcat/formats.py); empty on rows kept before 0004.
    turtle = sa.Column(sa.UnicodeText)
    jsonld = sa.Column(sa.UnicodeText)
    rdfxml = sa.Column(sa.UnicodeText)
    modified = sa.Column(sa.DateTime, nullable=False, default=now)


class DatasetConformance(tk.BaseModel):  # type: ignore[misc,valid-type]
    """The last SHACL check of a dataset's DCAT (DCAT-AP 3.0.1 and DCAT-AP-NL 3.0)."""

    __tablename__ = "retailarea_dataset_conformance"

    package_id = sa.Column(sa.UnicodeText, primary_key=True)
    conforms = sa.Column(sa.Boolean, nullable=False)
    violations = sa.Column(sa.Integer, nullable=False)
    warnings = sa.Column(sa.Integer, nullable=False)
    findings = sa.Column(sa.UnicodeText, nullable=False)  # JSON list of messages
    checked_at = sa.Column(sa.DateTime, nullable=False, default=now)
