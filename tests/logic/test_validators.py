"""Retail areas validate their municipality code; the message is translated."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories, helpers

from ckanext.retailarea.logic.validators import retailarea_municipality_code


@pytest.mark.parametrize("code", ["GM0513", "GM0202", " GM0363 "])
def test_valid_municipality_codes_pass(code):
    assert retailarea_municipality_code(code) == code.strip()


@pytest.mark.parametrize(
    "code", ["0513", "gm0513", "GM513", "GM05133", "GM05A3", 513, "GM０５１３"]
)
def test_invalid_municipality_codes_are_refused(code):
    with pytest.raises(tk.Invalid, match="GM followed by four digits"):
        retailarea_municipality_code(code)


def _area(**fields):
    return dict(
        name="gouda-binnenstad", title="Gouda binnenstad", type="retail-area",
        municipality_code="GM0513", area_kind="city_centre", **fields,
    )


@pytest.mark.usefixtures("clean_db")
def test_group_create_refuses_a_bad_code_with_a_field_error():
    user = factories.Sysadmin()
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action(
            "group_create", {"user": user["name"]}, **dict(_area(), municipality_code="Gouda")
        )
    assert error.value.error_dict["municipality_code"] == [
        "Use a CBS municipality code: GM followed by four digits, e.g. GM0513"
    ]


@pytest.mark.usefixtures("clean_db")
def test_group_create_refuses_an_unknown_area_kind():
    user = factories.Sysadmin()
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action(
            "group_create", {"user": user["name"]}, **dict(_area(), area_kind="mall")
        )
    assert "area_kind" in error.value.error_dict


@pytest.mark.usefixtures("clean_db")
def test_bad_code_through_the_http_api_is_a_400_in_english_and_dutch(app):
    user = factories.SysadminWithToken()
    headers = {"Authorization": user["token"]}
    body = dict(_area(), municipality_code="0513")

    english = app.post("/api/3/action/group_create", json=body, headers=headers, status=409)
    dutch = app.post("/nl/api/3/action/group_create", json=body, headers=headers, status=409)

    assert english.json["error"]["municipality_code"] == [
        "Use a CBS municipality code: GM followed by four digits, e.g. GM0513"
    ]
    assert dutch.json["error"]["municipality_code"] == [
        "Gebruik een CBS-gemeentecode: GM gevolgd door vier cijfers, bijvoorbeeld GM0513"
    ]
