"""Bad input gets a field error and a 4xx, never a 500."""
from __future__ import annotations

import pytest

API = "/api/3/action/retailarea_area_insights"


@pytest.mark.parametrize(("params", "field"), [
    ({}, "area"),
    ({"area": "nergens"}, "area"),
    ({"area": "gouda-binnenstad", "as_of": "2025-13-01"}, "as_of"),
    ({"area": "gouda-binnenstad", "as_of": "gisteren"}, "as_of"),
    ({"area": "gouda-binnenstad", "as_of": "0001-01-01"}, "as_of"),
    ({"area": ["gouda-binnenstad"]}, "area"),
    ({"area": "x" * 1000}, "area"),
])
def test_field_errors(app, world, params, field):
    response = app.post(API, json=params)
    assert 400 <= response.status_code < 500
    assert field in response.json["error"]
