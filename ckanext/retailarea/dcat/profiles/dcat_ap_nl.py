"""The ``retailarea_dcat_ap_nl`` RDF profile: DCAT-AP-NL 3.0 for retail-area datasets.

Runs after ``euro_dcat_ap_3`` (``ckanext.dcat.rdf.profiles = euro_dcat_ap_3
retailarea_dcat_ap_nl``) and turns its generic output into what DCAT-AP 3.0.1 and
DCAT-AP-NL 3.0 require, with our fields as EU, DPV and ODRL terms. The field-by-field
mapping lives in ``serialize`` (export), ``catalog`` and ``parse`` (import).
"""
from __future__ import annotations

import json
from typing import Any

from ckanext.dcat.profiles import RDFProfile
from rdflib import URIRef
from rdflib.term import Node

from ckanext.retailarea.dcat.profiles import catalog, parse, serialize, series, services


class RetailAreaDCATAPNLProfile(RDFProfile):
    """DCAT-AP-NL 3.0 with access levels, purposes (DPV, ODRL), retail areas and the
    type-specific fields of the retail-area dataset types. Non-public datasets produce no
    triples at all; restricted ones never show a file URL."""

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        serialize.dataset(self.g, dataset_dict, dataset_ref)
        if serialize.exportable(dataset_dict):
            services.serving(self.g, dataset_dict, dataset_ref)
            series.describe(self.g, dataset_dict, dataset_ref)

    def graph_from_catalog(self, catalog_dict: dict[str, Any] | None, catalog_ref: URIRef):
        catalog.describe(self.g, catalog_dict, catalog_ref)

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> dict[str, Any]:
        dataset_dict = parse.dataset(self.g, dataset_dict, dataset_ref)
        found = services.parse(self.g, dataset_ref)
        if found:
            dataset_dict["extras"].append({"key": "data_services", "value": json.dumps(found)})
        dataset_dict["in_series"] = series.parse(self.g, dataset_ref)
        return dataset_dict
