"""Source types `dcat_rdf` and `dcat_json`: ckanext-dcat's, through our pipeline.

They keep the stock names, so existing sources keep working, and replace the stock
plugins in ``ckan.plugins`` (``retailarea_dcat_rdf_harvester``,
``retailarea_dcat_json_harvester``). What changes against the stock harvesters:

- pages are read by the safe fetcher and parsed by ``rdf.py`` (no DOCTYPE, no remote
  JSON-LD context), next-page loops are detected;
- ckanext-dcat's profiles (``ckanext.dcat.rdf.profiles``, with ours) still turn each
  dcat:Dataset into fields, then our mapping, provenance and access rules apply, so a
  catalog running this extension federates its access level, purposes, legal basis,
  retail areas and dataset type;
- an unchanged dataset is recognised by a fingerprint of its own triples before any
  profile runs, and a new or changed one costs one package_create or package_update.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from importlib.metadata import entry_points
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.dcat.processors import (
    DEFAULT_RDF_PROFILES,
    RDF_PROFILES_CONFIG_OPTION,
    RDF_PROFILES_ENTRY_POINT_GROUP,
    RDFParser,
)
from ckanext.dcat.profiles import DCAT, DCT, FOAF, RDF, RDFS, SKOS
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ckanext.retailarea.dcat.profiles import mapping as dcat_mapping
from ckanext.retailarea.harvesters import http, paging, rdf
from ckanext.retailarea.harvesters.base import RetailAreaHarvester
from ckanext.retailarea.harvesters.record import Record
from ckanext.retailarea.harvesters.source_config import SourceConfig

RDF_ACCEPT = ("text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8, "
              "application/n-triples;q=0.7")
CARRIED = ("type", "access_level", "access_reason", "contains_personal_data",
           "permitted_purposes", "legal_basis", "usage_conditions", "retention_period",
           "temporal_resolution", "conforms_to", "language", "in_series")
MAX_BNODE_DEPTH = 6


class RDFItem:
    """One dcat:Dataset of a page: the page's graph and parser, the dataset node and the
    RDF profiles that read it."""

    def __init__(self, parser: RDFParser, ref: Node, profiles: list[type]):
        self.parser, self.ref, self.profiles = parser, ref, profiles

    @property
    def graph(self) -> Graph:
        return self.parser.g


class RetailAreaDCATRDFHarvester(RetailAreaHarvester):
    EXTRA_KEYS = {"rdf_format": str}

    def info(self) -> dict[str, Any]:
        return {
            "name": "dcat_rdf",
            "title": "DCAT RDF (DCAT-AP, DCAT-AP-NL, Hydra paging)",
            "description": "A DCAT catalog in Turtle, RDF/XML or JSON-LD, paged with Hydra, "
                           "e.g. a ckanext-dcat /catalog.ttl or an ArcGIS Hub DCAT-AP feed. "
                           "Config: see docs/harvesting.md.",
        }

    def validate_config(self, config: str | None) -> str | None:
        config = super().validate_config(config)
        fmt = json.loads(config).get("rdf_format") if config and config.strip() else None
        if fmt:
            try:
                rdf.guess_format("", "", "", fmt)
            except rdf.RDFError as error:
                raise ValueError(f"rdf_format: {error}") from None
        return config

    def pages(self, url: str, cfg: SourceConfig) -> Iterator[tuple[str, list[Any]]]:
        return paging.link_pages(url, lambda page_url: _read_rdf(page_url, cfg))

    def quick_key(self, item: RDFItem) -> tuple[str, str] | None:
        guid = _guid(item.graph, item.ref)
        return (guid, _fingerprint(item.graph, item.ref)) if guid else None

    def identifier_of(self, item: RDFItem) -> str | None:
        return _text(item.graph.value(item.ref, DCT.identifier))

    def record(self, item: RDFItem, page_url: str, cfg: SourceConfig) -> Record:
        g, ref = item.graph, item.ref
        guid = _guid(g, ref)
        if not guid:
            raise ValueError("a dcat:Dataset without URI or dct:identifier")
        data = _profile_dict(item)
        return Record(
            original_id=guid,
            original_uri=str(ref) if isinstance(ref, URIRef) else None,
            identifier=_text(g.value(ref, DCT.identifier)),
            page_url=data.get("url"),
            title=data.get("title") or guid,
            notes=data.get("notes") or "",
            tags=[t["name"] for t in data.get("tags") or []],
            licence=data.get("license_id") or _raw_licence(g, ref),
            themes=[t for t in (_label(g, o) for o in g.objects(ref, DCAT.theme)) if t],
            frequency=_text(g.value(ref, DCT.accrualPeriodicity)),
            temporal_start=data.get("temporal_start"),
            temporal_end=data.get("temporal_end"),
            spatial=data.get("spatial"),
            publisher=_publisher(g, ref),
            maintainer=data.get("maintainer"),
            maintainer_email=data.get("maintainer_email"),
            access=None if data.get("access_level") else _raw_access(g, ref),
            modified=_text(g.value(ref, DCT.modified)),
            resources=[_resource(r) for r in data.get("resources") or []],
            fields=_carried(data),
        )


def _read_rdf(url: str, cfg: SourceConfig) -> tuple[list[Any], str | None]:
    page = http.fetch(url, accept=RDF_ACCEPT)
    text = page.text()
    try:
        fmt = rdf.guess_format(page.content_type, page.url, text, cfg.extra.get("rdf_format"))
        parser = RDFParser()
        graph = rdf.parse(text, fmt, base=page.url, into=parser.g)
    except rdf.RDFError as error:
        raise paging.PageError(f"{url}: {error}") from None
    profiles = rdf_profiles()
    # A series typed only dcat:DatasetSeries (as stock ckanext-dcat writes it) is a
    # dataset too; ours are typed both.
    refs = dict.fromkeys([*graph.subjects(RDF.type, DCAT.Dataset),
                          *graph.subjects(RDF.type, DCAT.DatasetSeries)])
    items = [RDFItem(parser, ref, profiles) for ref in refs]
    return items, parser.next_page()


def rdf_profiles() -> list[type]:
    """The profile classes ckanext-dcat's parser runs (``ckanext.dcat.rdf.profiles``, in
    that order), loaded from the ``ckan.rdf.profiles`` entry points, its documented
    extension point, as its parser loads them: a dataset node is read on its own, which
    ``RDFParser.datasets()`` (every node of the graph) cannot do."""
    names = (tk.config.get(RDF_PROFILES_CONFIG_OPTION) or "").split() or DEFAULT_RDF_PROFILES
    found = {ep.name: ep for ep in entry_points(group=RDF_PROFILES_ENTRY_POINT_GROUP)}
    return [found[name].load() for name in names]


def _profile_dict(item: RDFItem) -> dict[str, Any]:
    """What ckanext-dcat's profiles (euro_dcat_ap_3 and ours) read from one dataset; the
    same loop as RDFParser.datasets(), for one dataset node."""
    data: dict[str, Any] = {}
    for profile_class in item.profiles:
        profile = profile_class(item.graph, dataset_type=item.parser.dataset_type,
                                compatibility_mode=item.parser.compatibility_mode)
        profile.parse_dataset(data, item.ref)
    return data


def _guid(g: Graph, ref: Node) -> str | None:
    if isinstance(ref, URIRef):
        return str(ref)
    return _text(g.value(ref, DCT.identifier))


def _fingerprint(g: Graph, ref: Node) -> str:
    """sha256 of the dataset's own triples and those of the nodes it points at (its
    distributions, contact, publisher), blank nodes written by content so that the same
    data parses to the same fingerprint."""
    lines = [f"{p.n3()} {_node(g, o, 0)}" for p, o in g.predicate_objects(ref)]
    for obj in {o for o in g.objects(ref) if isinstance(o, URIRef)}:
        lines += [f"{obj.n3()} {p.n3()} {_node(g, o, 1)}" for p, o in g.predicate_objects(obj)]
    return hashlib.sha256("\n".join(sorted(lines)).encode("utf-8")).hexdigest()


def _node(g: Graph, node: Node, depth: int) -> str:
    if not isinstance(node, BNode):
        return node.n3()
    if depth > MAX_BNODE_DEPTH:
        return "[...]"
    inner = sorted(f"{p.n3()} {_node(g, o, depth + 1)}" for p, o in g.predicate_objects(node))
    return "[" + "; ".join(inner) + "]"


def _text(node: Node | None) -> str | None:
    return str(node).strip() or None if node is not None else None


def _raw_licence(g: Graph, ref: Node) -> str | None:
    for dist in g.objects(ref, DCAT.distribution):
        for licence in g.objects(dist, DCT.license):
            return _label(g, licence)
    licence = g.value(ref, DCT.license)
    return _label(g, licence) if licence is not None else None


def _label(g: Graph, node: Node) -> str | None:
    """A URI or literal as text; a blank node (a licence or theme described in place) by
    its label, so that a license_map or theme_map key can name it. A blank node's own id
    changes with every parse: it is never the answer."""
    if not isinstance(node, BNode):
        return _text(node)
    for predicate in (RDFS.label, SKOS.prefLabel, DCT.title, DCT.identifier):
        value = g.value(node, predicate)
        if value is not None and not isinstance(value, BNode):
            return _text(value)
    return None


def _raw_access(g: Graph, ref: Node) -> str | None:
    rights = g.value(ref, DCT.accessRights)
    if rights is None:
        return None
    if isinstance(rights, BNode):
        label = g.value(rights, RDFS.label)
        return str(label) if label is not None else "unlabelled rights statement"
    return str(rights)


def _publisher(g: Graph, ref: Node) -> str | None:
    publisher = g.value(ref, DCT.publisher)
    if publisher is None:
        return None
    name = g.value(publisher, FOAF.name)
    return str(name) if isinstance(name, Literal) else None


def _resource(resource: dict[str, Any]) -> dict[str, Any]:
    return {
        "url": resource.get("download_url") or resource.get("url")
        or resource.get("access_url"),
        "name": resource.get("name"),
        "description": resource.get("description"),
        "format": resource.get("format"),
    }


def _carried(data: dict[str, Any]) -> dict[str, Any]:
    fields = {key: data[key] for key in CARRIED if data.get(key) not in (None, "", [])}
    for name in dcat_mapping.TYPE_FIELDS.get(data.get("type", ""), {}):
        if data.get(name):
            fields[name] = data[name]
    for extra in data.get("extras") or []:
        if extra["key"] == "retail_areas":
            fields["retail_areas"] = json.loads(extra["value"])
    return fields
