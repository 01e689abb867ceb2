"""A retail-area dataset dict -> DCAT-AP-NL 3.0 triples, on top of what euro_dcat_ap_3 wrote.

euro_dcat_ap_3 runs first and writes our codes the way it writes free text (``dct:language
"nl"``, ``dcat:theme <ECON>``, ``dct:format "CSV"``), which DCAT-AP 3 rejects. Each step
here removes what it replaces, so the graph holds one statement per property.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlparse

import ckan.plugins.toolkit as tk
from ckan.lib.helpers import resource_formats
from ckanext.dcat.profiles import (
    DCAT,
    DCT,
    FOAF,
    GSP,
    LOCN,
    RDF,
    RDFS,
    SKOS,
    VCARD,
    XSD,
    CleanedURIRef,
)
from ckanext.dcat.utils import publisher_uri_organization_fallback, resource_uri
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ckanext.retailarea import vocab
from ckanext.retailarea.dcat.profiles import consumers, geometry, mapping
from ckanext.retailarea.dcat.profiles.mapping import DPV, ODRL, RETAILAREA
from ckanext.retailarea.metadata import types

PREFIXES = {
    "retailarea": RETAILAREA,
    "dpv": DPV,
    "odrl": ODRL,
    "gsp": GSP,
}
RETAIL_AREA_TYPE = "retail-area"
# Nodes a cleanup step never erases, whatever a resource URL says (a URL equal to the
# catalog's or a dataset's URI must not take that description with it).
_ANCHORS = {DCAT.Catalog, DCAT.Dataset, DCAT.DatasetSeries, DCAT.DataService}
# Licence types ckanext-dcat attaches without knowing them; SHACL then wants a skos:Concept.
_UNKNOWN_IPR = URIRef("http://purl.org/adms/licencetype/UnknownIPR")


def exportable(dataset_dict: dict[str, Any]) -> bool:
    """Only public and restricted datasets leave the platform. A dict without an access
    level counts as non-public, as the forms and the API assume (privacy by default)."""
    if as_bool(dataset_dict.get("private", False)) is not False:
        return False  # private, or a flag we cannot read
    return dataset_dict.get("access_level") in ("public", "restricted")


def dataset(g: Graph, dataset_dict: dict[str, Any], ref: URIRef) -> None:
    """Complete the DCAT-AP-NL description of one dataset, or erase it if it may not be
    published."""
    if not exportable(dataset_dict):
        remove_dataset(g, ref)
        return
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    _description(g, dataset_dict, ref)
    _themes(g, dataset_dict, ref)
    _frequency(g, dataset_dict, ref)
    _languages(g, dataset_dict, ref)
    _access(g, dataset_dict, ref)
    _privacy(g, dataset_dict, ref)
    _usage_conditions(g, dataset_dict, ref)
    _dataset_type(g, dataset_dict, ref)
    _type_fields(g, dataset_dict, ref)
    _spatial(g, dataset_dict, ref)
    _retail_areas(g, dataset_dict, ref)
    publisher = _publisher_and_creator(g, dataset_dict, ref)
    _contact_point(g, dataset_dict, ref, publisher)
    policy = _policy(g, dataset_dict, ref, publisher)
    licence = _licence(g, dataset_dict)
    for resource in dataset_dict.get("resources") or []:
        _distribution(g, dataset_dict, resource, policy, licence)


# --- removal -------------------------------------------------------------------------


def remove_dataset(g: Graph, ref: URIRef) -> None:
    """Erase every statement about ``ref`` and the nodes only it used (distributions,
    periods, file URLs), so a non-public dataset leaves no trace in a shared graph.
    Nodes other datasets still use (publisher, themes) stay."""
    orphans = set(g.objects(ref, None))
    g.remove((ref, None, None))
    g.remove((None, None, ref))
    _remove_orphans(g, orphans)


def _is_anchor(g: Graph, node: Node) -> bool:
    return any(t in _ANCHORS for t in g.objects(node, RDF.type))


def _remove_orphans(g: Graph, candidates: Iterable[Node]) -> None:
    pending = [node for node in candidates if isinstance(node, (URIRef, BNode))]
    while pending:
        node = pending.pop()
        if (None, None, node) in g or _is_anchor(g, node):
            continue
        pending.extend(o for o in g.objects(node, None) if isinstance(o, (URIRef, BNode)))
        g.remove((node, None, None))


def _replace(g: Graph, subject: Node, predicate: URIRef) -> None:
    """Drop what earlier profiles wrote for ``predicate`` (and nodes left unused)."""
    old = set(g.objects(subject, predicate))
    g.remove((subject, predicate, None))
    _remove_orphans(g, old)


# --- helpers -------------------------------------------------------------------------


def as_list(value: Any) -> list[str]:
    """A list field as the API returns it (list) or as extras carry it (JSON, CSV)."""
    if value in (None, "", []):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = value.split(",")
    if not isinstance(value, list):
        value = [value]
    return [str(item).strip() for item in value if str(item).strip()]


def as_bool(value: Any) -> bool | None:
    """True, False, or None for a missing or unreadable value."""
    if value in (None, ""):
        return None
    try:
        return tk.asbool(value)
    except ValueError:
        return None


def absolute_url(value: Any) -> str | None:
    """``value`` if it is an absolute http(s) or ftp URL, else None: a relative or broken
    link would turn into an IRI other catalogs resolve against the wrong base."""
    text = str(value or "").strip()
    parts = urlparse(text)
    return text if parts.scheme in ("http", "https", "ftp", "ftps") and parts.netloc else None


def site_url() -> str:
    return (tk.config.get("ckan.site_url") or "").rstrip("/")


def dataset_page(dataset_dict: dict[str, Any]) -> URIRef:
    """Where a person reads the dataset and asks for access to restricted data."""
    return URIRef(f"{site_url()}/dataset/{dataset_dict.get('name') or dataset_dict['id']}")


def concept(g: Graph, ref: URIRef, labels: dict[str, str], scheme: URIRef | None = None):
    """Describe a code-list value as DCAT-AP wants it (a skos:Concept with a label), so
    the output validates without the code list itself."""
    g.add((ref, RDF.type, SKOS.Concept))
    for lang, text in labels.items():
        if text:
            g.add((ref, SKOS.prefLabel, Literal(text, lang=lang)))
    if scheme is not None:
        g.add((ref, SKOS.inScheme, scheme))


def vocab_labels(name: str, code: str) -> dict[str, str]:
    return {lang: vocab.label(name, code, lang) for lang in ("en", "nl")}


# --- coverage and codes --------------------------------------------------------------


def _description(g: Graph, dataset_dict: dict[str, Any], ref: URIRef) -> None:
    """DCAT-AP requires a description; harvested records often have none (or only
    blanks), so the title stands in. Documented in docs/federation.md."""
    if any(str(o).strip() for o in g.objects(ref, DCT.description)):
        return
    _replace(g, ref, DCT.description)
    title = (dataset_dict.get("title") or dataset_dict.get("name") or "").strip()
    if title:
        g.add((ref, DCT.description, Literal(title)))


def _themes(g: Graph, dataset_dict: dict[str, Any], ref: URIRef) -> None:
    _replace(g, ref, DCAT.theme)
    for code in as_list(dataset_dict.get("theme")):
        uri = mapping.code_uri("theme", code)
        if uri is not None:
            g.add((ref, DCAT.theme, uri))
            concept(g, uri, vocab_labels("theme", code))


def _frequency(g: Graph, dataset_dict: dict[str, Any], ref: URIRef) -> None:
    _replace(g, ref, DCT.accrualPeriodicity)
    uri = mapping.code_uri("frequency", dataset_dict.get("frequency"))
    if uri is not None:
        g.add((ref, DCT.accrualPeriodicity, uri))
        g.add((uri, RDF.type, DCT.Frequency))


def _languages(g: Graph, dataset_dict: dict[str, Any], ref: URIRef) -> None:
    _replace(g, ref, DCT.language)
    for code in as_list(dataset_dict.get("language")):
        uri = mapping.language_uri(code)
        if uri is not None:
            g.add((ref, DCT.language, uri))
            g.add((uri, RDF.type, DCT.LinguisticSystem))


def _access(g: Graph, dataset_dict: dict[str, Any], ref: URIRef) -> None:
    """The EU access right (DCAT-AP-NL allows one) and, in our namespace, the DONL reason:
    a second dct:accessRights would break the maximum of one."""
    _replace(g, ref, DCT.accessRights)
    uri = mapping.code_uri("access_level", dataset_dict.get("access_level"))
    if uri is not None:
        g.add((ref, DCT.accessRights, uri))
        g.add((uri, RDF.type, DCT.RightsStatement))
    reason = dataset_dict.get("access_reason")
    reason_uri = mapping.code_uri("access_reason", reason)
    if reason and reason_uri is not None:
        g.add((ref, RETAILAREA.accessReason, reason_uri))
        concept(g, reason_uri, vocab_labels("access_reason", reason))


def _privacy(g: Graph, dataset_dict: dict[str, Any], ref: URIRef) -> None:
    """GDPR facts in W3C DPV terms: personal data or not, legal basis, purposes and how
    long recipients may keep the data."""
    personal = as_bool(dataset_dict.get("contains_personal_data"))
    if personal is True:
        g.add((ref, DPV.hasPersonalData, DPV.PersonalData))
    elif personal is False:
        g.add((ref, DPV.hasData, DPV.NonPersonalData))
    basis = mapping.code_uri("legal_basis", dataset_dict.get("legal_basis"))
    if basis is not None:
        g.add((ref, DPV.hasLegalBasis, basis))
    for code in as_list(dataset_dict.get("permitted_purposes")):
        purpose = mapping.code_uri("purpose", code)
        if purpose is not None:
            g.add((ref, DPV.hasPurpose, purpose))
    retention = (dataset_dict.get("retention_period") or "").strip()
    if retention:
        condition, duration = BNode(), BNode()
        g.add((ref, DPV.hasStorageCondition, condition))
        g.add((condition, RDF.type, DPV.StorageDuration))
        g.add((condition, DPV.hasDuration, duration))
        g.add((duration, RDF.type, DPV.TemporalDuration))
        # rdflib writes the canonical xsd:duration: P1W (no week designator in XSD) as P7D.
        g.add((duration, RDF.value, Literal(retention, datatype=XSD.duration)))


def _usage_conditions(g: Graph, dataset_dict: dict[str, Any], ref: URIRef) -> None:
    text = (dataset_dict.get("usage_conditions") or "").strip()
    if text:
        statement = BNode()
        g.add((ref, DCT.rights, statement))
        g.add((statement, RDF.type, DCT.RightsStatement))
        g.add((statement, RDFS.label, Literal(text)))


def _dataset_type(g: Graph, dataset_dict: dict[str, Any], ref: URIRef) -> None:
    dataset_type = dataset_dict.get("type") or "dataset"
    uri = mapping.dataset_type_uri(dataset_type)
    if uri is not None:
        g.add((ref, DCT.type, uri))
        labels = {lang: types.label(dataset_type, lang) or "" for lang in ("en", "nl")}
        concept(g, uri, labels, mapping.DATASET_TYPE_SCHEME)


def _type_fields(g: Graph, dataset_dict: dict[str, Any], ref: URIRef) -> None:
    fields = mapping.TYPE_FIELDS.get(dataset_dict.get("type") or "dataset", {})
    for field, predicate in fields.items():
        value = dataset_dict.get(field)
        if value in (None, ""):
            continue
        if field in mapping.DATE_FIELDS:
            day = mapping.day(value)
            if day:
                g.add((ref, predicate, Literal(day, datatype=XSD.date)))
        elif field in mapping.INTEGER_FIELDS:
            if str(value).strip().isdigit():
                g.add((ref, predicate, Literal(int(value), datatype=XSD.integer)))
        else:
            g.add((ref, predicate, Literal(str(value))))


def _spatial(g: Graph, dataset_dict: dict[str, Any], ref: URIRef) -> None:
    """The dataset's GeoJSON as a dct:Location of its own (``<dataset>#spatial``).

    DCAT-AP 3.0.1 only accepts a node (not a literal) as locn:geometry, and ckanext-dcat's
    parser crashes on a node there: so the exact GeoJSON goes to geo:hasGeometry /
    geo:asGeoJSON (GeoSPARQL 1.1) and catalogs that read only DCAT get dcat:bbox and
    dcat:centroid. The location is named, labelled and boxed like each retail area, so a
    stock consumer, which keeps one location, takes its URI, label and box from the same
    one (see ``consumers``)."""
    _drop_literal_geometries(g, ref)
    text = geometry.as_text(dataset_dict.get("spatial"))
    if text is None:
        return
    location = URIRef(f"{ref}-spatial" if "#" in str(ref) else f"{ref}#spatial")
    g.add((ref, DCT.spatial, location))
    label = dataset_dict.get("title") or dataset_dict.get("name")
    if label:
        g.add((location, SKOS.prefLabel, Literal(label)))
    _location(g, location, text)


def _location(g: Graph, location: Node, text: str) -> None:
    """A dct:Location with the GeoJSON ``text`` as a GeoSPARQL geometry, a bbox and a
    centroid (GeoJSON literals)."""
    shape = json.loads(text)
    geom = BNode()
    g.add((location, RDF.type, DCT.Location))
    g.add((location, GSP.hasGeometry, geom))
    g.add((geom, RDF.type, GSP.Geometry))
    g.add((geom, GSP.asGeoJSON, Literal(text, datatype=GSP.geoJSONLiteral)))
    wkt = geometry.to_wkt(shape)
    if wkt:
        g.add((geom, GSP.asWKT, Literal(wkt, datatype=GSP.wktLiteral)))
    for predicate, value in ((DCAT.bbox, consumers.bbox(shape)),
                             (DCAT.centroid, consumers.centroid(shape))):
        if value is not None:
            g.add((location, predicate, value))


def _drop_literal_geometries(g: Graph, ref: URIRef) -> None:
    """Remove the ``locn:geometry "..."`` literals euro_dcat_ap_3 wrote from our
    ``spatial`` field, and the Location nodes that held nothing else."""
    for location in list(g.objects(ref, DCT.spatial)):
        g.remove((location, LOCN.geometry, None))
        if isinstance(location, BNode) and set(g.predicates(location, None)) <= {RDF.type}:
            g.remove((ref, DCT.spatial, location))
            g.remove((location, None, None))


def _retail_areas(g: Graph, dataset_dict: dict[str, Any], ref: URIRef) -> None:
    """Each retail area (group) as a dct:Location named by its page, with the CBS
    municipality code and its own outline, also linked through retailarea:retailArea so
    it can be told apart from other places."""
    for group in dataset_dict.get("groups") or []:
        if group.get("type", RETAIL_AREA_TYPE) != RETAIL_AREA_TYPE or not group.get("name"):
            continue
        area = URIRef(f"{site_url()}/retail-area/{group['name']}")
        g.add((ref, RETAILAREA.retailArea, area))
        g.add((ref, DCT.spatial, area))
        g.add((area, RDF.type, DCT.Location))
        g.add((area, RDF.type, RETAILAREA.RetailArea))
        g.add((area, DCT.identifier, Literal(group["name"])))
        g.add((area, SKOS.prefLabel, Literal(group.get("title") or group["name"])))
        extras = _area_extras(group)
        code = extras.get("municipality_code")
        if code:
            g.add((area, RETAILAREA.municipalityCode, Literal(code)))
        outline = geometry.as_text(extras.get("geometry"))
        if outline is not None and (area, GSP.hasGeometry, None) not in g:
            _location(g, area, outline)


def _area_extras(group: dict[str, Any]) -> dict[str, Any]:
    """The area's code and outline: package_show leaves group extras out, so they are
    read from the group itself when the dict lacks them."""
    if group.get("municipality_code") and group.get("geometry"):
        return group
    try:
        found = tk.get_action("group_show")(
            {"ignore_auth": True},
            {"id": group["name"], "include_datasets": False, "include_users": False,
             "include_groups": False, "include_tags": False, "include_followers": False},
        )
    except tk.ObjectNotFound:
        return group
    return {**found, **{k: v for k, v in group.items() if v}}


# --- agents --------------------------------------------------------------------------


def _publisher_and_creator(
    g: Graph, dataset_dict: dict[str, Any], ref: URIRef
) -> Node | None:
    """The organization as dct:publisher and, as DCAT-AP-NL requires one, dct:creator.

    euro_dcat_ap_3 names the publisher only if organization_show finds the organization;
    it is built here from the dict's ``organization`` either way, under the same URI."""
    organization = dataset_dict.get("organization") or {}
    publisher = g.value(ref, DCT.publisher)
    if publisher is None and organization.get("id"):
        publisher = CleanedURIRef(publisher_uri_organization_fallback(dataset_dict))
        g.add((ref, DCT.publisher, publisher))
    if publisher is None:
        return None
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, RDF.type, FOAF.Organization))
    if g.value(publisher, FOAF.name) is None:
        name = organization.get("title") or organization.get("name")
        if name:
            g.add((publisher, FOAF.name, Literal(name)))
    if g.value(ref, DCT.creator) is None:
        g.add((ref, DCT.creator, publisher))
    return publisher


