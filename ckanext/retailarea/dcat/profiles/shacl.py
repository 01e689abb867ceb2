"""SHACL validation of DCAT output against DCAT-AP 3.0.1 and DCAT-AP-NL 3.0, offline.

The shapes and the EU code lists they refer to ship in ``shacl/`` (sources and licences in
``shacl/NOTICE.md``); nothing is fetched. Shape sets, combinable:

- ``dcat-ap-3``: SEMIC's combined DCAT-AP 3.0.1 shapes (cardinalities, node kinds, ranges);
- ``dcat-ap-3-vocabularies``: DCAT-AP's controlled-vocabulary shapes (values must be in the
  EU authority tables);
- ``dcat-ap-nl``: DCAT-AP-NL 3.0 mandatory shapes incl. class ranges and code-list ranges;
- ``dcat-ap-nl-recommended``: DCAT-AP-NL 3.0 recommended properties (warnings).

Example::

    >>> report = validate(graph)
    >>> report.conforms, [f.message for f in report.violations]
"""
from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

import pyshacl
from rdflib import RDF, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

SH = Namespace("http://www.w3.org/ns/shacl#")
# The message DCAT-AP-NL's shapes give instead of sh:message.
EUSH_MESSAGE = URIRef("https://purl.eu/ns/shacl#message")
DATA_PACKAGE = "ckanext.retailarea.dcat.profiles"

SHAPE_SETS: dict[str, tuple[str, ...]] = {
    "dcat-ap-3": ("dcat_ap_3/dcat-ap-SHACL.ttl",),
    "dcat-ap-3-vocabularies": ("dcat_ap_3/mdr-vocabularies.shape.ttl",),
    "dcat-ap-nl": (
        "dcat_ap_nl/dcat-ap-nl-SHACL.ttl",
        "dcat_ap_nl/dcat-ap-nl-SHACL-klassebereik.ttl",
        "dcat_ap_nl/dcat-ap-nl-SHACL-klassebereik-codelijsten.ttl",
    ),
    "dcat-ap-nl-recommended": ("dcat_ap_nl/dcat-ap-nl-SHACL-aanbevolen.ttl",),
}
DEFAULT_SHAPES = ("dcat-ap-3", "dcat-ap-nl")
VOCABULARY_FILES = (
    "eu_vocabularies/access-right-skos.rdf",
    "eu_vocabularies/data-theme-skos.rdf",
    "eu_vocabularies/frequencies-skos.rdf",
    "eu_vocabularies/filetypes-skos.rdf",
    "eu_vocabularies/licences-skos.rdf",
    "eu_vocabularies/language-excerpt.ttl",
)
# What a code list says about its terms that the shapes look at.
_BACKGROUND_PREDICATES = (RDF.type, SKOS.inScheme, SKOS.prefLabel, DCTERMS.title)


@dataclass(frozen=True)
class Finding:
    """One SHACL result: ``severity`` is ``Violation``, ``Warning`` or ``Info``."""

    severity: str
    focus_node: str
    path: str | None
    message: str
    value: str | None
    shape: str

    def __str__(self) -> str:
        where = f"{self.focus_node} {self.path or ''}".strip()
        return f"{self.severity}: {where}: {self.message}" + (
            f" (value {self.value})" if self.value else "")


@dataclass(frozen=True)
class Report:
    """Validation results. Only violations make a graph non-conformant; warnings and
    infos (recommended properties, unmanaged code lists) are reported apart."""

    findings: tuple[Finding, ...]

    def _of(self, severity: str) -> list[Finding]:
        return [f for f in self.findings if f.severity == severity]

    @property
    def violations(self) -> list[Finding]:
        return self._of("Violation")

    @property
    def warnings(self) -> list[Finding]:
        return self._of("Warning")

    @property
    def infos(self) -> list[Finding]:
        return self._of("Info")

    @property
    def conforms(self) -> bool:
        return not self.violations

    def summary(self) -> str:
        lines = [f"{len(self.violations)} violations, {len(self.warnings)} warnings, "
                 f"{len(self.infos)} infos"]
        return "\n".join(lines + [str(f) for f in self.findings])


