"""Browser tests: the real CKAN app of the test slot served over HTTP on 127.0.0.1, driven
by Debian's Chromium through Playwright.

Nothing may leave 127.0.0.1: every request of the page is routed, map tiles are answered
from here, and a request to any other host fails the test. Screenshots of each journey's
end state go to ``.data/screenshots/`` (``RETAILAREA_SCREENSHOTS`` overrides)."""
from __future__ import annotations

import os
import pathlib
import re
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("RETAILAREA_CHROMIUM", "/usr/bin/chromium")
ROOT = pathlib.Path(__file__).resolve().parents[2]
AXE = pathlib.Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SCREENSHOTS = pathlib.Path(os.environ.get("RETAILAREA_SCREENSHOTS",
                                          ROOT / ".data" / "screenshots"))
PASSWORD = "correct-horse-battery"
TILE_PATH = "/_test_tiles/"
TIMEOUT_MS = 15_000
# CKAN starts its JavaScript modules only after the page's translations have arrived (an
# API call after the load event): mark the page once they have run, so checks can wait.
MODULES_READY = """
document.addEventListener("DOMContentLoaded", () => {
  const ready = () => document.documentElement.setAttribute("data-modules-ready", "true");
  if (!(window.ckan && window.ckan.module)) { ready(); return; }
  const initialize = window.ckan.module.initialize;
  window.ckan.module.initialize = function () {
    const result = initialize.apply(this, arguments);
    ready();
    return result;
  };
});
"""


def require_chromium(path: str) -> None:
    """Fail, never skip, when there is no Chromium to drive."""
    if not os.access(path, os.X_OK):
        pytest.fail(f"Chromium not found at {path}: apt-get install chromium "
                    "fonts-dejavu-core (never 'playwright install')", pytrace=False)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, one per test module: Playwright's sync API runs an
    event loop while it is open, so it must be closed before other modules' browser tests
    start their own. Missing Chromium fails the run: browser tests never skip (`make test`
    installs the `chromium` package as root, or names the apt-get line)."""
    require_chromium(CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--lang=en-GB"],
        )
        yield browser
        browser.close()


class LiveServer:
    """The CKAN WSGI app of this test, served by werkzeug in a thread."""

    def __init__(self) -> None:
        self._app: Callable | None = None
        self.server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _wsgi(self, environ: dict, start_response: Callable) -> Any:
        return self._app(environ, start_response)

    def start(self, app: Callable) -> None:
        self._app = app
        self.thread.start()

    @property
    def flask_app(self) -> Any:
        """The Flask app inside CKAN's middleware, for a request context in the test."""
        return self._app._wsgi_app

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(5)
        self.server.server_close()


@pytest.fixture
def live_server(clean_db, clean_index, ckan_config, make_app, monkeypatch,
                tmp_path) -> Iterator[LiveServer]:
    """A fresh database and index, and CKAN at ``live_server.url``. The site URL is the
    server's own, uploads go to a temporary folder, avatars are never fetched from
    Gravatar and map tiles come from a local URL that the browser fixture answers."""
    server = LiveServer()
    monkeypatch.setitem(ckan_config, "ckan.site_url", server.url)
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
    monkeypatch.setitem(ckan_config, "ckan.gravatar_default", "disabled")
    monkeypatch.setitem(ckan_config, "ckanext.retailarea.map.tile_url",
                        server.url + TILE_PATH + "{z}/{x}/{y}.png")
    server.start(make_app().app)
    yield server
    server.stop()


def _tile_png(size: int = 256) -> bytes:
    """A light map tile with a faint grid, so screenshots show where tiles would be."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    land, grid = bytes((238, 240, 232)), bytes((214, 220, 206))
    line = b"\x00" + b"".join(grid if x % 64 == 0 else land for x in range(size))
    rows = b"".join(b"\x00" + grid * size if y % 64 == 0 else line for y in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


TILE_PNG = _tile_png()


@pytest.fixture
def run_jobs(with_test_worker, clean_queues) -> Callable[[], None]:
    """Runs the queued background jobs in this process. The jobs were queued by the
    server's thread, and RQ keeps its Redis connection per thread: pass our own."""
    import ckan.lib.jobs as jobs
    from ckan.lib.redis import connect_to_redis

    from ckanext.retailarea import bulk

    def run() -> None:
        jobs.Worker([jobs.DEFAULT_QUEUE_NAME, bulk.QUEUE],
                    connection=connect_to_redis()).work(burst=True)

    return run


class Outside:
    """Requests the page tried to send anywhere but the live server."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.blocked: list[str] = []
        self.tiles: list[str] = []

    def handle(self, route: Any) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob"):
            route.continue_()
        elif f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.blocked.append(url)
            route.abort("blockedbyclient")
        elif parts.path.startswith(TILE_PATH):
            self.tiles.append(url)
            route.fulfill(status=200, content_type="image/png", body=TILE_PNG)
        else:
            route.continue_()


@pytest.fixture
def browser_context(chromium, live_server) -> Iterator[Any]:
    """A fresh browser profile for one journey; fails the test on any outside request."""
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900},
        locale="en-GB", timezone_id="Europe/Amsterdam",
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(MODULES_READY)
    outside = Outside(live_server.url)
    context.route("**/*", outside.handle)
    context.outside = outside
    yield context
    context.close()
    assert outside.blocked == [], f"requests left 127.0.0.1: {outside.blocked}"


def _console_problem(message: Any) -> bool:
    # CKAN's modules run in jQuery's ready handler, which reports their exceptions as
    # warnings; a failed load of our own resources is an error
    text = message.text
    return message.type == "error" or (message.type == "warning" and "exception" in text)


@pytest.fixture
def page(browser_context) -> Iterator[Any]:
    """A page whose JavaScript errors (uncaught, or in a CKAN module) fail the test."""
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: _console_problem(message) and errors.append(
        f"{message.type}: {message.text} ({page.url})"))
    page.js_errors = errors
    yield page
    assert errors == [], f"JavaScript errors: {errors}"


def modules_ready(page: Any) -> None:
    """Wait until CKAN's JavaScript modules of the current page have run."""
    page.wait_for_selector("html[data-modules-ready]", state="attached")


def screenshot(page: Any, name: str, full_page: bool = True,
               element: Any = None) -> pathlib.Path:
    """Save the page (or one ``element``, a locator) as ``<name>.png`` in the screenshots
    folder: the end state of a journey."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    modules_ready(page)
    page.evaluate("document.fonts.ready.then(() => true)")
    if element is not None:
        element.screenshot(path=str(path))
    else:
        page.screenshot(path=str(path), full_page=full_page)
    return path


def login(page: Any, name: str, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person would."""
    page.goto("/user/login")
    page.fill("#field-login", name)
    page.fill("#field-password", password)
    page.click("form#user-login-form button[type=submit], .form-actions button[type=submit]")
    page.wait_for_url(re.compile(r"/(dashboard|user)/"))


def logout(page: Any) -> None:
    page.context.clear_cookies()


IGNORED_AXE_RULES: dict[str, str] = {}


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core's violations of the given impacts on the current page, one line each."""
    modules_ready(page)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (rules) => await axe.run(document, {rules})",
        {rule: {"enabled": False} for rule in IGNORED_AXE_RULES},
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"] if v["impact"] in impacts
    ]