def _contact_point(
    g: Graph, dataset_dict: dict[str, Any], ref: URIRef, publisher: Node | None
) -> None:
    """DCAT-AP-NL requires a contact point. euro_dcat_ap_3 builds it from maintainer /
    author as vcard:Organization, which SHACL only accepts as a vcard:Kind when that type
    is stated; without a maintainer the organization is the contact."""
    contacts = list(g.objects(ref, DCAT.contactPoint))
    for contact in contacts:
        g.add((contact, RDF.type, VCARD.Kind))
    if contacts or publisher is None:
        return
    # An IRI under the organization's: parse.py recognises it and leaves maintainer empty.
    contact = URIRef(f"{publisher}#contact") if isinstance(publisher, URIRef) else BNode()
    g.add((ref, DCAT.contactPoint, contact))
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, RDF.type, VCARD.Organization))
    name = g.value(publisher, FOAF.name)
    if name is not None:
        g.add((contact, VCARD.fn, Literal(str(name))))
    if isinstance(publisher, URIRef):  # a blank-node publisher has no URL to give
        g.add((contact, VCARD.hasURL, publisher))
    email = (dataset_dict.get("organization") or {}).get("email") or contact_email()
    if email:
        g.add((contact, VCARD.hasEmail, URIRef("mailto:" + email.removeprefix("mailto:"))))


