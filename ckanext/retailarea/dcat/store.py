"""Keeps each dataset's DCAT when it is saved, and streams the whole catalog by
concatenating it: no graph of the whole catalog is ever built, so memory stays flat.

Each dataset is kept as N-Triples and as Turtle, JSON-LD and RDF/XML fragments written
with one fixed prefix table (dcat/formats.py), so every format is plain concatenation.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import DCAT
from ckanext.dcat.utils import dataset_uri
from rdflib import Graph, URIRef

from ckanext.retailarea.dcat import conformance, formats
from ckanext.retailarea.dcat.profiles import serialize
from ckanext.retailarea.metadata import series
from ckanext.retailarea.model.access import now
from ckanext.retailarea.model.dcat import DatasetRDF

FORMATS = ("nt", "ttl", "jsonld", "xml")
COLUMN = {"nt": "ntriples", "ttl": "turtle", "jsonld": "jsonld", "xml": "rdfxml"}
BATCH = 200


def refresh(package_id: str, table: dict[str, str] | None = None,
            parts: bool = True) -> DatasetRDF | None:
    """Recompute one dataset's fragments; a dataset that may not be exported loses them.
    Runs inside the saving action's transaction: its commit stores both or neither.
    ``parts=False``: it is known not to be a series (no look for its parts)."""
    existing = model.Session.get(DatasetRDF, package_id)
    row = build(package_id, table, existing, parts)
    if row is None and existing is not None:
        model.Session.delete(existing)
    elif row is not None:
        model.Session.add(row)
    return row


def saved(package_id: str) -> DatasetRDF | None:
    """After a save: this dataset's fragments, and those of the datasets of its series
    (before and after the save), whose navigation may have changed with it. Each kept
    dataset is checked again after the commit."""
    previous = _series_kept(package_id)
    own = series.kept_as_series(package_id)
    row = refresh(package_id, parts=own)
    for other in series.related(package_id, previous, own):
        if refresh(other) is not None:
            conformance.schedule(other)
    return row


def table_loaded(resource_id: str) -> DatasetRDF | None:
    """After a table load: the dataset's fragments, as after a save. The DataStore's data
    service serves it from now on, and CKAN 2.11 marks the resource ``datastore_active``
    without a package_update (so without ``after_dataset_update``); 2.12 does patch it."""
    resource = model.Resource.get(resource_id)
    if resource is None or resource.package_id is None:
        return None
    return saved(resource.package_id)


def _series_kept(package_id: str) -> list[str]:
    """The series a dataset's kept fragments name (``dcat:inSeries``), by id."""
    row = model.Session.get(DatasetRDF, package_id)
    if row is None or not row.ntriples or "inSeries" not in row.ntriples:
        return []
    graph = Graph().parse(data=row.ntriples, format="nt")
    uris = [str(o) for o in graph.objects(URIRef(row.dataset_uri), DCAT.inSeries)]
    return [r.package_id for r in model.Session.query(DatasetRDF).filter(
        DatasetRDF.dataset_uri.in_(uris))] if uris else []


def build(package_id: str, table: dict[str, str] | None = None,
          row: DatasetRDF | None = None, parts: bool = True) -> DatasetRDF | None:
    """The fragments of one exportable dataset (into ``row``, or a new unsaved row);
    None when the dataset may not be exported."""
    dataset = _dataset(package_id)
    if dataset is None or dataset.get("private") or not serialize.exportable(dataset):
        return None
    if not parts:
        dataset[series.NOT_A_SERIES] = True
    serializer = formats.Serializer()
    serializer.graph_from_dataset(dataset)
    row = row or DatasetRDF(package_id=package_id)
    row.name = dataset["name"]
    row.dataset_uri = dataset_uri(dataset)
    for column, text in formats.fragments(serializer.g, table or formats.prefixes()).items():
        setattr(row, column, text)
    row.modified = now()
    return row


