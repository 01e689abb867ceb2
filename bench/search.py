"""package_search and package_show latency: our settings against stock CKAN's, same data.

Each variant runs in its own process (plugins are loaded once per process):
  ours   the bench config: our plugins; package_search with rows=20 and our facets
         (dataset_type, groups, municipality, access_level, theme, permitted_purposes)
  stock  the same databases and Solr core with ``ckan.plugins = activity`` only; the same
         queries with the facets of stock CKAN's /dataset page (organization, groups,
         tags, res_format, license_id)
Requests go through the whole Flask app (``/api/3/action/...``) as an anonymous visitor,
like API clients; the first requests of each variant warm the caches and are not counted.
Usage: python bench/search.py --config CONFIG [--requests 200]
"""
from __future__ import annotations

import argparse
import json
import pathlib
import re
import statistics
import subprocess
import sys
import time
from typing import Any

from benchlib import ckan_app, markdown_table, progress, write_result

OUR_FACETS = ["dataset_type", "groups", "municipality", "access_level", "theme",
              "permitted_purposes"]
STOCK_FACETS = ["organization", "groups", "tags", "res_format", "license_id"]
# The searches a visitor of the bench catalog makes: words, phrases, filters, sorting.
QUERIES = [
    {"q": "parkeren"}, {"q": "passanten gouda"}, {"q": "markt"}, {"q": ""},
    {"q": "binnenstad", "fq": "dataset_type:footfall"},
    {"q": "", "fq": "groups:bench-utrecht-centrum"},
    {"q": "evenementen", "sort": "metadata_modified desc"},
    {"q": "leegstand koopavond"}, {"q": "title:garage"}, {"q": "", "sort": "title_string asc"},
    {"q": "bezoekers", "fq": "access_level:restricted"}, {"q": "winkels", "start": "40"},
]
WARM_UP = 10


def search_params(query: dict[str, str], facets: list[str]) -> dict[str, str]:
    return {**query, "rows": "20", "facet.field": json.dumps(facets), "facet.limit": "10"}


def run_variant(config: str, variant: str, requests: int) -> dict[str, Any]:
    """Child process: time package_search and package_show through the app."""
    client = ckan_app(config).test_client()
    facets = OUR_FACETS if variant == "ours" else STOCK_FACETS
    names = _public_names(client)
    searches = [search_params(QUERIES[k % len(QUERIES)], facets) for k in range(requests)]
    shows = [{"id": names[(k * 7919) % len(names)]} for k in range(requests)]
    return {"variant": variant,
            "package_search": _time(client, "package_search", searches),
            "package_show": _time(client, "package_show", shows)}


def _public_names(client: Any) -> list[str]:
    """Names of public bench datasets, spread over the catalog."""
    response = client.get("/api/3/action/package_search", query_string={
        "q": "name:bench-*", "fq": "-access_level:restricted", "rows": "1000",
        "fl": "name", "sort": "name asc"})
    names = [row["name"] for row in response.json["result"]["results"]]
    if not names:
        raise SystemExit("no public bench datasets found: load the catalog first")
    return names


def _time(client: Any, action: str, calls: list[dict[str, str]]) -> dict[str, Any]:
    """Latencies of ``calls`` after a warm-up, and (searches) the datasets each query
    found, so the two variants can be seen to answer the same."""
    latencies, found = [], {}
    for number, params in enumerate(calls[:WARM_UP] + calls):
        started = time.perf_counter()
        response = client.get(f"/api/3/action/{action}", query_string=params)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{action} {params}: HTTP {response.status_code}")
        if number >= WARM_UP:
            latencies.append(elapsed)
        if action == "package_search":
            found[json.dumps(params, sort_keys=True)] = response.json["result"]["count"]
    return {**summary(latencies), **({"found": sum(found.values())} if found else {})}


def summary(latencies: list[float]) -> dict[str, Any]:
    ordered = sorted(latencies)
    return {"requests": len(ordered), "p50_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
            "mean_ms": round(statistics.fmean(ordered), 1)}


def stock_config(config: str) -> str:
    """The bench config with stock CKAN's plugins (same databases and Solr core)."""
    source = pathlib.Path(config)
    text = re.sub(r"(?m)^ckan\.plugins\s*=.*$", "ckan.plugins = activity", source.read_text())
    target = source.with_name(source.stem + "-stock.ini")
    target.write_text(text)
    return str(target)


def child(config: str, variant: str, requests: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--config", config, "--variant", variant,
               "--requests", str(requests)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(config: str, datasets: int, requests: int) -> dict[str, Any]:
    from catalog import load

    progress(f"search: catalog of {datasets} datasets")
    catalog = load(config, datasets)
    runs = []
    for variant, variant_config in [("stock", stock_config(config)), ("ours", config)]:
        progress(f"  search: {variant}, {requests} package_search + {requests} package_show")
        runs.append(child(variant_config, variant, requests))
        progress(f"    {runs[-1]}")
    result = {"datasets": datasets, "catalog": catalog, "runs": runs}
    write_result("search", result)
    rows = [[r["variant"], action, r[action]["requests"], r[action]["p50_ms"],
             r[action]["p95_ms"], r[action]["mean_ms"]]
            for action in ("package_search", "package_show") for r in runs]
    print(markdown_table(["settings", "action", "requests", "p50 ms", "p95 ms", "mean ms"],
                         rows))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True)
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--variant", choices=["stock", "ours"])
    args = parser.parse_args()
    if args.variant:
        print(json.dumps(run_variant(args.config, args.variant, args.requests)))
        return
    report(args.config, args.datasets, args.requests)


if __name__ == "__main__":
    main()
