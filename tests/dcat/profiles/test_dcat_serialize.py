"""CKAN dataset dicts -> DCAT-AP-NL triples through ckanext-dcat's RDFSerializer with
``euro_dcat_ap_3`` + ``retailarea_dcat_ap_nl``."""
from __future__ import annotations

import json

import pytest
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
    RDFProfile,
)
from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection

from ckanext.retailarea.dcat.profiles import shacl
from ckanext.retailarea.dcat.profiles.consumers import GEOJSON
from ckanext.retailarea.dcat.profiles.mapping import DPV, ODRL, RETAILAREA
from tests.dcat.profiles import datasets

EU = "http://publications.europa.eu/resource/authority/"


def to_graph(serializer, dataset_dict, profiles=None):
    s = serializer(profiles)
    ref = s.graph_from_dataset(dataset_dict)
    return s.g, ref


def only(g, subject, predicate):
    values = list(g.objects(subject, predicate))
    assert len(values) == 1, f"{predicate}: {values}"
    return values[0]


def test_shared_fields_become_eu_dpv_and_odrl_terms(serializer):
    g, ref = to_graph(serializer, datasets.package())

    assert only(g, ref, DCT.accessRights) == URIRef(EU + "access-right/PUBLIC")
    assert (URIRef(EU + "access-right/PUBLIC"), RDF.type, DCT.RightsStatement) in g
    assert set(g.objects(ref, DCAT.theme)) == {
        URIRef(EU + "data-theme/ECON"), URIRef(EU + "data-theme/TRAN")}
    assert (URIRef(EU + "data-theme/ECON"), SKOS.prefLabel,
            Literal("Economie en financiën", lang="nl")) in g
    assert only(g, ref, DCT.accrualPeriodicity) == URIRef(EU + "frequency/DAILY")
    assert only(g, ref, DCAT.temporalResolution) == Literal("PT15M", datatype=XSD.duration)
    period = only(g, ref, DCT.temporal)
    assert (period, RDF.type, DCT.PeriodOfTime) in g
    assert only(g, period, DCAT.startDate) == Literal("2024-01-01", datatype=XSD.date)
    assert only(g, period, DCAT.endDate) == Literal("2024-12-31", datatype=XSD.date)
    assert set(g.objects(ref, DCT.conformsTo)) == {
        URIRef("https://w3id.org/retailarea/standards/footfall-counting")}
    assert only(g, ref, DCT.type) == RETAILAREA.Footfall
    # Privacy in DPV terms
    assert (ref, DPV.hasData, DPV.NonPersonalData) in g
    assert (ref, DPV.hasPersonalData, None) not in g
    assert set(g.objects(ref, DPV.hasPurpose)) == {DPV.PublicBenefit, DPV.AcademicResearch}
    storage = only(g, ref, DPV.hasStorageCondition)
    assert (storage, RDF.type, DPV.StorageDuration) in g
    assert only(g, only(g, storage, DPV.hasDuration), RDF.value) == Literal(
        "P1Y", datatype=XSD.duration)
    rights = only(g, ref, DCT.rights)
    assert (rights, RDF.type, DCT.RightsStatement) in g
    assert only(g, rights, RDFS.label) == Literal("Vermeld de bron: Gemeente Gouda.")