def forget(id_or_name: str) -> None:
    """package_delete hands its hooks the id or name the caller used. The datasets of its
    series lose it from their navigation."""
    package = model.Package.get(id_or_name)
    package_id = package.id if package else id_or_name
    previous = _series_kept(package_id)
    own = series.kept_as_series(package_id)
    row = model.Session.get(DatasetRDF, package_id)
    if row is not None:
        model.Session.delete(row)
    if not previous and not own:
        return
    if package is not None:
        # package_delete calls its hooks before it marks the dataset deleted (it does so
        # right after, in the same transaction); marked now, the navigation recomputed
        # below leaves it out.
        package.state = model.State.DELETED
    for other in series.related(package_id, previous, own):
        if refresh(other) is not None:
            conformance.schedule(other)


def rebuild(progress=None) -> int:
    """Recompute every dataset (after changing the profile, an organization or an area),
    and check each again once its batch commits."""
    ids = [pid for (pid,) in model.Session.query(model.Package.id).filter(
        model.Package.state == "active", model.Package.type != "harvest")]
    table = formats.prefixes()
    names = series.named()
    for done, package_id in enumerate(ids, start=1):
        if refresh(package_id, table, series.may_have_parts(package_id, names)) is not None:
            conformance.schedule(package_id)
        if done % BATCH == 0:
            model.Session.commit()
            if progress:
                progress(done, len(ids))
    model.Session.commit()
    if progress:
        progress(len(ids), len(ids))
    return len(ids)


def _dataset(package_id: str) -> dict[str, Any] | None:
    """The dataset as an internal call sees it (``ignore_auth``: nothing withheld, and
    no user to look up)."""
    try:
        dataset = tk.get_action("package_show")(
            {"ignore_auth": True, "use_cache": False}, {"id": package_id})
    except tk.ObjectNotFound:
        return None
    return dataset if dataset.get("state") == "active" else None


def rows() -> Iterator[DatasetRDF]:
    query = model.Session.query(DatasetRDF).order_by(DatasetRDF.name)
    yield from query.yield_per(BATCH)


def rows_for(ids: list[str]) -> list[DatasetRDF]:
    """The kept rows of ``ids``, in that order (ids without a row are left out)."""
    found = {row.package_id: row for row in
             model.Session.query(DatasetRDF).filter(DatasetRDF.package_id.in_(ids))}
    return [found[i] for i in ids if i in found]


def catalog_graph() -> tuple[Graph, URIRef]:
    """The catalog's own description, without its datasets."""
    serializer = formats.Serializer()
    catalog_ref = serializer.graph_from_catalog()
    return serializer.g, catalog_ref


def stream(fmt: str) -> Iterator[str]:
    """The whole catalog in ``fmt`` (nt, ttl, jsonld or xml), chunk by chunk."""
    if fmt not in FORMATS:
        raise tk.ValidationError({"format": [f"use one of {', '.join(FORMATS)}"]})
    header, catalog_ref = catalog_graph()
    yield from compose(fmt, header, catalog_ref, rows())


def compose(fmt: str, header: Graph, catalog_ref: URIRef,
            kept: Iterable[DatasetRDF]) -> Iterator[str]:
    """One document: ``header`` (the catalog, paging), then each kept dataset."""
    table = formats.prefixes()
    ref = str(catalog_ref)
    separator = ",\n" if fmt == "jsonld" else ""
    yield {"nt": "", "ttl": formats.turtle_header(table), "jsonld": "[\n",
           "xml": formats.rdfxml_header(table)}[fmt]
    yield _format(header, fmt, table)
    for row in kept:
        yield separator + formats.dataset_link(fmt, ref, row.dataset_uri)
        yield separator + fragment(row, fmt, table)
    yield {"nt": "", "ttl": "", "jsonld": "\n]\n", "xml": formats.RDFXML_FOOTER}[fmt]


def fragment(row: DatasetRDF, fmt: str, table: dict[str, str]) -> str:
    """A row's stored fragment; rows kept before a format was stored get it computed."""
    text = getattr(row, COLUMN[fmt])
    if text is None:
        text = _format(Graph().parse(data=row.ntriples, format="nt"), fmt, table)
    return text if text.endswith("\n") or fmt == "jsonld" else text + "\n"


def _format(graph: Graph, fmt: str, table: dict[str, str]) -> str:
    if fmt == "nt":
        return graph.serialize(format="nt")
    if fmt == "ttl":
        return formats.turtle(graph, table)
    if fmt == "jsonld":
        return formats.jsonld(graph)
    return formats.rdfxml(graph, table)


def count() -> int:
    return model.Session.query(DatasetRDF).count()


