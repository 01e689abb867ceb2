"""DCAT triples -> the fields and codes of our dataset schema, after euro_dcat_ap_3 parsed.

euro_dcat_ap_3 leaves most values as URIs in ``extras`` (or, with scheming, at the root);
each step here sets the root field to our code and drops the raw value. Foreign catalogs
are read leniently: an unknown term is left out, never guessed and never an error, and
values our validators would refuse (a literal in ``conforms_to``) are dropped.
"""
from __future__ import annotations

import json
from typing import Any

import ckan.model as model
from ckan.lib.helpers import resource_formats
from ckanext.dcat.profiles import DCAT, DCT, GSP, LOCN, RDF, RDFS, SCHEMA, SKOS, VCARD
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ckanext.retailarea.dcat.profiles import geometry, mapping
from ckanext.retailarea.dcat.profiles.mapping import DPV, ODRL, RETAILAREA

# Repeating-subfield keys ckanext-dcat's scheming support fills whenever scheming is on;
# our schemas have none of them, and CKAN rejects unknown nested keys as "__junk".
SCHEMING_SUBFIELD_KEYS = (
    "contact", "publisher", "creator", "qualified_relation", "provenance_activity",
    "qualified_attribution", "temporal_coverage", "spatial_coverage",
)
TIME_PREDICATES = {
    "start": (DCAT.startDate, SCHEMA.startDate),
    "end": (DCAT.endDate, SCHEMA.endDate),
}


def dataset(g: Graph, dataset_dict: dict[str, Any], ref: Node) -> dict[str, Any]:
    record = _Record(dataset_dict)
    dataset_type = _dataset_type(g, ref)
    record.set("type", dataset_type)
    record.drop("dcat_type")
    _access(g, ref, record)
    _privacy(g, ref, record)
    _codes(g, ref, record)
    _temporal(g, ref, record)
    _spatial(g, ref, record)
    _conforms_to(g, ref, record)
    _retail_areas(g, ref, record)
    _contact(g, ref, record)
    _type_fields(g, ref, record, dataset_type)
    _licence(g, ref, record)
    _resources(g, ref, record)
    for key in SCHEMING_SUBFIELD_KEYS:
        dataset_dict.pop(key, None)
    return dataset_dict


class _Record:
    """The dataset dict being built: a field lives at the root, never also in extras."""

    def __init__(self, data: dict[str, Any]):
        self.data = data
        data.setdefault("extras", [])

    def extra_value(self, key: str) -> Any:
        return next((e["value"] for e in self.data["extras"] if e["key"] == key), None)

    def drop(self, *keys: str) -> None:
        self.data["extras"] = [e for e in self.data["extras"] if e["key"] not in keys]
        for key in keys:
            self.data.pop(key, None)

    def set(self, key: str, value: Any) -> None:
        """Set ``key`` at the root, or remove it when there is no value we can use."""
        self.drop(key)
        if value not in (None, "", []):
            self.data[key] = value

    def set_extra(self, key: str, value: Any) -> None:
        self.drop(key)
        self.data["extras"].append({"key": key, "value": value})


def _first(g: Graph, subject: Node, predicate: URIRef) -> Node | None:
    return next(iter(sorted(g.objects(subject, predicate), key=str)), None)


def _text(node: Node | None) -> str | None:
    return str(node).strip() or None if node is not None else None


def _dataset_type(g: Graph, ref: Node) -> str:
    found = (mapping.dataset_type_of(t) for t in g.objects(ref, DCT.type))
    return next((t for t in found if t), "dataset")


# --- access and privacy --------------------------------------------------------------


def _access(g: Graph, ref: Node, record: _Record) -> None:
    level = reason = None
    for rights in g.objects(ref, DCT.accessRights):
        for term in _terms(g, rights):
            level, reason = mapping.access_from_uri(term)
            if level:
                break
        if level:
            break
    own_reason = _first(g, ref, RETAILAREA.accessReason)
    if own_reason is not None:
        reason = mapping.code_of("access_reason", own_reason) or reason
    record.set("access_level", level)
    record.set("access_reason", reason)
    record.drop("access_rights")