def test_permitted_purposes_are_an_odrl_offer_with_a_purpose_constraint(serializer):
    g, ref = to_graph(serializer, datasets.restricted())

    policy = only(g, ref, ODRL.hasPolicy)
    assert {ODRL.Offer, ODRL.Policy} <= set(g.objects(policy, RDF.type))
    assert only(g, policy, ODRL.uid) == policy
    permission = only(g, policy, ODRL.permission)
    assert only(g, permission, ODRL.action) == ODRL.use
    assert only(g, permission, ODRL.target) == ref
    assert only(g, permission, ODRL.assigner) == only(g, ref, DCT.publisher)
    constraint = only(g, permission, ODRL.constraint)
    assert only(g, constraint, ODRL.leftOperand) == ODRL.purpose
    assert only(g, constraint, ODRL.operator) == ODRL.isAnyOf
    operands = list(Collection(g, only(g, constraint, ODRL.rightOperand)))
    assert operands == [DPV.AcademicResearch, DPV.PublicPolicyMaking]
    for dist in g.objects(ref, DCAT.distribution):
        assert only(g, dist, ODRL.hasPolicy) == policy
    assert only(g, ref, DPV.hasLegalBasis) == URIRef("https://w3id.org/dpv/legal/eu/gdpr#A6-1-f")
    assert (ref, DPV.hasPersonalData, DPV.PersonalData) in g
    reason = only(g, ref, RETAILAREA.accessReason)
    assert reason == URIRef("https://dcat.overheid.nl/application-profile/donl/term/PRIVACY")
    assert only(g, ref, DCT.accessRights) == URIRef(EU + "access-right/RESTRICTED")


def test_spatial_is_geosparql_geometry_with_a_dcat_bbox_not_a_literal_locn_geometry(serializer):
    dataset = datasets.package()
    g, ref = to_graph(serializer, dataset)

    assert not list(g.triples((None, LOCN.geometry, None)))
    location = URIRef(f"{ref}#spatial")
    assert (ref, DCT.spatial, location) in g
    assert only(g, location, SKOS.prefLabel) == Literal(dataset["title"])
    geometry = only(g, location, GSP.hasGeometry)
    geojson = only(g, geometry, GSP.asGeoJSON)
    assert geojson.datatype == GSP.geoJSONLiteral
    assert json.loads(str(geojson)) == json.loads(dataset["spatial"])
    assert str(only(g, geometry, GSP.asWKT)).startswith("POLYGON ((4.7035")
    # GeoJSON literals: stock ckanext-dcat reads them from the same location as the URI.
    bbox = only(g, location, DCAT.bbox)
    assert bbox.datatype == URIRef(GEOJSON)
    assert json.loads(str(bbox)) == {"type": "Polygon", "coordinates": [[
        [4.7029, 52.0086], [4.7182, 52.0086], [4.7182, 52.0178], [4.7029, 52.0178],
        [4.7029, 52.0086]]]}
    centroid = json.loads(str(only(g, location, DCAT.centroid)))
    assert centroid["type"] == "Point"
    assert 4.7029 < centroid["coordinates"][0] < 4.7182
    assert 52.0086 < centroid["coordinates"][1] < 52.0178


def test_every_retail_area_is_a_location_with_its_own_outline(serializer):
    g, ref = to_graph(serializer, datasets.package())

    area = URIRef(f"{datasets.SITE}/retail-area/gouda-binnenstad")
    outline = only(g, only(g, area, GSP.hasGeometry), GSP.asGeoJSON)
    assert json.loads(str(outline))["type"] in ("Polygon", "MultiPolygon")
    assert only(g, area, DCAT.bbox).datatype == URIRef(GEOJSON)
    assert only(g, area, DCAT.centroid).datatype == URIRef(GEOJSON)


def test_retail_area_is_a_named_location_with_its_municipality_code(serializer):
    g, ref = to_graph(serializer, datasets.package())

    area = URIRef(f"{datasets.SITE}/retail-area/gouda-binnenstad")
    assert only(g, ref, RETAILAREA.retailArea) == area
    assert (ref, DCT.spatial, area) in g
    assert {DCT.Location, RETAILAREA.RetailArea} <= set(g.objects(area, RDF.type))
    assert only(g, area, SKOS.prefLabel) == Literal("Gouda binnenstad")
    assert only(g, area, RETAILAREA.municipalityCode) == Literal("GM0513")