def validate(
    data_graph: Graph,
    shapes: Iterable[str] = DEFAULT_SHAPES,
    vocabularies: bool = True,
) -> Report:
    """Validate ``data_graph`` (left unchanged) against the named shape sets.

    With ``vocabularies`` the EU code-list entries of the terms the graph uses are added
    to a copy of it first, as SEMIC advises for offline checks: shapes then see their
    skos:Concept type, labels and scheme.
    """
    names = tuple(shapes)
    unknown = set(names) - set(SHAPE_SETS)
    if unknown:
        raise ValueError(f"unknown shape sets {sorted(unknown)}; known: {sorted(SHAPE_SETS)}")
    data = Graph()
    for triple in data_graph.triples((None, None, None)):
        data.add(triple)
    if vocabularies:
        _add_background(data)
    shapes_graph = _shapes(names)
    _, results, _ = pyshacl.validate(
        data, shacl_graph=shapes_graph, inference="none", allow_warnings=True,
        allow_infos=True,
    )
    if not isinstance(results, Graph):  # a graph unless a serialization is asked for
        raise TypeError(f"pyshacl answered a {type(results).__name__}, not a graph")
    return Report(tuple(_findings(results, shapes_graph)))


def _findings(results: Graph, shapes_graph: Graph) -> Iterable[Finding]:
    # Only the report's own results: those nested under sh:detail explain a warning of a
    # sh:node check and carry their own (default Violation) severity.
    report = results.value(predicate=RDF.type, object=SH.ValidationReport)
    for result in results.objects(report, SH.result):
        shape = results.value(result, SH.sourceShape)
        message = (_english(shapes_graph, shape, EUSH_MESSAGE)
                   or str(results.value(result, SH.resultMessage) or ""))
        yield Finding(
            severity=str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            focus_node=str(results.value(result, SH.focusNode)),
            path=_optional(results.value(result, SH.resultPath)),
            message=message,
            value=_optional(results.value(result, SH.value)),
            shape=str(shape),
        )


def _optional(node) -> str | None:
    return None if node is None else str(node)


def _english(graph: Graph, subject, predicate) -> str | None:
    if subject is None:
        return None
    texts = [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]
    return next((str(t) for t in texts if t.language in (None, "en")), None)


def _read(path: str) -> tuple[str, str]:
    text = (resources.files(DATA_PACKAGE) / "shacl" / path).read_text(encoding="utf-8")
    return text, "xml" if path.endswith(".rdf") else "turtle"


@functools.cache
def _shapes(names: tuple[str, ...]) -> Graph:
    # Cached per process: the files are package data and never change while it runs.
    graph = Graph()
    for name in names:
        for path in SHAPE_SETS[name]:
            text, fmt = _read(path)
            graph.parse(data=text, format=fmt)
    _drop_dangling_properties(graph)
    return graph


def _drop_dangling_properties(graph: Graph) -> None:
    """DCAT-AP 3.0.1's DataService shape lists property shapes the file never defines;
    pyshacl refuses such a shape graph as soon as a dcat:DataService is validated."""
    for shape, _, prop in list(graph.triples((None, SH.property, None))):
        if (prop, None, None) not in graph:
            graph.remove((shape, SH.property, prop))


@functools.cache
def _vocabularies() -> Graph:
    graph = Graph()
    for path in VOCABULARY_FILES:
        text, fmt = _read(path)
        graph.parse(data=text, format=fmt)
    return graph


def _add_background(data: Graph) -> None:
    """Copy from the EU code lists what they state about the terms ``data`` uses."""
    vocabulary = _vocabularies()
    used = {o for o in data.objects() if isinstance(o, URIRef)}
    for term in used:
        for predicate in _BACKGROUND_PREDICATES:
            for value in vocabulary.objects(term, predicate):
                data.add((term, predicate, value))
