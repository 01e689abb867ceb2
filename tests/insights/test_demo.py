"""The insights, the dashboard and the comparison on the demo catalog (loaded as `ckan
retailarea demo load` loads it), in English and Dutch. One test: the load takes a minute."""
from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from ckanext.retailarea.demo import loader

AREAS = ("gouda-binnenstad", "arnhem-centrum")


@pytest.fixture
def demo(clean_db, clean_index, clean_datastore, run_jobs):
    factories.Sysadmin(name="admin")
    loader.load(report=lambda line: None)
    run_jobs()


def test_demo_areas(demo, app):
    for area in AREAS:
        anonymous = {"user": "", "ignore_auth": False}
        answer = helpers.call_action("retailarea_area_insights", anonymous, area=area,
                                     as_of="2026-01-15")
        assert answer["window"]["first"] == "2025-01-01"
        public = [entry for entry in answer["footfall"] if entry["source"]["mode"] == "full"]
        assert public and all(e["visitors_12m"] for e in public)
        assert answer["freshness"] and all(e["source"]["dataset"] for e in answer["freshness"])
        for section in ("footfall", "shops", "parking", "events"):
            assert all(e["source"]["resources"] for e in answer[section]), section
        # the demo's past events lie in its counted year, so their effect shows
        effects = [effect for entry in answer["events"] for effect in entry.get("effects") or []]
        kings_day = [e for e in effects if e["day"] == "2025-04-26"]
        assert kings_day and all(e["visitors"] and e["baseline_visitors"] for e in kings_day)
    english = app.get("/retail-area/gouda-binnenstad").body
    assert "How the area is doing" in english
    assert "Hoe het gebied ervoor staat" in app.get("/nl/retail-area/arnhem-centrum").body
    compare = app.get("/nl/retail-area/compare", query_string={
        "areas": ",".join(AREAS), "as_of": "2026-01-15"}).body
    assert "Arnhem centrum" in compare and "Bezoekers, laatste 12 maanden" in compare