def _terms(g: Graph, node: Node) -> list[str]:
    """A term itself, or the labels of a dct:RightsStatement node that names one."""
    if isinstance(node, BNode):
        return [str(label) for label in g.objects(node, RDFS.label)]
    return [str(node)]


def _privacy(g: Graph, ref: Node, record: _Record) -> None:
    if (ref, DPV.hasPersonalData, None) in g:
        record.set("contains_personal_data", True)
    elif any(str(o).endswith(("#NonPersonalData", "#AnonymisedData"))
             for o in g.objects(ref, DPV.hasData)):
        record.set("contains_personal_data", False)
    basis = _first(g, ref, DPV.hasLegalBasis)
    record.set("legal_basis", mapping.code_of("legal_basis", basis) if basis else None)
    purposes = {mapping.code_of("purpose", p) for p in g.objects(ref, DPV.hasPurpose)}
    purposes |= {mapping.code_of("purpose", p) for p in _policy_purposes(g, ref)}
    record.set("permitted_purposes", mapping.vocabulary_order("purpose", purposes - {None}))
    record.set("retention_period", _retention(g, ref))


def _policy_purposes(g: Graph, ref: Node) -> list[Node]:
    """The purposes of any odrl:purpose constraint in the dataset's ODRL policies (one
    value, several values or an rdf:List)."""
    found: list[Node] = []
    for policy in g.objects(ref, ODRL.hasPolicy):
        for rule in g.objects(policy, ODRL.permission):
            for constraint in g.objects(rule, ODRL.constraint):
                if (constraint, ODRL.leftOperand, ODRL.purpose) not in g:
                    continue
                for operand in g.objects(constraint, ODRL.rightOperand):
                    if isinstance(operand, BNode) and (operand, RDF.first, None) in g:
                        found.extend(Collection(g, operand))
                    else:
                        found.append(operand)
    return found


def _retention(g: Graph, ref: Node) -> str | None:
    for condition in g.objects(ref, DPV.hasStorageCondition):
        for node in [condition, *g.objects(condition, DPV.hasDuration)]:
            value = g.value(node, RDF.value)
            if isinstance(value, Literal):
                return str(value).strip() or None
        value = g.value(condition, DPV.hasDuration)
        if isinstance(value, Literal):
            return str(value).strip() or None
    return None


# --- codes, time and place -----------------------------------------------------------


def _codes(g: Graph, ref: Node, record: _Record) -> None:
    themes = {mapping.code_of("theme", t) for t in g.objects(ref, DCAT.theme)}
    record.set("theme", mapping.vocabulary_order("theme", themes - {None}))
    frequency = _first(g, ref, DCT.accrualPeriodicity)
    record.set("frequency", mapping.code_of("frequency", frequency) if frequency else None)
    for rights in g.objects(ref, DCT.rights):
        label = g.value(rights, RDFS.label) if isinstance(rights, BNode) else rights
        if isinstance(label, Literal) and str(label).strip():
            record.set("usage_conditions", str(label).strip())
            break
    resolution = _first(g, ref, DCAT.temporalResolution)
    record.set("temporal_resolution", _text(resolution))


def _temporal(g: Graph, ref: Node, record: _Record) -> None:
    """The first period with a start or end, as the day our date fields keep."""
    for period in g.objects(ref, DCT.temporal):
        found = {
            key: next((_text(g.value(period, p)) for p in predicates if g.value(period, p)), None)
            for key, predicates in TIME_PREDICATES.items()
        }
        if any(found.values()):
            record.set("temporal_start", mapping.day(found["start"]))
            record.set("temporal_end", mapping.day(found["end"]))
            return
    # euro_dcat_ap_3 also reads W3C Time intervals; keep what it found.
    for key in ("temporal_start", "temporal_end"):
        record.set(key, mapping.day(record.data.get(key) or record.extra_value(key)))


