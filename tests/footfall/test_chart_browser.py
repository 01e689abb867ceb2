"""The visitors chart draws in a real browser (Debian's Chromium through Playwright): a
line for the year and one for the year before, a period switch that reloads the series,
the figures as a table and download links that follow the period shown. Nothing is
fetched from outside 127.0.0.1 (Chart.js comes from our webassets bundle)."""
from __future__ import annotations

import datetime as dt
import os
import pathlib
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from werkzeug.serving import make_server

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CHROMIUM = os.environ.get("RETAILAREA_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = pathlib.Path(os.environ.get(
    "RETAILAREA_SCREENSHOTS", pathlib.Path(__file__).resolve().parents[2] / ".data"
    / "screenshots"))
MONTH = (0.78, 0.82, 0.92, 1.00, 1.02, 1.00, 1.10, 1.12, 0.98, 1.00, 1.06, 1.28)
WEEKDAY = (0.70, 0.80, 0.88, 0.92, 1.05, 1.50, 0.40)


def daily_counts() -> str:
    """Two sensors, one count per local day for 2024 and 2025 (a little busier)."""
    lines = ["location_id,interval_start,interval,direction,mode,count,imputed"]
    day = dt.date(2024, 1, 1)
    while day <= dt.date(2025, 12, 31):
        growth = 1.04 if day.year == 2025 else 1.0
        midnight = dt.datetime.combine(day, dt.time(), AMSTERDAM).isoformat()
        for location, peak in (("GOU-01", 9000), ("GOU-02", 5000)):
            count = round(peak * MONTH[day.month - 1] * WEEKDAY[day.weekday()] * growth)
            lines.append(f"{location},{midnight},P1D,both,pedestrian,{count},false")
        day += dt.timedelta(days=1)
    return "\n".join(lines) + "\n"


class LiveServer:
    """CKAN served by werkzeug in a thread; the port is known before the app is made, so
    the site URL (which CKAN's JavaScript loads its translations from) can be ours."""

    def __init__(self) -> None:
        self.app: Any = None
        self.server = make_server("127.0.0.1", 0, lambda *args: self.app(*args),
                                  threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self, app: Any) -> None:
        self.app = app
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(5)
        self.server.server_close()


@pytest.fixture
def served(load, steward, ckan_config, make_app, monkeypatch) -> Iterator[dict]:
    load(daily_counts())
    server = LiveServer()
    monkeypatch.setitem(ckan_config, "ckan.site_url", server.url)
    # the dataset page's coverage map: outlines alone, no tile server (the default is
    # OpenStreetMap's, which would be a request to outside)
    monkeypatch.setitem(ckan_config, "ckanext.retailarea.map.tile_url", "")
    server.start(make_app().app)
    yield {"url": server.url, "dataset": steward["dataset"]}
    server.stop()


@pytest.fixture
def page() -> Iterator[Any]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                  "--disable-background-networking", "--no-first-run"])
        tab = browser.new_page(viewport={"width": 1200, "height": 1400})
        tab.set_default_timeout(20_000)
        yield tab
        browser.close()


def test_the_chart_draws_and_switches_period(served, page):
    outside: list[str] = []

    def route(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{served['url']}/footfall/{served['dataset']['name']}")
    chart = page.locator(".retailarea-footfall-chart")
    chart.wait_for()
    page.wait_for_function("() => window.Chart && Chart.getChart("
                           "document.querySelector('.retailarea-footfall-chart canvas'))")
    drawn = page.evaluate("""() => {
        const c = Chart.getChart(document.querySelector('.retailarea-footfall-chart canvas'));
        return {labels: c.data.labels, lines: c.data.datasets.map(d => d.data.length),
                first: c.data.datasets.map(d => d.data[0])};
    }""")
    assert drawn["labels"][:2] == ["2025-01", "2025-02"] and len(drawn["labels"]) == 12
    assert drawn["lines"] == [12, 12] and all(drawn["first"])

    page.get_by_label("day", exact=True).check()
    page.wait_for_function("() => document.querySelector('.retailarea-footfall-chart')"
                           ".dataset.periods === '365'")
    assert page.locator(".retailarea-chart-table tbody tr").count() == 365
    href = page.locator(".retailarea-download-csv").get_attribute("href")
    assert "period=day" in href and "start=2025-01-01" in href

    page.get_by_label("month", exact=True).check()
    page.wait_for_function("() => document.querySelector('.retailarea-footfall-chart')"
                           ".dataset.periods === '12'")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=str(SCREENSHOTS / "footfall-chart.png"))
    assert outside == [] and errors == []
