"""The vendored front-end libraries are the versions package-lock.json pins."""
import json
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
VENDOR = ROOT / "ckanext" / "retailarea" / "assets" / "vendor"
COPIES = {
    "chart.js": (VENDOR / "chart.umd.min.js", r"Chart\.js v(\S+)"),
    "leaflet": (VENDOR / "leaflet" / "leaflet.js", r"Leaflet (\S+), a JS library"),
    "axe-core": (ROOT / "tests" / "browser" / "vendor" / "axe.min.js", r"axe v(\S+)"),
}


def locked(name):
    lock = json.loads((ROOT / "package-lock.json").read_text())
    return lock["packages"][f"node_modules/{name}"]["version"]


@pytest.mark.parametrize("name", sorted(COPIES))
def test_vendored_copy_is_the_locked_version(name):
    path, banner = COPIES[name]
    head = path.read_text(encoding="utf-8")[:400]
    assert re.search(banner, head).group(1) == locked(name)
    declared = json.loads((ROOT / "package.json").read_text())
    pinned = {**declared["dependencies"], **declared["devDependencies"]}
    assert pinned[name] == locked(name), "package.json pins exact versions"
