"""Every cross-field and field rule of the dataset types, sent through the Action API."""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from tests import factories


@pytest.fixture
def editor(clean_db, clean_index):
    user = ckan_factories.User()
    org = ckan_factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])
    return {"user": user, "org": org}


def create(editor, **fields):
    data = dict(
        name="telling-gouda", title="Telling Gouda", owner_org=editor["org"]["id"],
        type="dataset", access_level="public", contains_personal_data=False, theme=["ECON"],
    )
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    return helpers.call_action("package_create", {"user": editor["user"]["name"]}, **data)


def field_errors(editor, **fields) -> dict:
    with pytest.raises(tk.ValidationError) as error:
        create(editor, **fields)
    return error.value.error_dict


def test_a_complete_public_dataset_is_stored_with_its_codes(editor):
    dataset = create(
        editor, theme=["ECON", "TRAN"], frequency="DAILY", retention_period="P1Y",
        temporal_start="2025-01-01", temporal_end="2025-12-31", temporal_resolution="PT15M",
        conforms_to=["https://example.org/schemas/footfall"], usage_conditions="Cite us.",
    )
    shown = helpers.call_action("package_show", id=dataset["id"])
    assert shown["access_level"] == "public" and shown["private"] is False
    assert shown["theme"] == ["ECON", "TRAN"]
    assert shown["contains_personal_data"] is False
    assert (shown["temporal_start"], shown["temporal_end"]) == ("2025-01-01", "2025-12-31")
    assert shown["temporal_resolution"] == "PT15M"
    assert shown["conforms_to"] == ["https://example.org/schemas/footfall"]


@pytest.mark.parametrize("dataset_type, extra", [
    ("shop-register", {"classification_scheme": "sbi2025", "reference_date": "2025-09-01"}),
    ("events", {"feed_source": "icalendar", "language": ["nl", "en"]}),
    ("parking", {"area_manager_id": "0513", "standard": "SPDP 2.0"}),
    ("footfall", {"counting_method": "3d", "number_of_sensors": "12"}),
])
def test_each_type_keeps_its_own_fields(editor, dataset_type, extra):
    dataset = create(editor, type=dataset_type, **extra)
    shown = helpers.call_action("package_show", id=dataset["id"])
    assert shown["type"] == dataset_type
    for key, value in extra.items():
        assert str(shown[key]) == str(value) or shown[key] == value
    assert shown["area_manager_id"] == "0513" if dataset_type == "parking" else True


def test_restricted_needs_permitted_purposes(editor):
    errors = field_errors(editor, access_level="restricted")
    assert errors["permitted_purposes"] == [
        "Required when access_level is restricted: pick the permitted purposes"
    ]


def test_restricted_with_purposes_is_public_metadata_not_private(editor):
    dataset = create(editor, access_level="restricted",
                     permitted_purposes=["AcademicResearch", "Marketing"])
    assert dataset["private"] is False
    assert dataset["permitted_purposes"] == ["AcademicResearch", "Marketing"]


def test_personal_data_needs_a_legal_basis(editor):
    errors = field_errors(editor, contains_personal_data=True)
    assert errors["legal_basis"] == ["Required when the data contains personal data (GDPR art. 6)"]


def test_non_public_makes_the_dataset_private_whatever_was_asked(editor):
    dataset = create(editor, access_level="non_public", private=False)
    assert dataset["private"] is True
    updated = helpers.call_action(
        "package_patch", {"user": editor["user"]["name"]}, id=dataset["id"],
        access_level="public",
    )
    assert updated["private"] is False


def test_missing_access_fields_default_to_the_most_protective(editor):
    errors = field_errors(editor, access_level=None, contains_personal_data=None)
    assert "legal_basis" in errors  # personal data is assumed until said otherwise
    dataset = create(editor, access_level=None, contains_personal_data=None,
                     legal_basis="A6-1-e")
    assert dataset["access_level"] == "non_public" and dataset["private"] is True
    assert dataset["contains_personal_data"] is True


def test_temporal_start_after_end_is_refused(editor):
    errors = field_errors(editor, temporal_start="2025-12-31", temporal_end="2025-01-01")
    assert errors["temporal_end"] == ["The end of the period lies before its start"]