def _spatial(g: Graph, ref: Node, record: _Record) -> None:
    """The dataset's own geometry: ours (geo:hasGeometry), a DCAT-AP locn:geometry (literal
    or node) or, failing those, the bounding box. Retail areas are not the dataset's
    geometry."""
    areas = set(g.objects(ref, RETAILAREA.retailArea))
    found = None
    for location in g.objects(ref, DCT.spatial):
        if location not in areas:
            found = found or _location_geometry(g, location)
    record.set("spatial", found or record.data.get("spatial") or record.extra_value("spatial"))
    if found:
        record.drop("spatial_bbox", "spatial_centroid")
    # Our own names for places (areas, the dataset's ``#spatial``) are no spatial_uri/text.
    ours = areas | {o for o in g.objects(ref, DCT.spatial)
                    if isinstance(o, URIRef) and str(o).startswith(f"{ref}#")}
    for key in ("spatial_uri", "spatial_text"):
        if record.extra_value(key) and _is_place_value(g, ours, record.extra_value(key)):
            record.drop(key)


def _is_place_value(g: Graph, places: set[Node], value: str) -> bool:
    return any(value in (str(place), str(g.value(place, SKOS.prefLabel)))
               for place in places)


def _location_geometry(g: Graph, location: Node) -> str | None:
    nodes = [*g.objects(location, GSP.hasGeometry), *g.objects(location, LOCN.geometry)]
    for node in nodes:
        if isinstance(node, Literal):
            text = _geometry_literal(node)
        else:
            text = next(filter(None, map(_geometry_literal, [
                *g.objects(node, GSP.asGeoJSON), *g.objects(node, GSP.asWKT)])), None)
        if text:
            return text
    bbox = g.value(location, DCAT.bbox)
    return _geometry_literal(bbox) if isinstance(bbox, Literal) else None


def _geometry_literal(literal: Node) -> str | None:
    """GeoJSON text for a GeoJSON or WKT literal (GML is not read)."""
    if not isinstance(literal, Literal):
        return None
    text = geometry.as_text(str(literal))
    if text:
        return text
    if literal.datatype in (None, GSP.wktLiteral) or str(literal).lstrip()[:1].isalpha():
        return geometry.from_wkt(str(literal))
    return None


def _conforms_to(g: Graph, ref: Node, record: _Record) -> None:
    """Standards the dataset follows; our validator takes URIs only."""
    uris = sorted(str(o) for o in g.objects(ref, DCT.conformsTo)
                  if isinstance(o, URIRef) and str(o).startswith(("http://", "https://", "urn:")))
    record.set("conforms_to", uris)


def _retail_areas(g: Graph, ref: Node, record: _Record) -> None:
    """Retail areas travel as an extra (JSON): a harvester maps them to local groups,
    which may not exist, so they are not written to ``groups``."""
    areas = [
        {
            "uri": str(area),
            "name": _text(g.value(area, DCT.identifier)) or str(area).rstrip("/").split("/")[-1],
            "title": _text(g.value(area, SKOS.prefLabel)),
            "municipality_code": _text(g.value(area, RETAILAREA.municipalityCode)),
        }
        for area in sorted(g.objects(ref, RETAILAREA.retailArea), key=str)
    ]
    if areas:
        record.set_extra("retail_areas", json.dumps(areas))


# --- agents and licence --------------------------------------------------------------


def _contact(g: Graph, ref: Node, record: _Record) -> None:
    """maintainer / maintainer_email from the contact point, unless it is the
    organization's own contact that serialize.py adds when no maintainer was given."""
    publisher = g.value(ref, DCT.publisher)
    own_fallback = URIRef(f"{publisher}#contact") if isinstance(publisher, URIRef) else None
    for contact in sorted(g.objects(ref, DCAT.contactPoint), key=str):
        if contact == own_fallback:
            continue
        name = _text(g.value(contact, VCARD.fn)) or record.extra_value("contact_name")
        email = _text(g.value(contact, VCARD.hasEmail))
        record.set("maintainer", name)
        record.set("maintainer_email", email.removeprefix("mailto:") if email else None)
        break
    record.drop("contact_uri", "contact_name", "contact_email", "contact_identifier",
                "contact_url")


