"""DCAT -> CKAN: our own output round-trips to the same field values, and other catalogs'
DCAT is read without crashing, unknown values left out."""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
import isodate
import pytest

from tests.dcat.profiles import datasets

# CKAN-local or set by the harvester, not carried by DCAT.
NOT_EXPORTED = {"name", "owner_org", "tag_string"}
# xsd:duration has no week designator: P1W comes back as the same duration spelled P7D.
DURATIONS = {"retention_period", "temporal_resolution"}
CHAINS = {
    "euro_dcat_ap_3": ["euro_dcat_ap_3", "retailarea_dcat_ap_nl"],
    "with_scheming_profile": ["euro_dcat_ap_3", "euro_dcat_ap_scheming",
                              "retailarea_dcat_ap_nl"],
}


def round_trip(serializer, parser, dataset, fmt="turtle", profiles=None):
    text = serializer(profiles).serialize_dataset(dataset, _format=fmt)
    rdf_parser = parser(profiles)
    rdf_parser.parse(text, _format=fmt)
    (parsed,) = list(rdf_parser.datasets())
    return parsed


def schema_fields(dataset_type):
    schema = tk.get_action("scheming_dataset_schema_show")({}, {"type": dataset_type})
    dataset_fields = [f["field_name"] for f in schema["dataset_fields"]]
    resource_fields = [f["field_name"] for f in schema["resource_fields"]]
    return [f for f in dataset_fields if f not in NOT_EXPORTED], resource_fields


def normalised(field, value):
    """The value as the API compares it: lists as sets, GeoJSON parsed, durations as
    durations, numbers as text."""
    if value in (None, "", []):
        return None
    if isinstance(value, list):
        return sorted(map(str, value))
    if field == "spatial":
        return json.loads(value)
    if field in DURATIONS:
        return isodate.parse_duration(value)
    if isinstance(value, (bool, int)):
        return str(value).lower()
    return value


def assert_same_fields(original, parsed):
    dataset_fields, resource_fields = schema_fields(original["type"])
    assert parsed["type"] == original["type"]
    for field in dataset_fields:
        assert normalised(field, parsed.get(field)) == normalised(field, original.get(field)), field
    assert sorted(t["name"] for t in parsed["tags"]) == sorted(t["name"] for t in original["tags"])
    restricted = original["access_level"] == "restricted"
    by_name = {r["name"]: r for r in parsed["resources"]}
    assert len(by_name) == len(original["resources"])
    for resource in original["resources"]:
        found = by_name[resource["name"]]
        for field in resource_fields:
            if field == "url" and restricted:
                assert found["url"] == f"{datasets.SITE}/dataset/{original['name']}"
            else:
                expected = normalised(field, resource.get(field))
                assert normalised(field, found.get(field)) == expected, field


@pytest.mark.parametrize("chain", list(CHAINS))
@pytest.mark.parametrize("kind", list(datasets.ALL_TYPES))
def test_every_schema_field_survives_export_and_import(serializer, parser, kind, chain):
    original = datasets.ALL_TYPES[kind]()
    parsed = round_trip(serializer, parser, original, profiles=CHAINS[chain])

    assert_same_fields(original, parsed)


@pytest.mark.parametrize("fmt", ["xml", "turtle", "json-ld"])
def test_round_trip_through_each_rdf_format(serializer, parser, fmt):
    original = datasets.parking()
    parsed = round_trip(serializer, parser, original, fmt=fmt)

    assert_same_fields(original, parsed)


def test_import_carries_retail_areas_as_an_extra_and_no_scheming_subfields(serializer, parser):
    parsed = round_trip(serializer, parser, datasets.package())

    extras = {e["key"]: e["value"] for e in parsed["extras"]}
    assert json.loads(extras["retail_areas"]) == [{
        "uri": f"{datasets.SITE}/retail-area/gouda-binnenstad", "name": "gouda-binnenstad",
        "title": "Gouda binnenstad", "municipality_code": "GM0513",
    }]
    for key in ("contact", "publisher", "creator", "groups"):
        assert key not in parsed
    for key in ("theme", "frequency", "access_rights", "dcat_type", "spatial", "language"):
        assert key not in extras


def test_the_organization_contact_does_not_become_a_maintainer(serializer, parser):
    parsed = round_trip(serializer, parser, datasets.package(maintainer=None,
                                                             maintainer_email=None))

    assert "maintainer" not in parsed and "maintainer_email" not in parsed


def test_empty_optional_fields_round_trip_as_absent(serializer, parser):
    original = datasets.generic(
        spatial=None, temporal_start=None, temporal_end=None, temporal_resolution=None,
        frequency=None, permitted_purposes=[], usage_conditions="", retention_period="",
        conforms_to=[], contains_personal_data=None,
    )
    parsed = round_trip(serializer, parser, original)

    assert_same_fields(original, parsed)


FOREIGN = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix locn: <http://www.w3.org/ns/locn#> .
@prefix gsp: <http://www.opengis.net/ont/geosparql#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix odrl: <http://www.w3.org/ns/odrl/2/> .
@prefix time: <http://www.w3.org/2006/time#> .

