"""The platform's APIs as DCAT-AP 3 data services (``dcat:DataService``).

The catalog lists each service (``dcat:service``) with everything DCAT-AP-NL requires of
one; each dataset's kept fragment adds ``<service> dcat:servesDataset <dataset>`` for the
services that serve it, so the catalog stays a concatenation of fragments:

- the CKAN Action API serves every exported dataset (its metadata);
- the DataStore API serves public datasets with a resource in the DataStore;
- ``retailarea_footfall_series`` serves public footfall datasets and
  ``retailarea_parking_occupancy_series`` public parking datasets.

Restricted datasets are served by the Action API only: their rows need a grant.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ckanext.dcat.profiles import DCAT, DCT, RDF, RDFS
from rdflib import Graph, Literal, URIRef

from ckanext.retailarea.dcat.profiles import mapping, serialize
from ckanext.retailarea.dcat.profiles.serialize import site_url


def _public(dataset: dict[str, Any]) -> bool:
    return dataset.get("access_level") == "public"


@dataclass(frozen=True)
class Service:
    key: str
    action: str
    title: dict[str, str]
    description: dict[str, str]
    theme: str
    serves: Callable[[dict[str, Any]], bool]

    def ref(self) -> URIRef:
        return URIRef(f"{site_url()}/api/3/action/{self.action}#service")

    def endpoint(self) -> URIRef:
        return URIRef(f"{site_url()}/api/3/action/{self.action}")

    def documentation(self) -> URIRef:
        """CKAN's own help for the action: the docstring, served by the site itself."""
        return URIRef(f"{site_url()}/api/3/action/help_show?name={self.action}")


SERVICES = (
    Service("ckan-action-api", "package_search",
            {"en": "CKAN Action API", "nl": "CKAN Action API"},
            {"en": "Search and read the catalog's metadata (package_search, package_show).",
             "nl": "Metadata van de catalogus zoeken en lezen (package_search, "
                   "package_show)."},
            "ECON", lambda dataset: True),
    Service("datastore-api", "datastore_search",
            {"en": "DataStore API", "nl": "DataStore-API"},
            {"en": "Query the rows of tables loaded into the DataStore.",
             "nl": "Rijen opvragen uit tabellen die in de DataStore zijn geladen."},
            "ECON", lambda dataset: _public(dataset) and any(
                r.get("datastore_active") for r in dataset.get("resources") or [])),
    Service("footfall-series", "retailarea_footfall_series",
            {"en": "Footfall series", "nl": "Passantenreeksen"},
            {"en": "Visitors per day, week, month, quarter or year, per sensor and area.",
             "nl": "Bezoekers per dag, week, maand, kwartaal of jaar, per sensor en "
                   "gebied."},
            "ECON", lambda dataset: _public(dataset) and dataset.get("type") == "footfall"),
    Service("parking-occupancy-series", "retailarea_parking_occupancy_series",
            {"en": "Parking occupancy series", "nl": "Reeksen parkeerbezetting"},
            {"en": "Occupancy per facility over time.",
             "nl": "Bezetting per parkeervoorziening in de tijd."},
            "TRAN", lambda dataset: _public(dataset) and dataset.get("type") == "parking"),
)


def serving(g: Graph, dataset_dict: dict[str, Any], ref: URIRef) -> None:
    """``dcat:servesDataset`` from each service that serves this dataset."""
    for service in SERVICES:
        if service.serves(dataset_dict):
            g.add((service.ref(), DCAT.servesDataset, ref))


def describe(g: Graph, catalog_ref: URIRef, publisher: URIRef, contact: URIRef) -> None:
    """Every service, listed on the catalog with what DCAT-AP-NL requires of it."""
    for service in SERVICES:
        ref = service.ref()
        g.add((catalog_ref, DCAT.service, ref))
        g.add((ref, RDF.type, DCAT.DataService))
        g.add((ref, DCT.identifier, Literal(str(ref))))
        for lang in ("en", "nl"):
            g.add((ref, DCT.title, Literal(service.title[lang], lang=lang)))
            g.add((ref, DCT.description, Literal(service.description[lang], lang=lang)))
        g.add((ref, DCAT.endpointURL, service.endpoint()))
        g.add((ref, DCAT.endpointDescription, service.documentation()))
        g.add((service.documentation(), RDF.type, RDFS.Resource))
        g.add((ref, DCT.publisher, publisher))
        g.add((ref, DCAT.contactPoint, contact))
        access = _code_uri("access_level", "public")
        g.add((ref, DCT.accessRights, access))
        g.add((access, RDF.type, DCT.RightsStatement))
        theme = _code_uri("theme", service.theme)
        g.add((ref, DCAT.theme, theme))
        serialize.concept(g, theme, serialize.vocab_labels("theme", service.theme))
        g.add((ref, DCT.license, _licence(g)))


def _licence(g: Graph) -> URIRef:
    """The services carry each dataset's data under that dataset's licence; CKAN's list
    of licences stands for them. An IRI, not a blank node: catalog pages merged by a
    harvester must still show one licence per service."""
    licence = URIRef(f"{site_url()}/api/3/action/license_list")
    g.add((licence, RDF.type, DCT.LicenseDocument))
    g.add((licence, RDFS.label, Literal("The licence of each dataset served", lang="en")))
    g.add((licence, RDFS.label, Literal("De licentie van elke geleverde dataset",
                                        lang="nl")))
    return licence


def parse(g: Graph, ref: Any) -> list[dict[str, str | None]]:
    """The data services that serve ``ref`` (ours or a foreign catalog's), for the
    ``data_services`` extra of an imported dataset."""
    found = []
    for node in sorted(g.subjects(DCAT.servesDataset, ref), key=str):
        endpoint = g.value(node, DCAT.endpointURL)
        if (node, RDF.type, DCAT.DataService) not in g or endpoint is None:
            continue
        description = g.value(node, DCAT.endpointDescription)
        found.append({
            "uri": str(node) if isinstance(node, URIRef) else None,
            "title": _title(g, node),
            "endpoint_url": str(endpoint),
            "endpoint_description": str(description) if description is not None else None,
        })
    return found


def _title(g: Graph, node: Any) -> str | None:
    titles = {t.language: str(t) for t in g.objects(node, DCT.title) if isinstance(t, Literal)}
    return titles.get("en") or titles.get(None) or next(iter(titles.values()), None)


def _code_uri(vocabulary: str, code: str) -> URIRef:
    """The URI of a code we name ourselves; a missing one is a bug in our vocabularies."""
    uri = mapping.code_uri(vocabulary, code)
    if uri is None:
        raise LookupError(f"{vocabulary} has no concept {code!r}")
    return uri