def _licence(g: Graph, ref: Node, record: _Record) -> None:
    for dist in sorted(g.objects(ref, DCAT.distribution), key=str):
        for licence in g.objects(dist, DCT.license):
            license_id = _licence_id(g, licence)
            if license_id:
                record.data["license_id"] = license_id
                return


def _licence_id(g: Graph, licence: Node) -> str | None:
    if isinstance(licence, URIRef):
        found = mapping.licence_id(str(licence))
        if found:
            return found
    register = model.Package.get_license_register()  # cached by CKAN
    identifier = _text(g.value(licence, DCT.identifier))
    if identifier and register.get(identifier) is not None:
        return identifier
    for license_id, licence_obj in register.items():
        if licence_obj.url and str(licence).rstrip("/") == licence_obj.url.rstrip("/"):
            return license_id
        if licence_obj.title == _text(g.value(licence, DCT.title)):
            return license_id
    return None


# --- type-specific fields ------------------------------------------------------------


def _type_fields(g: Graph, ref: Node, record: _Record, dataset_type: str) -> None:
    for field, predicate in mapping.TYPE_FIELDS.get(dataset_type, {}).items():
        value = _text(g.value(ref, predicate))
        if field in mapping.DATE_FIELDS:
            value = mapping.day(value)
        elif field in mapping.INTEGER_FIELDS and not (value or "").isdigit():
            value = None
        record.set(field, value)
    languages = {mapping.language_code(lang) for lang in g.objects(ref, DCT.language)}
    if dataset_type == "events":
        record.set("language", [c for c in mapping.LANGUAGES if c in languages])
    elif record.data.get("language"):
        # Only events have a language field; elsewhere it stays an extra as ckanext-dcat
        # writes it, so a dataset type without the field does not reject it.
        record.set_extra("language", json.dumps(record.data.pop("language")))


# --- distributions -------------------------------------------------------------------


def _resources(g: Graph, ref: Node, record: _Record) -> None:
    by_ref = {r.get("distribution_ref"): r for r in record.data.get("resources") or []}
    for dist in g.objects(ref, DCAT.distribution):
        resource = by_ref.get(str(dist))
        if resource is not None:
            _resource(g, dist, resource)


def _resource(g: Graph, dist: Node, resource: dict[str, Any]) -> None:
    fmt = _format(g, g.value(dist, DCT["format"]))
    if fmt:
        resource["format"] = fmt
    media_type = g.value(dist, DCAT.mediaType)
    if media_type is not None:
        resource["mimetype"] = mapping.media_type_of(media_type) or str(media_type)
    standards = list(g.objects(dist, DCT.conformsTo))
    schemas = [s for s in map(mapping.table_schema_of, standards) if s]
    if schemas:
        resource["table_schema"] = schemas[0]
        others = [str(o) for o in standards if not mapping.table_schema_of(o)]
        if others:
            resource["conforms_to"] = json.dumps(sorted(others))
        else:
            resource.pop("conforms_to", None)
    resource.pop("license", None)
    for key in ("access_url", "download_url"):
        if resource.get(key) == resource.get("url"):
            resource.pop(key, None)


def _format(g: Graph, node: Node | None) -> str | None:
    """A CKAN format name for an EU file type (``CSV``, ``GeoJSON``) or a labelled
    format node; None leaves what euro_dcat_ap_3 read."""
    if node is None:
        return None
    if isinstance(node, BNode):
        return _text(g.value(node, RDFS.label))
    code = mapping.code_of("file_type", node)
    if not code:
        return None
    entry = resource_formats().get(code.lower())
    return entry[1] if entry else code
