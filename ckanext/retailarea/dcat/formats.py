"""Per-dataset fragments in each RDF format, made to be concatenated into one document.

A catalog of N datasets is written as a header (prefixes, the catalog, paging), then each
dataset's stored fragment, then a footer. That only works when every fragment uses the
same prefixes as the header, so all fragments are written with one fixed prefix table
(other namespaces are written as full IRIs, or declared where used in RDF/XML).
Blank-node labels come from rdflib's random ids, so they never collide across fragments.
"""
from __future__ import annotations

import json
import re
from typing import Any
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox
from ckanext.dcat.processors import HYDRA, RDFSerializer
from rdflib import Graph
from rdflib.namespace import DCAT

# Characters XML 1.0 cannot carry at all, even escaped.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Declared on the RDF/XML root beside the prefix table (pyoxigraph declares them too).
XML_NAMESPACES = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                  "its": "http://www.w3.org/2005/11/its"}

# Profile classes by profile names: finding them among the installed entry points costs
# ~25 ms, more than serialising a whole dataset.
_PROFILE_CLASSES: dict[tuple[str, ...], list[Any]] = {}


class Serializer(RDFSerializer):
    """ckanext-dcat's serializer, with the profile lookup done once per process."""

    def _load_profiles(self, profile_names: list[str]) -> list[Any]:
        key = tuple(profile_names)
        if key not in _PROFILE_CLASSES:
            _PROFILE_CLASSES[key] = super()._load_profiles(profile_names)
        return _PROFILE_CLASSES[key]


CONTENT_TYPES = {
    "nt": "application/n-triples; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "jsonld": "application/ld+json; charset=utf-8",
    "xml": "application/rdf+xml; charset=utf-8",
}


def prefixes() -> dict[str, str]:
    """The fixed prefix table: every namespace the DCAT profiles bind, plus Hydra."""
    table = {prefix: str(ns) for prefix, ns in Serializer().g.namespaces() if prefix}
    table.setdefault("hydra", str(HYDRA))
    return table


def fragments(graph: Graph, table: dict[str, str]) -> dict[str, str]:
    """Every stored format of one dataset's graph (serialised by pyoxigraph: rdflib's
    Turtle and JSON-LD writers cost more than building the graph)."""
    ntriples = graph.serialize(format="nt")
    triples = _sorted(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    return {
        "ntriples": ntriples,
        "turtle": _turtle(triples, table),
        "jsonld": _jsonld(triples),
        "rdfxml": _rdfxml(triples, table),
    }


def turtle(graph: Graph, table: dict[str, str]) -> str:
    """Turtle statements without @prefix lines, using only prefixes from ``table``."""
    return _turtle(_triples(graph), table)


def jsonld(graph: Graph) -> str:
    """Expanded JSON-LD node objects, comma-separated, without the surrounding brackets."""
    return _jsonld(_triples(graph))


def rdfxml(graph: Graph, table: dict[str, str]) -> str:
    """``rdf:Description`` elements for the body of the root :func:`rdfxml_header`
    writes; namespaces outside ``table`` are declared on the element that uses them."""
    return _rdfxml(_triples(graph), table)


def turtle_header(table: dict[str, str]) -> str:
    return "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in sorted(table.items()))


def rdfxml_header(table: dict[str, str]) -> str:
    names = {**table, **XML_NAMESPACES}
    declarations = "".join(f"\n  xmlns:{prefix}={quoteattr(ns)}"
                           for prefix, ns in sorted(names.items()) if prefix != "xml")
    return f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{declarations}>\n'


RDFXML_FOOTER = "</rdf:RDF>\n"


def _triples(graph: Graph) -> list[Any]:
    return _sorted(ox.parse(graph.serialize(format="nt"), format=ox.RdfFormat.N_TRIPLES))


def _sorted(triples: Any) -> list[Any]:
    """By subject, so the writers group each subject's statements (they only group
    consecutive ones), and the output is the same on every save."""
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def _serialized(triples: list[Any], rdf_format: ox.RdfFormat,
                prefixes: dict[str, str] | None = None) -> bytes:
    """pyoxigraph's bytes (it answers None only when given a file to write to)."""
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes) or b""


def _turtle(triples: list[Any], table: dict[str, str]) -> str:
    text = _serialized(triples, ox.RdfFormat.TURTLE, table).decode()
    body = [line for line in text.splitlines() if not line.startswith("@prefix ")]
    return "\n".join(body).strip() + "\n"


def _jsonld(triples: list[Any]) -> str:
    nodes = json.loads(_serialized(triples, ox.RdfFormat.JSON_LD))
    return ",\n".join(json.dumps(node, ensure_ascii=False) for node in nodes)


def _rdfxml(triples: list[Any], table: dict[str, str]) -> str:
    """The body of pyoxigraph's RDF/XML; its root declares ``table`` and the namespaces
    of :data:`XML_NAMESPACES`, as our header does."""
    text = _serialized([_xml_safe(t) for t in triples], ox.RdfFormat.RDF_XML, table).decode()
    start = text.index(">", text.index("<rdf:RDF")) + 1
    return text[start:text.rindex("</rdf:RDF>")].strip("\n") + "\n"


def _xml_safe(triple: Any) -> Any:
    """XML 1.0 cannot carry some control characters at all, even escaped: those become
    U+FFFD in RDF/XML only (the other formats keep them)."""
    obj = triple.object
    if isinstance(obj, ox.Literal) and XML_ILLEGAL.search(obj.value):
        value = XML_ILLEGAL.sub("\ufffd", obj.value)
        obj = (ox.Literal(value, language=obj.language) if obj.language
               else ox.Literal(value, datatype=obj.datatype))
    return ox.Triple(triple.subject, triple.predicate, obj)


def dataset_link(fmt: str, catalog_ref: str, dataset_uri: str) -> str:
    """The ``dcat:dataset`` statement tying one dataset to the catalog, in ``fmt``."""
    if fmt in ("nt", "ttl"):
        return f"<{catalog_ref}> <{DCAT.dataset}> <{dataset_uri}> .\n"
    if fmt == "jsonld":
        return json.dumps({"@id": catalog_ref, str(DCAT.dataset): [{"@id": dataset_uri}]})
    return (f"<rdf:Description rdf:about={quoteattr(catalog_ref)}>"
            f"<dcat:dataset rdf:resource={quoteattr(dataset_uri)}/></rdf:Description>\n")
