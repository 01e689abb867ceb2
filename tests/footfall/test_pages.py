"""Downloads of the series (CSV, JSON) and the charts on the dataset and area pages."""
from __future__ import annotations

import csv
import io
import re

from tests import factories
from tests.footfall.conftest import series


def test_json_download_is_the_series(app, tiny, steward):
    name = steward["dataset"]["name"]
    response = app.get(f"/dataset/{name}/footfall/series.json",
                       query_string={"period": "day"}, status=200)

    assert response.content_type.startswith("application/json")
    assert response.json == series(id=name, period="day")


def test_csv_download_has_the_total_then_each_location(app, tiny, steward):
    name = steward["dataset"]["name"]
    response = app.get(f"/dataset/{name}/footfall/series.csv",
                       query_string={"period": "month", "location_id": "GOU-01"}, status=200)

    assert response.content_type.startswith("text/csv")
    assert f'filename="{name}-footfall-month.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["series"], r["location_id"], r["start"], r["visitors"], r["imputed"])
            for r in rows] == [("total", "", "2025-06-01", "19", "7"),
                               ("location", "GOU-01", "2025-06-01", "19", "7")]
    assert rows[0]["complete"] == "false" and rows[0]["previous_year"] == ""


def test_area_download(app, tiny):
    response = app.get("/retail-area/gouda-binnenstad/footfall/series.csv",
                       query_string={"period": "year"}, status=200)
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0]["visitors"] == "24" and {r["location_id"] for r in rows} == {
        "", "GOU-01", "GOU-02"}


def test_downloads_answer_bad_input_and_access_with_the_reason(app, tiny, steward, load):
    name = steward["dataset"]["name"]
    text = app.get(f"/dataset/{name}/footfall/series.csv", query_string={"period": "hour"},
                   status=400).get_data(as_text=True)
    assert text.startswith("period: Unknown period 'hour'")
    body = app.get(f"/dataset/{name}/footfall/series.json", query_string={"period": "day",
                   "start": "2026-01-01", "end": "2025-01-01"}, status=400).json
    assert "reversed" in body["error"]["end"][0]
    app.get("/dataset/nothing-here/footfall/series.json?period=day", status=404)

    restricted = factories.Footfall(owner_org=steward["org"]["id"], access_level="restricted",
                                    permitted_purposes=["AcademicResearch"])
    load("location_id,interval_start,interval,direction,mode,count,imputed\n"
         "X,2025-06-02T10:00:00+02:00,PT1H,in,pedestrian,1,false\n", dataset=restricted)
    denied = app.get(f"/dataset/{restricted['name']}/footfall/series.csv?period=day",
                     status=403).get_data(as_text=True)
    assert "request access" in denied
    page = app.get(f"/footfall/{restricted['name']}").get_data(as_text=True)
    assert "retailarea-footfall-note" in page and 'data-module="retailarea-footfall-chart"' \
        not in page


def test_parking_download(app, steward, load):
    from tests.footfall.test_parking import FACILITIES, NORTH, occupancy_csv

    dataset = factories.Dataset(type="parking", standard="SPDP 2.0",
                                owner_org=steward["org"]["id"])
    load(FACILITIES, dataset=dataset, name="facilities.csv")
    load(occupancy_csv(), dataset=dataset, name="occupancy.csv")
    response = app.get(f"/dataset/{dataset['name']}/parking/occupancy.csv",
                       query_string={"period": "month", "facility": NORTH}, status=200)
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["name"], r["start"], r["observations"]) for r in rows] == [
        ("Garage Noord", "2025-03-01", "6")]


def chart_of(page: str) -> str:
    start = page.index('<section class="retailarea-footfall-chart"')
    return page[start:page.index("</section>", start)]


def test_the_dataset_page_shows_the_chart_with_its_bundle(app, tiny, steward):
    page = app.get(f"/footfall/{steward['dataset']['name']}").get_data(as_text=True)

    chart = chart_of(page)
    assert 'data-module="retailarea-footfall-chart"' in chart
    assert 'data-module-start="2025-01-01"' in chart and 'data-module-end="2025-12-31"' in chart
    assert re.findall(r'value="(\w+)"', chart) == ["day", "week", "month"]
    assert "<canvas role=\"img\"" in chart and "aria-label=" in chart
    assert "<caption>" in chart  # the figures as a table too
    csv_link = re.search(r'class="retailarea-download-csv" href="([^"]+)"', chart).group(1)
    assert csv_link.startswith(f"/dataset/{steward['dataset']['name']}/footfall/series.csv?")
    app.get(csv_link.replace("&amp;", "&"), status=200)

    bundle = re.search(r'<script src="([^"]+footfall_chart\.js[^"]*)"', page).group(1)
    script = app.get(bundle, status=200).get_data(as_text=True)
    assert "Chart.js v4.6.1" in script and "retailarea-footfall-chart" in script


def test_the_area_page_shows_the_chart(app, tiny):
    page = app.get("/retail-area/gouda-binnenstad").get_data(as_text=True)
    chart = chart_of(page)
    assert "/retail-area/gouda-binnenstad/footfall/series.json" in chart
    assert "footfall_chart.js" in page
    dutch = chart_of(app.get("/nl/retail-area/gouda-binnenstad").get_data(as_text=True))
    assert "Bezoekers in 2025" in dutch and "De cijfers als tabel" in dutch


def test_no_chart_without_counts(app, steward):
    page = app.get(f"/footfall/{steward['dataset']['name']}").get_data(as_text=True)
    assert "retailarea-footfall-chart" not in page
    assert "retailarea-footfall" not in app.get("/retail-area/gouda-binnenstad").get_data(
        as_text=True)