def contact_email() -> str | None:
    """The platform's contact address, for contact points nobody filled in."""
    return (tk.config.get("ckanext.retailarea.dcat.contact_email")
            or tk.config.get("smtp.mail_from") or None)


# --- purpose-bound use (ODRL) --------------------------------------------------------


def _policy(
    g: Graph, dataset_dict: dict[str, Any], ref: URIRef, publisher: Node | None
) -> URIRef | None:
    """An ODRL offer: the publisher permits use of the dataset only for the permitted
    purposes (DPV terms as the rightOperand of an odrl:purpose constraint)."""
    purposes: list[Node] = [
        uri for uri in (mapping.code_uri("purpose", code)
                        for code in as_list(dataset_dict.get("permitted_purposes")))
        if uri is not None]
    if not purposes:
        return None
    policy = URIRef(f"{ref}-policy" if "#" in str(ref) else f"{ref}#policy")
    permission, constraint, operands = BNode(), BNode(), BNode()
    g.add((ref, ODRL.hasPolicy, policy))
    # Typed Policy as well as Offer: SHACL checks the class without subclass reasoning.
    g.add((policy, RDF.type, ODRL.Policy))
    g.add((policy, RDF.type, ODRL.Offer))
    g.add((policy, ODRL.uid, policy))
    g.add((policy, ODRL.permission, permission))
    g.add((permission, RDF.type, ODRL.Permission))
    g.add((permission, ODRL.target, ref))
    g.add((permission, ODRL.action, ODRL.use))
    if publisher is not None:
        g.add((permission, ODRL.assigner, publisher))
    g.add((permission, ODRL.constraint, constraint))
    g.add((constraint, RDF.type, ODRL.Constraint))
    g.add((constraint, ODRL.leftOperand, ODRL.purpose))
    g.add((constraint, ODRL.operator, ODRL.isAnyOf))
    g.add((constraint, ODRL.rightOperand, operands))
    Collection(g, operands, purposes)
    return policy


