"""Keeps each dataset's DCAT triples when it is saved, and streams the whole catalog by
concatenating them: no graph of the whole catalog is ever built, so memory stays flat.

N-Triples are stored: each line stands alone, and N-Triples is also valid Turtle, so both
formats stream as plain concatenation; JSON-LD streams one expanded node list per dataset.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.utils import dataset_uri
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT

from ckanext.retailarea.model.access import now
from ckanext.retailarea.model.dcat import DatasetRDF
from ckanext.retailarea.profiles import serialize

FORMATS = ("nt", "ttl", "jsonld")
BATCH = 200


def refresh(package_id: str) -> DatasetRDF | None:
    """Recompute one dataset's triples; a dataset that may not be exported loses them.
    Runs inside the saving action's transaction: its commit stores both or neither."""
    existing = model.Session.get(DatasetRDF, package_id)
    dataset = _dataset(package_id)
    if dataset is None or dataset.get("private") or not serialize.exportable(dataset):
        if existing is not None:
            model.Session.delete(existing)
        return None
    serializer = RDFSerializer()
    serializer.graph_from_dataset(dataset)
    row = existing or DatasetRDF(package_id=package_id)
    row.name = dataset["name"]
    row.dataset_uri = dataset_uri(dataset)
    row.ntriples = serializer.g.serialize(format="nt")
    row.modified = now()
    model.Session.add(row)
    return row


def forget(id_or_name: str) -> None:
    """package_delete hands its hooks the id or name the caller used."""
    package = model.Package.get(id_or_name)
    row = model.Session.get(DatasetRDF, package.id if package else id_or_name)
    if row is not None:
        model.Session.delete(row)


def rebuild(progress=None) -> int:
    """Recompute every dataset (after changing the profile, an organization or an area)."""
    ids = [pid for (pid,) in model.Session.query(model.Package.id).filter(
        model.Package.state == "active", model.Package.type != "harvest")]
    for done, package_id in enumerate(ids, start=1):
        refresh(package_id)
        if done % BATCH == 0:
            model.Session.commit()
            if progress:
                progress(done, len(ids))
    model.Session.commit()
    if progress:
        progress(len(ids), len(ids))
    return len(ids)


def _dataset(package_id: str) -> dict[str, Any] | None:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    try:
        dataset = tk.get_action("package_show")(
            {"user": site_user["name"], "ignore_auth": True, "use_cache": False},
            {"id": package_id})
    except tk.ObjectNotFound:
        return None
    return dataset if dataset.get("state") == "active" else None


def rows() -> Iterator[DatasetRDF]:
    query = model.Session.query(DatasetRDF).order_by(DatasetRDF.name)
    yield from query.yield_per(BATCH)


def catalog_graph() -> tuple[Graph, URIRef]:
    """The catalog's own description, without its datasets."""
    serializer = RDFSerializer()
    catalog_ref = serializer.graph_from_catalog()
    return serializer.g, catalog_ref


def stream(fmt: str) -> Iterator[str]:
    """The whole catalog in ``fmt`` (nt, ttl or jsonld), chunk by chunk."""
    if fmt not in FORMATS:
        raise tk.ValidationError({"format": [f"use one of {', '.join(FORMATS)}"]})
    header, catalog_ref = catalog_graph()
    if fmt == "jsonld":
        yield from _jsonld(header, catalog_ref)
        return
    yield header.serialize(format="nt")
    for row in rows():
        yield f"<{catalog_ref}> <{DCAT.dataset}> <{row.dataset_uri}> .\n"
        yield row.ntriples if row.ntriples.endswith("\n") else row.ntriples + "\n"


def _jsonld(header: Graph, catalog_ref: URIRef) -> Iterator[str]:
    yield "["
    yield _expanded(header)
    for row in rows():
        graph = Graph().parse(data=row.ntriples, format="nt")
        graph.add((catalog_ref, DCAT.dataset, URIRef(row.dataset_uri)))
        yield ",\n" + _expanded(graph)
    yield "]\n"


def _expanded(graph: Graph) -> str:
    """Expanded JSON-LD node objects, without the surrounding brackets."""
    nodes = json.loads(graph.serialize(format="json-ld"))
    return ",\n".join(json.dumps(node, ensure_ascii=False) for node in nodes)


def count() -> int:
    return model.Session.query(DatasetRDF).count()