<https://data.example.nl/id/dataset/1> a dcat:Dataset ;
  dct:title "Bezoekersaantallen"@nl ;
  dct:description "Aantallen per maand."@nl ;
  dct:identifier "https://data.example.nl/id/dataset/1" ;
  dct:accessRights %(access)s ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/SOCI>,
             <http://example.org/themes/shopping>, "ECON" ;
  dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/MONTHLY> ;
  dct:conformsTo <https://example.org/standards/visitors>, "Een standaard" ;
  dct:language <http://publications.europa.eu/resource/authority/language/NLD> ;
  dct:spatial [ a dct:Location ;
      locn:geometry "POLYGON ((4.70 52.00, 4.72 52.00, 4.72 52.02, 4.70 52.00))"^^gsp:wktLiteral ] ;
  dct:temporal [ a dct:PeriodOfTime ;
      time:hasBeginning [ time:inXSDDate "2023-01-01"^^xsd:date ] ;
      time:hasEnd [ time:inXSDDateTime "2023-12-31T23:59:59"^^xsd:dateTime ] ] ;
  odrl:hasPolicy [ odrl:permission [ odrl:action odrl:use ;
      odrl:constraint [ odrl:leftOperand odrl:purpose ; odrl:operator odrl:isAnyOf ;
                        odrl:rightOperand <https://w3id.org/dpv#ResearchAndDevelopment>,
                                          <https://w3id.org/dpv#SomethingNew> ] ] ] ;
  <https://w3id.org/dpv#hasLegalBasis> <https://w3id.org/dpv/dpv-gdpr#A6-1-e> ;
  <https://w3id.org/dpv#hasPersonalData> <https://w3id.org/dpv#PersonalData> ;
  dcat:distribution <https://data.example.nl/id/distribution/1> .

<https://data.example.nl/id/distribution/1> a dcat:Distribution ;
  dcat:accessURL <https://data.example.nl/files/visitors.csv> ;
  dct:license <http://creativecommons.org/publicdomain/zero/1.0/deed.nl> ;
  dcat:mediaType <https://www.iana.org/assignments/media-types/text/csv> ;
  dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> .
"""


def parse_foreign(parser, access="<http://publications.europa.eu/resource/authority/access-right/PUBLIC>"):
    rdf_parser = parser()
    rdf_parser.parse(FOREIGN % {"access": access}, _format="turtle")
    (parsed,) = list(rdf_parser.datasets())
    return parsed


def test_foreign_dcat_ap_is_mapped_to_our_codes(parser):
    parsed = parse_foreign(parser)

    assert parsed["type"] == "dataset"
    assert parsed["access_level"] == "public"
    assert parsed["theme"] == ["SOCI"]
    assert parsed["frequency"] == "MONTHLY"
    assert parsed["conforms_to"] == ["https://example.org/standards/visitors"]
    assert (parsed["temporal_start"], parsed["temporal_end"]) == ("2023-01-01", "2023-12-31")
    assert json.loads(parsed["spatial"])["type"] == "Polygon"
    assert parsed["permitted_purposes"] == ["ResearchAndDevelopment"]
    assert parsed["legal_basis"] == "A6-1-e"
    assert parsed["contains_personal_data"] is True
    assert parsed["license_id"] == "cc-zero"
    (resource,) = parsed["resources"]
    assert (resource["format"], resource["mimetype"]) == ("CSV", "text/csv")
    assert resource["url"] == "https://data.example.nl/files/visitors.csv"
    assert "language" not in parsed


@pytest.mark.parametrize(("access", "level", "reason"), [
    ("<http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC>",
     "non_public", None),
    ("<https://publications.europa.eu/resource/authority/access-right/RESTRICTED/>",
     "restricted", None),
    ("<https://dcat.overheid.nl/application-profile/donl/term/PRIVACY>", "non_public", "PRIVACY"),
    ("<https://dcat.overheid.nl/application-profile/donl/term/ONDER_VOORWAARDEN>",
     "restricted", "ONDER_VOORWAARDEN"),
    ("<https://dcat.overheid.nl/application-profile/donl/term/PUBLIEK>", "public", None),
    ('[ a dct:RightsStatement ; rdfs:label "PUBLIC" ]', "public", None),
    ('[ a dct:RightsStatement ; rdfs:label "Alleen op afspraak" ]', None, None),
    ('"iets onbekends"', None, None),
    ("<http://example.org/access/open>", None, None),
])
def test_foreign_access_rights(parser, access, level, reason):
    parsed = parse_foreign(parser, access)

    assert parsed.get("access_level") == level
    assert parsed.get("access_reason") == reason


def test_garbage_values_are_ignored_not_fatal(parser):
    rdf_parser = parser()
    rdf_parser.parse("""
        @prefix dcat: <http://www.w3.org/ns/dcat#> .
        @prefix dct: <http://purl.org/dc/terms/> .
        @prefix locn: <http://www.w3.org/ns/locn#> .
        <http://x.example/ds> a dcat:Dataset ; dct:title "X" ;
          dct:type <https://w3id.org/retailarea#NoSuchType>,
                   <https://w3id.org/retailarea#Footfall> ;
          dct:accrualPeriodicity "weekly" ;
          dct:spatial [ a dct:Location ; locn:geometry "not a geometry" ] ;
          dct:spatial <https://sws.geonames.org/2755669/> ;
          dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "begin" ] ;
          <https://w3id.org/retailarea#numberOfSensors> "veel" ;
          dcat:distribution [ a dcat:Distribution ; dct:format "Tabel" ;
                              dct:license <http://example.org/licence/x> ] .
    """, _format="turtle")
    (parsed,) = list(rdf_parser.datasets())

    assert parsed["type"] == "footfall"
    assert parsed["title"] == "X"
    assert "frequency" not in parsed
    assert "spatial" not in parsed
    assert "temporal_start" not in parsed
    assert "number_of_sensors" not in parsed
    assert parsed["resources"][0]["format"] == "Tabel"
