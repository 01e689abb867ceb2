"""Full-catalog DCAT export: stock ckanext-dcat pagination versus ours, same data, same run.

Each variant runs in its own process, so its peak memory is its own:
  stock  GET /catalog.ttl?page=1..N through ckanext-dcat (a graph per page of 100)
  pages  GET /catalog.ttl?page=1..N from the kept fragments (ours)
  dump   `ckan retailarea dcat dump` (ours) of the whole catalog, in every format
N is every page, or the first ``--pages`` (the same pages for stock and ours).
and, for the memory curve, the dump again with the kept rows copied up to --scale rows.
Usage: python bench/dcat.py --config CONFIG [--datasets 10000] [--pages N] [--scale 100000]
"""
from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from typing import Any

from benchlib import ckan_app, markdown_table, peak_rss_mb, progress, write_result

STOCK_PROFILES = "euro_dcat_ap_3,retailarea_dcat_ap_nl"
COPY_PREFIX = "bench-copy-"


def run_variant(config: str, variant: str, fmt: str, pages: int = 0) -> dict[str, Any]:
    """Child process: export the whole catalog one way; returns time, size and memory."""
    app = ckan_app(config)
    started = time.perf_counter()
    if variant == "dump":
        size, datasets = _dump(app, fmt)
    else:
        size, datasets = _pages(app, fmt, stock=variant == "stock", limit=pages)
    seconds = time.perf_counter() - started
    return {"variant": variant, "format": fmt, "datasets": datasets, "bytes": size,
            "seconds": round(seconds, 2), "datasets_per_second": round(datasets / seconds),
            "peak_rss_mb": round(peak_rss_mb())}


def _dump(app: Any, fmt: str) -> tuple[int, int]:
    from ckanext.retailarea.dcat import store

    with app.test_request_context():
        total = store.count()
        size = sum(len(chunk.encode()) for chunk in store.stream(fmt))
    return size, total


def _pages(app: Any, fmt: str, stock: bool, limit: int) -> tuple[int, int]:
    import ckan.plugins.toolkit as tk

    with app.test_request_context():
        total = tk.get_action("package_search")({}, {"rows": 0})["count"]
    client = app.test_client()
    pages = max(math.ceil(total / 100), 1)
    if limit:
        pages, total = min(pages, limit), min(total, limit * 100)
    size, started = 0, time.perf_counter()
    for page in range(1, pages + 1):
        query = {"page": page, **({"profiles": STOCK_PROFILES} if stock else {})}
        response = client.get(f"/catalog.{fmt}", query_string=query)
        if response.status_code != 200:
            raise SystemExit(f"page {page}: HTTP {response.status_code}")
        size += len(response.data)
        if page % 10 == 0 or page == pages:
            rate = page * 100 / (time.perf_counter() - started)
            progress(f"    {'stock' if stock else 'ours'}: page {page}/{pages} "
                     f"({min(page * 100, total)} datasets, {rate:.0f} datasets/s)")
    return size, total


def child(config: str, variant: str, fmt: str, pages: int = 0) -> dict[str, Any]:
    command = [sys.executable, __file__, "--config", config, "--variant", variant,
               "--format", fmt, "--pages", str(pages)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def scale_kept_rows(config: str, rows: int) -> int:
    """Copy kept rows (new ids and URIs) until the table holds ``rows``: the dump reads
    only this table, so this is the catalog the dump sees at that size."""
    import ckan.model as model
    import sqlalchemy as sa

    app = ckan_app(config)
    with app.test_request_context():
        model.Session.execute(sa.text(
            "DELETE FROM retailarea_dataset_rdf WHERE package_id LIKE :p"),
            {"p": COPY_PREFIX + "%"})
        have = model.Session.execute(sa.text("SELECT count(*) FROM retailarea_dataset_rdf")
                                     ).scalar()
        copies = 0
        while have + copies < rows:
            batch = min(have, rows - have - copies)
            model.Session.execute(sa.text(_COPY_SQL), {"n": batch, "round": copies,
                                                       "p": COPY_PREFIX})
            copies += batch
            progress(f"  scale: {have + copies}/{rows} kept rows")
        model.Session.commit()
    return have + copies


_COPY_SQL = """
INSERT INTO retailarea_dataset_rdf (package_id, name, dataset_uri, ntriples, turtle, jsonld,
                                    rdfxml, modified)
SELECT :p || (:round + row_number() OVER ()) || '-' || package_id,
       :p || (:round + row_number() OVER ()) || '-' || name,
       dataset_uri || '/copy-' || (:round + row_number() OVER ()),
       replace(ntriples, dataset_uri, dataset_uri || '/copy-' || (:round + row_number() OVER ())),
       replace(turtle, dataset_uri, dataset_uri || '/copy-' || (:round + row_number() OVER ())),
       replace(jsonld, dataset_uri, dataset_uri || '/copy-' || (:round + row_number() OVER ())),
       replace(rdfxml, dataset_uri, dataset_uri || '/copy-' || (:round + row_number() OVER ())),
       modified
FROM (SELECT * FROM retailarea_dataset_rdf WHERE package_id NOT LIKE :p || '%'
      ORDER BY name LIMIT :n) AS originals
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True)
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--scale", type=int, default=0, help="dump memory at this many rows")
    parser.add_argument("--pages", type=int, default=0, help="catalog pages (0: all)")
    parser.add_argument("--variant", choices=["stock", "pages", "dump"])
    parser.add_argument("--format", default="ttl")
    args = parser.parse_args()
    if args.variant:
        print(json.dumps(run_variant(args.config, args.variant, args.format, args.pages)))
        return
    report(args.config, args.datasets, args.scale, args.pages)


def report(config: str, datasets: int, scale: int, pages: int) -> dict[str, Any]:
    from catalog import load

    progress(f"dcat: catalog of {datasets} datasets")
    load(config, datasets)
    runs = []
    for variant, fmt in [("stock", "ttl"), ("pages", "ttl"), ("dump", "ttl"), ("dump", "nt"),
                         ("dump", "jsonld"), ("dump", "xml")]:
        progress(f"  dcat: {variant} {fmt}")
        runs.append(child(config, variant, fmt, pages if variant != "dump" else 0))
        progress(f"    {runs[-1]}")
    if scale:
        kept = scale_kept_rows(config, scale)
        runs.append({**child(config, "dump", "ttl"), "variant": f"dump at {kept} kept rows"})
        scale_kept_rows(config, 0)
    stock = runs[0]["datasets_per_second"]  # rates: the dump exports more than N pages
    result = {"datasets": datasets, "pages": pages or "all", "runs": runs,
              "speedup_pages": round(runs[1]["datasets_per_second"] / stock, 1),
              "speedup_dump": round(runs[2]["datasets_per_second"] / stock, 1)}
    write_result("dcat", result)
    print(markdown_table(
        ["export", "format", "datasets", "seconds", "datasets/s", "MB", "peak RSS MB"],
        [[r["variant"], r["format"], r["datasets"], r["seconds"], r["datasets_per_second"],
          round(r["bytes"] / 1e6, 1), r["peak_rss_mb"]] for r in runs]))
    print(f"\nours vs stock: pages {result['speedup_pages']}x, dump {result['speedup_dump']}x")
    return result


if __name__ == "__main__":
    main()