# --- distributions -------------------------------------------------------------------


def _licence(g: Graph, dataset_dict: dict[str, Any]) -> Node:
    """The dataset's CKAN licence as one node all distributions share (DCAT-AP-NL wants a
    licence on each): the EU licence concept, else the licence's URL, else a described
    node, so even "other (not open)" is stated."""
    license_id = dataset_dict.get("license_id") or "notspecified"
    uri = mapping.licence_uri(license_id)
    if uri is None and absolute_url(dataset_dict.get("license_url")):
        uri = CleanedURIRef(absolute_url(dataset_dict.get("license_url")))
    licence = uri if uri is not None else BNode()
    g.add((licence, RDF.type, DCT.LicenseDocument))
    # CKAN's own titles let a stock consumer map the EU URI to its licence id.
    titles = consumers.licence_titles(license_id)
    for lang, title in titles.items():
        g.add((licence, DCT.title, Literal(title, lang=lang)))
    if uri is None:
        label = titles.get("en") or dataset_dict.get("license_title") or license_id
        g.add((licence, DCT.identifier, Literal(license_id)))
        # Read as the resource's licence text by consumers that print a node's label.
        g.add((licence, RDFS.label, Literal(label)))
        if not titles:
            g.add((licence, DCT.title, Literal(label)))
    return licence


