"""Parse a harvested RDF page without letting it reach anything beyond its own bytes.

- RDF/XML: a DOCTYPE or ENTITY declaration is refused (defusedxml) before rdflib sees the
  document, so neither external entities nor entity-expansion bombs are processed.
- JSON-LD: the document is read as JSON first; a ``@context`` (or ``@import``) that names a
  URL instead of holding the context inline is refused, so rdflib never fetches one.
- Turtle, N-Triples, N3: no entities and no remote references; rdflib parses them as is.
"""
from __future__ import annotations

import json
from typing import Any

import defusedxml
import defusedxml.ElementTree
import rdflib
from rdflib.plugins.parsers.jsonld import to_rdf

FORMATS = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "text/n3": "n3",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
}
NAMES = {"turtle", "ttl", "nt", "n3", "xml", "json-ld", "jsonld"}
MAX_JSON_DEPTH = 64


class RDFError(ValueError):
    """The page is not RDF we are willing to read; the message says why."""


def guess_format(content_type: str, url: str, body: str, configured: str | None) -> str:
    """The rdflib format: the source config's ``rdf_format``, else the media type, else
    the file extension, else a look at the first characters."""
    if configured:
        return _normalised(configured)
    if content_type in FORMATS:
        return FORMATS[content_type]
    guessed = rdflib.util.guess_format(url.split("?", 1)[0])
    if guessed:
        return _normalised(guessed)
    start = body.lstrip()[:1]
    return {"<": "xml", "{": "json-ld", "[": "json-ld"}.get(start, "turtle")


def _normalised(name: str) -> str:
    name = name.lower()
    if name not in NAMES and name not in FORMATS:
        raise RDFError(f"unsupported RDF format {name!r}")
    return {"ttl": "turtle", "jsonld": "json-ld"}.get(name, FORMATS.get(name, name))


def parse(text: str, rdf_format: str, base: str | None = None,
          into: rdflib.Graph | None = None) -> rdflib.Graph:
    """A graph of ``text`` in ``rdf_format`` (added to ``into`` if given); RDFError for
    unsafe or broken input."""
    graph = rdflib.Graph() if into is None else into
    try:
        if rdf_format == "xml":
            _refuse_dtd(text)
            graph.parse(data=text, format="xml", publicID=base)
        elif rdf_format == "json-ld":
            data = _json(text)
            _refuse_remote_contexts(data)
            to_rdf(data, graph, base=base)
        else:
            graph.parse(data=text, format=rdf_format, publicID=base)
    except RDFError:
        raise
    except Exception as error:  # noqa: BLE001 - rdflib's parsers raise many unrelated types
        raise RDFError(f"not valid {rdf_format}: {_short(error)}") from None
    return graph


def _short(error: Exception) -> str:
    return str(error).strip().splitlines()[0][:300] if str(error).strip() else type(
        error).__name__


def _refuse_dtd(text: str) -> None:
    try:
        defusedxml.ElementTree.fromstring(
            text.encode("utf-8"), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (defusedxml.DTDForbidden, defusedxml.EntitiesForbidden,
            defusedxml.ExternalReferenceForbidden):
        raise RDFError("XML with a DOCTYPE or entity declarations is refused") from None
    except Exception as error:  # noqa: BLE001 - any other parse failure is bad input too
        raise RDFError(f"not valid XML: {_short(error)}") from None


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as error:
        raise RDFError(f"not valid JSON: {error}") from None


def _refuse_remote_contexts(node: Any, depth: int = 0) -> None:
    if depth > MAX_JSON_DEPTH:
        raise RDFError("JSON-LD nests too deep")
    if isinstance(node, list):
        for item in node:
            _refuse_remote_contexts(item, depth + 1)
    elif isinstance(node, dict):
        for key in ("@context", "@import"):
            if key in node:
                _check_context(node[key])
        for value in node.values():
            _refuse_remote_contexts(value, depth + 1)


def _check_context(context: Any) -> None:
    items = context if isinstance(context, list) else [context]
    if any(isinstance(item, str) for item in items):
        raise RDFError(
            "JSON-LD with a remote @context is refused; the context must be inline")
