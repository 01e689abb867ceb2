"""Dataset series in DCAT-AP 3: a series as ``dcat:DatasetSeries`` with ``dcat:first`` and
``dcat:last``, each part with ``dcat:inSeries``, ``dcat:prev`` and ``dcat:next``
(ckanext-dcat's properties; the model is in ``metadata/series.py``).

A series stays typed ``dcat:Dataset`` as well (see ``describe``). Each part's fragment
also names its series' type, title and description, the same statements as the series'
own fragment, so a part's DCAT validates on its own and the catalog, a concatenation of
fragments, merges them into one node.
"""
from __future__ import annotations

from typing import Any

import ckan.model as model
from ckanext.dcat.profiles import DCAT, DCT, RDF
from ckanext.dcat.utils import dataset_uri
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ckanext.retailarea.metadata import series as model_series

_NAVIGATION = (DCAT.inSeries, DCAT.prev, DCAT.next, DCAT.first, DCAT.last)


def uri(package_id: str) -> URIRef:
    return URIRef(dataset_uri({"id": package_id}))


def describe(g: Graph, dataset_dict: dict[str, Any], ref: URIRef) -> None:
    """Replace what euro_dcat_ap_3 wrote from ``in_series`` (it needs
    ckanext-dataset-series for the order) with the series and its navigation."""
    for predicate in _NAVIGATION:
        g.remove((ref, predicate, None))
    ordered = model_series.parts_of(dataset_dict)
    if ordered:
        # Also still a dcat:Dataset (DCAT 3 makes every series one): the catalog's
        # dcat:dataset and the services' dcat:servesDataset must name a dcat:Dataset for
        # the SHACL shapes, which do not infer subclasses, and ckanext-dcat's parser
        # (ours and a stock consumer's) reads dcat:Dataset nodes only.
        g.add((ref, RDF.type, DCAT.DatasetSeries))
        g.add((ref, DCAT.first, uri(ordered[0].id)))
        g.add((ref, DCAT.last, uri(ordered[-1].id)))
    for series in model_series.series_of(dataset_dict):
        if not model_series.published(series):
            continue
        series_ref = uri(series.id)
        g.add((ref, DCAT.inSeries, series_ref))
        _stub(g, series, series_ref)
        before, after = model_series.neighbours(series, dataset_dict["id"])
        if before is not None:
            g.add((ref, DCAT.prev, uri(before.id)))
        if after is not None:
            g.add((ref, DCAT.next, uri(after.id)))


def _stub(g: Graph, series: model.Package, ref: URIRef) -> None:
    """The series' type, title and description as its own fragment states them."""
    title = series.title or series.name
    g.add((ref, RDF.type, DCAT.DatasetSeries))
    g.add((ref, DCT.title, Literal(title)))
    notes = series.notes if series.notes and series.notes.strip() else title
    g.add((ref, DCT.description, Literal(notes)))


def parse(g: Graph, ref: Node) -> list[str]:
    """The URIs of the series a dataset is part of (``dcat:inSeries``), for ``in_series``:
    ours or another catalog's, resolved to the harvested copies on import."""
    return sorted(str(s) for s in g.objects(ref, DCAT.inSeries) if isinstance(s, URIRef))