def _distribution(
    g: Graph,
    dataset_dict: dict[str, Any],
    resource: dict[str, Any],
    policy: URIRef | None,
    licence: Node,
) -> None:
    if not resource.get("package_id"):
        resource = {**resource, "package_id": dataset_dict.get("id")}
    dist = CleanedURIRef(resource_uri(resource))
    _checksum(g, dist)
    _format(g, dist, resource)
    _table_schema(g, dist, resource)
    _replace(g, dist, DCT.license)
    g.add((dist, DCT.license, licence))
    g.remove((licence, DCT.type, _UNKNOWN_IPR))
    if policy is not None:
        g.add((dist, ODRL.hasPolicy, policy))
    if dataset_dict.get("access_level") == "restricted":
        _withhold_urls(g, dist, resource, dataset_page(dataset_dict))
    else:
        _urls(g, dist, resource, dataset_dict)


SPDX = Namespace("http://spdx.org/rdf/terms#")
_ALGORITHMS = {"sha1", "sha224", "sha256", "sha384", "sha512", "md5"}


def _checksum(g: Graph, dist: URIRef) -> None:
    """CKAN resources often hold ``hash`` as ``sha256:<hex>``; ckanext-dcat copies that
    whole string into spdx:checksumValue, which must be bare hex with an algorithm."""
    for checksum in list(g.objects(dist, SPDX.checksum)):
        for value in list(g.objects(checksum, SPDX.checksumValue)):
            algorithm, _, digest = str(value).partition(":")
            if digest and algorithm.lower() in _ALGORITHMS:
                g.set((checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary)))
                if (checksum, SPDX.algorithm, None) not in g:
                    term = SPDX[f"checksumAlgorithm_{algorithm.lower()}"]
                    g.add((checksum, SPDX.algorithm, term))
                    g.add((term, RDF.type, SPDX.ChecksumAlgorithm))


