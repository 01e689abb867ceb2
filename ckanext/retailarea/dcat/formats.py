"""Per-dataset fragments in each RDF format, made to be concatenated into one document.

A catalog of N datasets is written as a header (prefixes, the catalog, paging), then each
dataset's stored fragment, then a footer. That only works when every fragment uses the
same prefixes as the header, so all fragments are written with one fixed prefix table;
a Turtle fragment that needed a prefix outside it falls back to N-Triples (valid Turtle).
Blank-node labels come from rdflib's random ids, so they never collide across fragments.
"""
from __future__ import annotations

import json
import re
from xml.sax.saxutils import escape, quoteattr

from ckanext.dcat.processors import HYDRA, RDFSerializer
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT

NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
# Characters XML 1.0 cannot carry at all, even escaped.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
PREFIX_LINE = re.compile(r"^@prefix (\S*): <([^>]*)> \.$")

CONTENT_TYPES = {
    "nt": "application/n-triples; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "jsonld": "application/ld+json; charset=utf-8",
    "xml": "application/rdf+xml; charset=utf-8",
}


def prefixes() -> dict[str, str]:
    """The fixed prefix table: every namespace the DCAT profiles bind, plus Hydra."""
    table = {prefix: str(ns) for prefix, ns in RDFSerializer().g.namespaces() if prefix}
    table.setdefault("hydra", str(HYDRA))
    return table


def fragments(graph: Graph, table: dict[str, str]) -> dict[str, str]:
    """Every stored format of one dataset's graph."""
    return {
        "ntriples": graph.serialize(format="nt"),
        "turtle": turtle(graph, table),
        "jsonld": jsonld(graph),
        "rdfxml": rdfxml(graph, table),
    }


def turtle(graph: Graph, table: dict[str, str]) -> str:
    """Turtle statements without @prefix lines, using only prefixes from ``table``."""
    bound = Graph(bind_namespaces="none")
    for prefix, namespace in table.items():
        bound.bind(prefix, namespace, override=True, replace=True)
    for triple in graph:
        bound.add(triple)
    body = []
    for line in bound.serialize(format="turtle").splitlines():
        match = PREFIX_LINE.match(line)
        if match is None:
            body.append(line)
        elif table.get(match.group(1)) != match.group(2):
            return graph.serialize(format="nt")
    return "\n".join(body).strip() + "\n"


def turtle_header(table: dict[str, str]) -> str:
    return "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in sorted(table.items()))


def jsonld(graph: Graph) -> str:
    """Expanded JSON-LD node objects, comma-separated, without the surrounding brackets."""
    nodes = json.loads(graph.serialize(format="json-ld"))
    return ",\n".join(json.dumps(node, ensure_ascii=False) for node in nodes)


def rdfxml(graph: Graph, table: dict[str, str]) -> str:
    """``rdf:Description`` elements for the body of an ``rdf:RDF`` root that declares
    ``table`` (see :func:`rdfxml_header`); other namespaces are declared inline."""
    out = []
    for subject in sorted(set(graph.subjects()), key=str):
        out.append(f"<rdf:Description {_node_attr(subject, 'about')}>")
        for predicate, obj in sorted(graph.predicate_objects(subject)):
            out.append("  " + _property(predicate, obj, table))
        out.append("</rdf:Description>")
    return "\n".join(out) + "\n"


def rdfxml_header(table: dict[str, str]) -> str:
    declarations = "".join(f"\n  xmlns:{prefix}={quoteattr(ns)}"
                           for prefix, ns in sorted(table.items()) if prefix != "xml")
    return f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{declarations}>\n'


RDFXML_FOOTER = "</rdf:RDF>\n"


def dataset_link(fmt: str, catalog_ref: str, dataset_uri: str) -> str:
    """The ``dcat:dataset`` statement tying one dataset to the catalog, in ``fmt``."""
    if fmt in ("nt", "ttl"):
        return f"<{catalog_ref}> <{DCAT.dataset}> <{dataset_uri}> .\n"
    if fmt == "jsonld":
        return json.dumps({"@id": catalog_ref, str(DCAT.dataset): [{"@id": dataset_uri}]})
    return (f"<rdf:Description rdf:about={quoteattr(catalog_ref)}>"
            f"<dcat:dataset rdf:resource={quoteattr(dataset_uri)}/></rdf:Description>\n")


def _node_attr(node, kind: str) -> str:
    if isinstance(node, BNode):
        return f"rdf:nodeID={quoteattr(_node_id(node))}"
    return f"rdf:{kind}={quoteattr(_xml_text(str(node)))}"


def _node_id(node: BNode) -> str:
    return str(node) if NCNAME.match(str(node)) else "b" + re.sub(r"[^A-Za-z0-9_]", "_",
                                                                   str(node))


def _property(predicate: URIRef, obj, table: dict[str, str]) -> str:
    name, declaration = _qname(str(predicate), table)
    if isinstance(obj, Literal):
        attrs = ""
        if obj.language:
            attrs = f" xml:lang={quoteattr(obj.language)}"
        elif obj.datatype:
            attrs = f" rdf:datatype={quoteattr(str(obj.datatype))}"
        return f"<{name}{declaration}{attrs}>{escape(_xml_text(str(obj)))}</{name}>"
    return f"<{name}{declaration} {_node_attr(obj, 'resource')}/>"


def _qname(uri: str, table: dict[str, str]) -> tuple[str, str]:
    """An element name for a predicate: a prefix of ``table``, else an inline one."""
    for prefix, namespace in table.items():
        local = uri[len(namespace):]
        if uri.startswith(namespace) and NCNAME.match(local):
            return f"{prefix}:{local}", ""
    cut = max(uri.rfind("#"), uri.rfind("/")) + 1
    local = uri[cut:]
    if not cut or not NCNAME.match(local):
        raise ValueError(f"predicate {uri} cannot be written in RDF/XML")
    return f"ns0:{local}", f" xmlns:ns0={quoteattr(uri[:cut])}"


def _xml_text(text: str) -> str:
    return XML_ILLEGAL.sub("\ufffd", text)