def test_municipality_code_is_read_from_the_group_when_package_show_lacks_it(serializer):
    unknown = {"name": "nergens", "title": "Nergens", "type": "retail-area"}
    other_group_type = {"name": "thema", "title": "Thema", "type": "group"}
    dataset = datasets.package(groups=[datasets._group_in_package(datasets.AREA), unknown,
                                       other_group_type])
    g, ref = to_graph(serializer, dataset)

    codes = {str(area).rsplit("/", 1)[-1]: g.value(area, RETAILAREA.municipalityCode)
             for area in g.objects(ref, RETAILAREA.retailArea)}
    assert codes == {"gouda-binnenstad": Literal("GM0513"), "nergens": None}


def test_publisher_creator_and_contact_point(serializer):
    g, ref = to_graph(serializer, datasets.package())

    publisher = only(g, ref, DCT.publisher)
    assert publisher == URIRef(f"{datasets.SITE}/organization/{datasets.ORGANIZATION['id']}")
    assert only(g, ref, DCT.creator) == publisher
    assert {FOAF.Agent, FOAF.Organization} <= set(g.objects(publisher, RDF.type))
    assert only(g, publisher, FOAF.name) == Literal("Gemeente Gouda")
    contact = only(g, ref, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in g
    assert only(g, contact, VCARD.fn) == Literal("Team Data Gouda")
    assert only(g, contact, VCARD.hasEmail) == URIRef("mailto:data@gouda.example")


def test_without_maintainer_the_organization_is_the_contact_point(serializer):
    g, ref = to_graph(serializer, datasets.package(maintainer=None, maintainer_email=None))

    contact = only(g, ref, DCAT.contactPoint)
    assert contact == URIRef(f"{only(g, ref, DCT.publisher)}#contact")
    assert (contact, RDF.type, VCARD.Kind) in g
    assert only(g, contact, VCARD.fn) == Literal("Gemeente Gouda")


@pytest.mark.parametrize(("builder", "expected"), [
    (datasets.shop_register, {RETAILAREA.classificationScheme: Literal("locatus"),
                              RETAILAREA.referenceDate: Literal("2025-01-01",
                                                                datatype=XSD.date)}),
    (datasets.events, {RETAILAREA.feedSource: Literal("ndtrc")}),
    (datasets.parking, {RETAILAREA.areaManagerId: Literal("513"),
                        RETAILAREA.dataStandard: Literal("SPDP 2.0")}),
    (datasets.package, {RETAILAREA.countingMethod: Literal("thermal"),
                        RETAILAREA.numberOfSensors: Literal(12, datatype=XSD.integer)}),
])
def test_type_specific_fields(serializer, builder, expected):
    dataset = builder()
    g, ref = to_graph(serializer, dataset)

    for predicate, value in expected.items():
        assert only(g, ref, predicate) == value
    type_uri = only(g, ref, DCT.type)
    assert (type_uri, RDF.type, SKOS.Concept) in g
    assert (type_uri, SKOS.prefLabel, None) in g


def test_event_languages_are_eu_language_uris(serializer):
    g, ref = to_graph(serializer, datasets.events())

    assert set(g.objects(ref, DCT.language)) == {URIRef(EU + "language/NLD"),
                                                 URIRef(EU + "language/ENG")}
    assert not [o for o in g.objects(ref, DCT.language) if isinstance(o, Literal)]


def test_distribution_format_media_type_table_schema_licence_and_urls(serializer):
    dataset = datasets.parking()
    g, ref = to_graph(serializer, dataset)

    upload, link = (URIRef(f"{datasets.SITE}/dataset/{dataset['id']}/resource/{r['id']}")
                    for r in dataset["resources"])
    assert only(g, upload, DCT["format"]) == URIRef(EU + "file-type/CSV")
    assert only(g, upload, DCAT.mediaType) == URIRef(
        "https://www.iana.org/assignments/media-types/text/csv")
    schema = only(g, upload, DCT.conformsTo)
    assert schema == URIRef("https://w3id.org/retailarea/table-schema/parking_facilities")
    assert (schema, RDF.type, DCT.Standard) in g
    assert only(g, upload, DCT.license) == URIRef(EU + "licence/CC_BY_4_0")
    upload_url = URIRef(dataset["resources"][0]["url"])
    assert only(g, upload, DCAT.accessURL) == upload_url
    assert only(g, upload, DCAT.downloadURL) == upload_url
    assert only(g, link, DCT["format"]) == URIRef(EU + "file-type/JSON")
    assert only(g, link, DCAT.accessURL) == URIRef(dataset["resources"][1]["url"])
    assert (link, DCAT.downloadURL, None) not in g


@pytest.mark.parametrize(("license_id", "fields", "expected"), [
    ("cc-zero", {}, URIRef(EU + "licence/CC0")),
    ("odc-odbl", {}, URIRef(EU + "licence/ODC_BL")),
    ("uk-ogl", {"license_url": "https://www.nationalarchives.gov.uk/doc/open-government-"
                              "licence/version/3/"},
     URIRef("https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")),
])
def test_ckan_licences_map_to_eu_licences_or_their_url(serializer, license_id, fields, expected):
    g, ref = to_graph(serializer, datasets.package(license_id=license_id, **fields))

    for dist in g.objects(ref, DCAT.distribution):
        assert only(g, dist, DCT.license) == expected
    assert (expected, RDF.type, DCT.LicenseDocument) in g


def test_a_licence_without_eu_concept_or_url_is_a_described_node(serializer):
    dataset = datasets.shop_register()
    g, ref = to_graph(serializer, dataset)

    licence = only(g, only(g, ref, DCAT.distribution), DCT.license)
    assert isinstance(licence, BNode)
    assert only(g, licence, DCT.identifier) == Literal("other-closed")
    assert set(g.objects(licence, DCT.title)) == {
        Literal("Other (Not Open)", lang="en"), Literal("Other (Not Open)", lang="nl")}
    # A consumer that prints the node's label shows the licence, not a blank-node id.
    assert only(g, licence, RDFS.label) == Literal("Other (Not Open)")


def test_restricted_distributions_point_at_the_dataset_page_never_at_files(serializer):
    dataset = datasets.restricted()
    g, ref = to_graph(serializer, dataset)

    page = URIRef(f"{datasets.SITE}/dataset/{dataset['name']}")
    dists = list(g.objects(ref, DCAT.distribution))
    assert len(dists) == 2
    for dist in dists:
        assert only(g, dist, DCAT.accessURL) == page
        assert (dist, DCAT.downloadURL, None) not in g
    secrets = {r[k] for r in dataset["resources"] for k in ("url", "download_url") if r.get(k)}
    for fmt in ("turtle", "xml", "json-ld", "nt"):
        text = g.serialize(format=fmt)
        assert not [s for s in secrets if s in text], fmt


@pytest.mark.parametrize("fields", [
    {},                                              # non_public and private
    {"private": False},                              # non_public alone
    {"access_level": "public", "private": True},     # private alone
    {"access_level": None, "private": False},        # no access level: most protective
])
def test_non_public_datasets_produce_no_triples(serializer, fields):
    g, _ = to_graph(serializer, datasets.non_public(**fields))

    assert len(g) == 0


def test_a_non_public_dataset_leaves_a_shared_graph_as_it_was(serializer):
    public = datasets.package(id="11111111-2222-4333-8444-555555555555")
    alone = serializer()
    alone.graph_from_dataset(public)
    shared = serializer()
    shared.graph_from_dataset(public)
    hidden = datasets.non_public(id="66666666-7777-4888-9999-aaaaaaaaaaaa",
                                 title="Geheime telling")
    shared.graph_from_dataset(hidden)

    assert len(shared.g) == len(alone.g)
    text = shared.g.serialize(format="nt")
    assert hidden["id"] not in text and "Geheime telling" not in text


def test_markdown_html_and_non_latin_text_is_kept_verbatim(serializer):
    notes = ("# Passanten\n\n* **vet** en _schuin_\n<script>alert('x')</script>\n"
             "مراكز التسوق — 购物中心 — Ελληνικά")
    dataset = datasets.package(title="Winkelgebied 商店街 العربية", notes=notes,
                               usage_conditions="Gebruik <b>alleen</b> voor «onderzoek».")
    for fmt in ("turtle", "xml", "json-ld"):
        s = serializer()
        text = s.serialize_dataset(dataset, _format=fmt)
        s2 = serializer()
        s2.g.parse(data=text, format=fmt)
        ref = URIRef(f"{datasets.SITE}/dataset/{dataset['id']}")
        assert str(only(s2.g, ref, DCT.description)) == notes, fmt
        assert str(only(s2.g, ref, DCT.title)) == dataset["title"], fmt


def test_empty_optional_fields_produce_no_statements(serializer):
    dataset = datasets.package(
        spatial=None, temporal_start=None, temporal_end=None, temporal_resolution=None,
        frequency=None, permitted_purposes=[], usage_conditions="", retention_period="",
        conforms_to=[], groups=[], tags=[], url="", counting_method=None,
        number_of_sensors=None, contains_personal_data=None, resources=[],
    )
    g, ref = to_graph(serializer, dataset)

    for predicate in (DCT.spatial, DCT.temporal, DCAT.temporalResolution,
                      DCT.accrualPeriodicity, DPV.hasPurpose, ODRL.hasPolicy, DCT.rights,
                      DPV.hasStorageCondition, DCT.conformsTo, RETAILAREA.retailArea,
                      DCAT.keyword, DCAT.distribution, DPV.hasData, DPV.hasPersonalData,
                      RETAILAREA.countingMethod):
        assert (ref, predicate, None) not in g, predicate
    assert only(g, ref, DCT.accessRights) == URIRef(EU + "access-right/PUBLIC")


def test_unknown_codes_are_left_out_and_unknown_formats_stay_readable(serializer):
    dataset = datasets.events(theme=["ECON", "NOPE"], frequency="SOMETIMES",
                              language=["nl", "xx"], access_reason="GEEN_IDEE")
    dataset["resources"][0].update(format="Tabelletje", mimetype="not a type")
    g, ref = to_graph(serializer, dataset)

    assert set(g.objects(ref, DCAT.theme)) == {URIRef(EU + "data-theme/ECON")}
    assert (ref, DCT.accrualPeriodicity, None) not in g
    assert set(g.objects(ref, DCT.language)) == {URIRef(EU + "language/NLD")}
    assert (ref, RETAILAREA.accessReason, None) not in g
    dist = only(g, ref, DCAT.distribution)
    fmt = only(g, dist, DCT["format"])
    assert isinstance(fmt, BNode) and only(g, fmt, RDFS.label) == Literal("Tabelletje")
    assert (dist, DCAT.mediaType, None) not in g


def test_300_tags_and_200_resources(serializer):
    dataset = datasets.package(tags=[{"name": f"trefwoord-{n}"} for n in range(300)])
    dataset["resources"] = [datasets.resource(dataset["id"], n) for n in range(200)]
    g, ref = to_graph(serializer, dataset)

    assert len(set(g.objects(ref, DCAT.keyword))) == 300
    dists = set(g.objects(ref, DCAT.distribution))
    assert len(dists) == 200
    policy = only(g, ref, ODRL.hasPolicy)
    for dist in dists:
        assert only(g, dist, DCT.license) == URIRef(EU + "licence/CC_BY_4_0")
        assert only(g, dist, ODRL.hasPolicy) == policy
        assert only(g, dist, DCAT.accessURL)


@pytest.mark.parametrize("profiles", [
    ["euro_dcat_ap_3", "retailarea_dcat_ap_nl"],
    ["euro_dcat_ap_3", "euro_dcat_ap_scheming", "retailarea_dcat_ap_nl"],
])
def test_the_scheming_compatibility_profile_changes_nothing(serializer, profiles):
    dataset = datasets.parking()
    with_scheming, _ = to_graph(serializer, dataset, profiles)
    without, _ = to_graph(serializer, dataset)

    assert len(with_scheming) == len(without)


@pytest.mark.filterwarnings("ignore:Assertions on rdflib.term.BNode")
@pytest.mark.parametrize("fmt", ["xml", "turtle", "json-ld"])
def test_the_purpose_list_survives_every_rdf_format(serializer, fmt):
    # rdflib's RDF/XML writer warns about every rdf:List; the list itself is kept.
    dataset = datasets.restricted()
    text = serializer().serialize_dataset(dataset, _format=fmt)
    g = serializer().g
    g.parse(data=text, format="xml" if fmt == "xml" else fmt)

    constraint = next(g.subjects(ODRL.leftOperand, ODRL.purpose))
    operands = list(Collection(g, only(g, constraint, ODRL.rightOperand)))
    assert operands == [DPV.AcademicResearch, DPV.PublicPolicyMaking]


def test_a_resource_url_naming_the_catalog_does_not_erase_the_catalog(serializer, monkeypatch):
    # The catalog's dct:modified comes from a search of the shared index: fixed here.
    monkeypatch.setattr(RDFProfile, "_last_catalog_modification",
                        lambda self: "2025-06-01T10:00:00")
    dataset = datasets.restricted()
    dataset["resources"][0]["url"] = datasets.SITE
    s = serializer()
    s.serialize_catalog({}, [dataset, datasets.package()], _format="turtle")

    catalog = URIRef(datasets.SITE)
    assert (catalog, RDF.type, DCAT.Catalog) in s.g
    assert len(list(s.g.objects(catalog, DCAT.dataset))) == 2
    assert shacl.validate(s.g).conforms


def test_an_unusable_link_gives_the_resource_page_as_access_url(serializer):
    dataset = datasets.generic()
    resource = dataset["resources"][0]
    resource.update(url="huurprijzen.xlsx", url_type="")
    g, ref = to_graph(serializer, dataset)

    dist = only(g, ref, DCAT.distribution)
    assert only(g, dist, DCAT.accessURL) == URIRef(
        f"{datasets.SITE}/dataset/{dataset['name']}/resource/{resource['id']}")
    assert (dist, DCAT.downloadURL, None) not in g


def test_unreadable_flags_are_treated_protectively(serializer):
    g, ref = to_graph(serializer, datasets.package(contains_personal_data="misschien"))
    assert (ref, DPV.hasData, None) not in g and (ref, DPV.hasPersonalData, None) not in g

    g, _ = to_graph(serializer, datasets.package(private="misschien"))
    assert len(g) == 0


def test_in_a_catalog_only_ckanext_dcats_own_link_to_a_non_public_dataset_remains(
    serializer, monkeypatch
):
    """RDFSerializer.serialize_catalog links each dataset to the catalog after the profiles
    ran, so callers must leave non-public datasets out (the catalog endpoint's
    package_search does): everything else about them is gone."""
    monkeypatch.setattr(RDFProfile, "_last_catalog_modification",
                        lambda self: "2025-06-01T10:00:00")
    hidden = datasets.non_public(title="Geheime telling")
    s = serializer()
    s.serialize_catalog({}, [datasets.package(), hidden], _format="turtle")

    ref = URIRef(f"{datasets.SITE}/dataset/{hidden['id']}")
    assert list(s.g.triples((ref, None, None))) == []
    assert list(s.g.triples((None, None, ref))) == [(URIRef(datasets.SITE), DCAT.dataset, ref)]
    assert "Geheime telling" not in s.g.serialize(format="nt")
