"""The dashboard on the retail area's page, the comparison and the downloads, in en and nl."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from tests import factories
from tests.insights.conftest import add_table, counts, dataset, span

JUNE = span(dt.date(2025, 6, 2), 14)


@pytest.fixture
def two_areas(world):
    factories.RetailArea(name="arnhem-centrum", title="Arnhem centrum")
    for area, value in (("gouda-binnenstad", 10), ("arnhem-centrum", 20)):
        footfall = factories.Footfall(owner_org=world["org"]["id"], groups=[{"name": area}])
        add_table(footfall, "footfall_counts", counts("A", JUNE, range(9, 18),
                                                      lambda d, h, v=value: v))
    hidden = dataset(world, factories.Footfall, name="geheim", title="Geheime tellingen",
                     access_level="restricted", permitted_purposes=["AcademicResearch"])
    add_table(hidden, "footfall_counts", counts("S", JUNE, range(9, 10), lambda d, h: 1))
    return world


AS_OF = {"as_of": "2025-07-15"}


def test_area_page_is_a_dashboard_in_english_and_dutch(app, two_areas):
    english = app.get("/retail-area/gouda-binnenstad").body
    assert "How the area is doing" in english
    assert "Geheime tellingen: restricted: request access to see its figures" in english
    assert "/retail-area/gouda-binnenstad/insights.csv" in english
    dutch = app.get("/nl/retail-area/gouda-binnenstad").body
    assert "Hoe het gebied ervoor staat" in dutch


def test_area_page_looks_from_another_day(app, two_areas):
    page = app.get("/retail-area/gouda-binnenstad", query_string={"ext_as_of": "2025-07-15"})
    assert "The 12 full months 2024-07-01 to 2025-06-30" in page.body
    assert "2 datasets found" in page.body  # not taken for a search filter
    assert "/retail-area/gouda-binnenstad/insights.csv?as_of=2025-07-15" in page.body


def test_downloads_hold_every_figure(app, two_areas):
    response = app.get("/retail-area/gouda-binnenstad/insights.csv", query_string=AS_OF)
    rows = list(csv.DictReader(io.StringIO(response.body)))
    figures = {(r["section"], r["figure"]): r["value"] for r in rows}
    assert figures[("footfall", "visitors_12m")] == str(10 * 9 * 14)
    assert ("footfall", "months[2025-06-01].visitors") in figures
    assert any(section == "freshness" for section, _ in figures)
    answer = app.get("/retail-area/gouda-binnenstad/insights.json", query_string=AS_OF).json
    assert answer["footfall"][0]["visitors_12m"] == 10 * 9 * 14


def test_compare_puts_areas_side_by_side(app, two_areas):
    page = app.get("/retail-area/compare",
                   query_string={"areas": "gouda-binnenstad,arnhem-centrum", **AS_OF}).body
    assert "Arnhem centrum" in page and "Visitors, last 12 months" in page
    rows = list(csv.DictReader(io.StringIO(app.get(
        "/retail-area/compare.csv",
        query_string={"areas": "gouda-binnenstad,arnhem-centrum", **AS_OF}).body)))
    totals = {r["area"]: r["value"] for r in rows if r["figure"] == "visitors_12m"}
    assert totals == {"gouda-binnenstad": str(10 * 9 * 14), "arnhem-centrum": str(20 * 9 * 14)}


@pytest.mark.parametrize("areas", ["", "gouda-binnenstad", "gouda-binnenstad,nergens"])
def test_compare_names_what_is_wrong(app, two_areas, areas):
    response = app.get("/retail-area/compare", query_string={"areas": areas}, status=400)
    assert "alert-danger" in response.body
    app.get("/retail-area/compare.json", query_string={"areas": areas}, status=400)