def _format(g: Graph, dist: URIRef, resource: dict[str, Any]) -> None:
    """dct:format as an EU file type and dcat:mediaType as an IANA URI; a format with no
    EU code stays readable as a labelled node."""
    _replace(g, dist, DCT["format"])
    _replace(g, dist, DCAT.mediaType)
    fmt = (resource.get("format") or "").strip()
    media_type = (resource.get("mimetype") or "").strip()
    if mapping.is_media_type(fmt):
        media_type, fmt = media_type or fmt, _format_name(fmt) or ""
    uri = mapping.code_uri("file_type", mapping.file_type_code(fmt))
    if uri is not None:
        g.add((dist, DCT["format"], uri))
        g.add((uri, RDF.type, DCT.MediaTypeOrExtent))
    elif fmt:
        node = BNode()
        g.add((dist, DCT["format"], node))
        g.add((node, RDF.type, DCT.MediaTypeOrExtent))
        g.add((node, RDFS.label, Literal(fmt)))
    media_type = media_type or _media_type_of_format(fmt)
    if mapping.is_media_type(media_type):
        uri = mapping.media_type_uri(media_type)
        g.add((dist, DCAT.mediaType, uri))
        g.add((uri, RDF.type, DCT.MediaType))
        # Stock ckanext-dcat reads the label as the media type and names the format by it.
        g.add((uri, RDFS.label, Literal(media_type.strip().lower())))