@pytest.mark.parametrize("field", ["retention_period", "temporal_resolution"])
@pytest.mark.parametrize("value", ["1 week", "P", "PT", "15M", "P0D", "PTXM", 15])
def test_durations_must_be_iso8601(editor, field, value):
    errors = field_errors(editor, **{field: value})
    assert errors[field] == ["Use an ISO 8601 duration such as PT15M, PT1H, P1D, P1W or P1Y"]


@pytest.mark.parametrize("value, message", [
    ("not json", "Not valid JSON"),
    ('{"type": "Circle", "coordinates": [4, 52]}', "Expected a GeoJSON geometry"),
    ('{"type": "Polygon", "coordinates": [[[0,0],[1,1],[1,0],[0,1],[0,0]]]}', "Self-intersection"),
    ('{"type": "Point", "coordinates": [520000, 4.7]}', "WGS 84"),
    ('{"type": "Polygon", "coordinates": "x"}', "Not a valid GeoJSON geometry"),
    ("[1, 2]", "Expected a GeoJSON geometry"),
])
def test_spatial_must_be_valid_geojson(editor, value, message):
    errors = field_errors(editor, spatial=value)
    assert message in errors["spatial"][0]


@pytest.mark.parametrize("field, value", [
    ("access_level", "open"),
    ("access_level", "PUBLIC"),
    ("theme", ["ECONOMY"]),
    ("frequency", "sometimes"),
    ("legal_basis", "A6-1-g"),
    ("permitted_purposes", ["Spying"]),
    ("access_reason", "BECAUSE"),
])
def test_codes_only_from_their_vocabulary(editor, field, value):
    personal = {"contains_personal_data": True, "legal_basis": "A6-1-a"}
    errors = field_errors(editor, **{**personal, field: value})
    assert field in errors


def test_theme_is_required(editor):
    assert "theme" in field_errors(editor, theme=[])


def test_wifi_counts_are_personal_data(editor):
    errors = field_errors(editor, type="footfall", counting_method="wifi")
    assert errors["contains_personal_data"] == [
        "Wifi and bluetooth counts are personal data: set this to true"
    ]


@pytest.mark.parametrize("field, value", [
    ("number_of_sensors", "twelve"), ("number_of_sensors", -1),
    ("number_of_sensors", {"n": 1}), ("contains_personal_data", "maybe"),
    ("theme", "ECON ECON"), ("temporal_start", "gisteren"),
])
def test_wrong_types_are_field_errors_not_500s(editor, field, value):
    errors = field_errors(editor, type="footfall", counting_method="thermal",
                          **{field: value})
    assert field in errors


def test_dutch_diacritics_and_long_html_text_are_kept_verbatim(editor):
    notes = "Passanten op de Kleiweg en Lange Tiendeweg – café’s, crème brûlée. " * 200
    notes += "<script>alert(1)</script>"
    dataset = create(editor, title="Tellingen ’s-Hertogenbosch: Één café", notes=notes)
    shown = helpers.call_action("package_show", id=dataset["id"])
    assert shown["notes"] == notes
    assert shown["title"] == "Tellingen ’s-Hertogenbosch: Één café"


def test_usage_conditions_longer_than_the_limit_are_refused_not_cut(editor):
    errors = field_errors(editor, usage_conditions="x" * 4001)
    assert errors["usage_conditions"] == ["At most 4000 characters, got 4001"]


def test_dataset_without_spatial_takes_its_areas_outline(editor):
    area = factories.RetailArea(name="gouda-binnenstad")
    dataset = create(editor, groups=[{"name": area["name"]}])
    assert json.loads(dataset["spatial"]) == json.loads(area["geometry"])


def test_own_spatial_wins_over_the_area(editor):
    area = factories.RetailArea(name="gouda-binnenstad")
    own = '{"type":"Point","coordinates":[4.71,52.01]}'
    dataset = create(editor, groups=[{"name": area["name"]}], spatial=own)
    assert json.loads(dataset["spatial"]) == json.loads(own)
