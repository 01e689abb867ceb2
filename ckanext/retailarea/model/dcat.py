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