def _registry(key: str) -> list[str] | None:
    """CKAN's resource format list: ``[media type, format name, title]``."""
    return resource_formats().get(key.strip().lower()) if key else None


def _format_name(media_type: str) -> str | None:
    entry = _registry(media_type)
    return entry[1] if entry else None


def _media_type_of_format(fmt: str) -> str | None:
    entry = _registry(fmt)
    return entry[0] if entry else None


def _table_schema(g: Graph, dist: URIRef, resource: dict[str, Any]) -> None:
    from ckanext.retailarea.tables import schemas as table_schemas

    name = resource.get("table_schema")
    if not name or name not in table_schemas.names():
        return
    uri = mapping.table_schema_uri(name)
    g.add((dist, DCT.conformsTo, uri))
    g.add((uri, RDF.type, DCT.Standard))
    g.add((uri, DCT.title, Literal(table_schemas.load(name).get("title") or name)))


def _urls(g: Graph, dist: URIRef, resource: dict[str, Any], dataset_dict: dict[str, Any]):
    """One access URL, as DCAT-AP requires (the resource page when the link is unusable),
    and an uploaded file as the download URL."""
    _replace(g, dist, DCAT.accessURL)
    _replace(g, dist, DCAT.downloadURL)
    url = absolute_url(resource.get("url"))
    page = f"{dataset_page(dataset_dict)}/resource/{resource.get('id')}"
    access = absolute_url(resource.get("access_url")) or url or page
    g.add((dist, DCAT.accessURL, CleanedURIRef(access)))
    download = absolute_url(resource.get("download_url"))
    if not download and resource.get("url_type") == "upload":
        download = url
    if download:
        g.add((dist, DCAT.downloadURL, CleanedURIRef(download)))


def _withhold_urls(g: Graph, dist: URIRef, resource: dict[str, Any], page: URIRef) -> None:
    """A restricted distribution points at the dataset page, where access is requested:
    no statement anywhere in the graph may carry the file's URL."""
    _replace(g, dist, DCAT.accessURL)
    _replace(g, dist, DCAT.downloadURL)
    for key in ("url", "download_url", "access_url"):
        secret = (resource.get(key) or "").strip()
        if not secret:
            continue
        for node in (URIRef(secret), CleanedURIRef(secret), Literal(secret)):
            if not _is_anchor(g, node):
                g.remove((None, None, node))
                g.remove((node, None, None))
    g.add((dist, DCAT.accessURL, page))
