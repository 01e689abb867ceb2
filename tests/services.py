"""Extra databases and Solr cores beside a test slot's own, for tests that run a second
CKAN site (tests/upgrade, tests/federation): made once by bin/stack's scripts, emptied
for each use."""
from __future__ import annotations

import subprocess
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]


def empty_database(url: sa.engine.URL) -> None:
    """Database ``url`` (made once, owned by the test user) with an empty public schema."""
    subprocess.run([str(ROOT / "bin" / "postgres.sh"), "createdb", url.database],
                   check=True, capture_output=True)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def empty_core(solr_url: str, suffix: str) -> str:
    """The URL of an empty Solr core named after the test core plus ``suffix`` (made once,
    with this CKAN line's configset)."""
    base, core = solr_url.rstrip("/").rsplit("/", 1)
    core = f"{core}{suffix}"
    subprocess.run([str(ROOT / "config" / "solr" / "solr.sh"), "core", core], check=True,
                   capture_output=True)
    url = f"{base}/{core}"
    requests.post(f"{url}/update?commit=true", data="<delete><query>*:*</query></delete>",
                  headers={"Content-Type": "text/xml"}, timeout=60).raise_for_status()
    return url
