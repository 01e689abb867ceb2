"""Harvest benchmark: stock ckanext-dcat `dcat_rdf` harvester against ours, same data, same run.

Generates a deterministic DCAT-AP catalog (Turtle, Hydra-paged), serves it on 127.0.0.1,
and harvests it with both harvesters into the CKAN instance of ``--config``: first import,
then an unchanged re-harvest. Each run goes through ckanext-harvest's own stage functions
in this process (gather, then fetch + import of every object, then harvest_jobs_run), as
``ckan harvester run-test`` does, so both harvesters pay the same fixed costs.

    # with the CKAN_* variables of the database, as bin/stack test exports them
    .venv/bin/python bench/harvest.py --config .data/test_b.ini --datasets 1000

Writes ``bench/results/harvest.json`` and prints a markdown table. The bench works in
its own organization (``bench-harvest``) and sources, and clears them before it starts;
it touches no other dataset.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import resource
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent
EU = "http://publications.europa.eu/resource/authority/"
THEMES = ["ECON", "TRAN", "SOCI", "REGI", "GOVE", "ENVI"]
FREQUENCIES = ["DAILY", "WEEKLY", "MONTHLY", "ANNUAL"]
FORMATS = ["CSV", "JSON", "GEOJSON", "XLSX"]
WORDS = ["parkeren", "passanten", "winkels", "markt", "evenementen", "omzet", "leegstand",
         "fiets", "bezoekers", "horeca", "centrum", "tellingen"]
# Next-page links are absolute (the stock harvester does not resolve relative ones); the
# server writes its own address in place of this one.
PAGE_BASE = "https://bench.invalid/catalog.ttl"
DATASET_BASE = "https://bench.example/"
HEADER = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dpv: <https://w3id.org/dpv#> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
"""


def dataset_ttl(n: int, rng: random.Random) -> str:
    uri = f"{DATASET_BASE}dataset/{n:05d}"
    words = rng.sample(WORDS, 3)
    year = 2015 + n % 10
    dists = []
    for d in range(1 + n % 2):
        fmt = FORMATS[(n + d) % len(FORMATS)]
        dists.append(f"""<{uri}/dist/{d}> a dcat:Distribution ;
  dct:title "Bestand {d + 1}" ;
  dcat:accessURL <https://files.bench.example/{n:05d}/{d}> ;
  dcat:downloadURL <https://files.bench.example/{n:05d}/{d}.{fmt.lower()}> ;
  dct:format <{EU}file-type/{fmt}> ;
  dct:license <{EU}licence/CC_BY_4_0> .
""")
    dist_refs = ", ".join(f"<{uri}/dist/{d}>" for d in range(len(dists)))
    return f"""<{uri}> a dcat:Dataset ;
  dct:identifier "bench-{n:05d}" ;
  dct:title "Bench dataset {n:05d} {words[0]}" ;
  dct:description "Synthetic dataset {n} about {' and '.join(words)}, for the benchmark." ;
  dcat:keyword "{words[0]}", "{words[1]}", "{words[2]}" ;
  dcat:theme <{EU}data-theme/{THEMES[n % len(THEMES)]}> ;
  dct:accrualPeriodicity <{EU}frequency/{FREQUENCIES[n % len(FREQUENCIES)]}> ;
  dct:accessRights <{EU}access-right/PUBLIC> ;
  dpv:hasData dpv:NonPersonalData ;
  dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "{year}-01-01"^^xsd:date ;
                 dcat:endDate "{year}-12-31"^^xsd:date ] ;
  dcat:distribution {dist_refs} .
{''.join(dists)}"""


def catalog_pages(total: int, page_size: int) -> list[bytes]:
    rng = random.Random(20261128)  # noqa: S311 (a reproducible catalog, not a secret)
    datasets = [dataset_ttl(n, rng) for n in range(total)]
    pages = []
    count = max(1, (total + page_size - 1) // page_size)
    for index in range(count):
        chunk = datasets[index * page_size:(index + 1) * page_size]
        paging = (f"<{PAGE_BASE}?page={index + 1}> a hydra:PagedCollection ;\n"
                  f"  hydra:totalItems {total} ; hydra:itemsPerPage {page_size}")
        if index + 1 < count:
            paging += f" ;\n  hydra:next <{PAGE_BASE}?page={index + 2}>"
        pages.append((HEADER + "\n".join(chunk) + paging + " .\n").encode("utf-8"))
    return pages


def serve(pages: list[bytes]) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self, head: bool = False) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            page = int(parse_qs(parts.query).get("page", ["1"])[0])
            if not parts.path.endswith("/catalog.ttl") or not 1 <= page <= len(pages):
                self.send_response(404)
                self.end_headers()
                return
            here = f"http://{self.headers['Host']}{parts.path}".encode()
            # Each source gets its own dataset URIs (the stock harvester finds earlier
            # copies by URI across all sources), with otherwise the same data.
            variant = parts.path.strip("/").split("/")[0].encode()
            body = pages[page - 1].replace(PAGE_BASE.encode(), here).replace(
                DATASET_BASE.encode(), DATASET_BASE.encode() + variant + b"/")
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def do_HEAD(self) -> None:  # noqa: N802 (the stock harvester sends HEAD first)
            self.do_GET(head=True)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


class Bench:
    def __init__(self, base_url: str):
        import ckan.plugins.toolkit as tk
        from ckanext.dcat.harvesters.rdf import DCATRDFHarvester

        from ckanext.retailarea.harvesters.dcat import RetailAreaDCATRDFHarvester

        self.tk = tk
        self.user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        self.org = self._org()
        ours = RetailAreaDCATRDFHarvester()
        self.harvesters = {"stock": DCATRDFHarvester(), "ours": ours, "ours-1": ours}
        self.sources = {
            "stock": self._source("bench-harvest-stock", f"{base_url}/stock/catalog.ttl", ""),
            "ours": self._source("bench-harvest-ours", f"{base_url}/ours/catalog.ttl",
                                 json.dumps({"name_prefix": "o-"})),
            "ours-1": self._source("bench-harvest-ours-1", f"{base_url}/ours-1/catalog.ttl",
                                   json.dumps({"name_prefix": "o1-"})),
        }

    @property
    def context(self) -> dict[str, Any]:
        """A new context per action call: CKAN writes into the one it is given."""
        return {"user": self.user, "ignore_auth": True}

    def _org(self) -> dict[str, Any]:
        try:
            return self.tk.get_action("organization_show")(self.context, {"id": "bench-harvest"})
        except self.tk.ObjectNotFound:
            return self.tk.get_action("organization_create")(
                self.context, {"name": "bench-harvest", "title": "Harvest benchmark"})

    def _source(self, name: str, url: str, config: str) -> dict[str, Any]:
        action = self.tk.get_action
        data = {"name": name, "url": url, "source_type": "dcat_rdf",
                "owner_org": self.org["id"], "config": config, "title": name}
        try:
            source = action("harvest_source_show")(self.context, {"id": name})
        except self.tk.ObjectNotFound:
            return action("harvest_source_create")(self.context, data)
        action("harvest_source_clear")(self.context, {"id": source["id"]})
        return action("harvest_source_update")(self.context, {**source, **data})

    def run(self, variant: str) -> dict[str, Any]:
        """One harvest job of ``variant``, timed by stage."""
        import ckan.model as model
        from ckanext.harvest import queue
        from ckanext.harvest.model import HarvestJob

        source, harvester = self.sources[variant], self.harvesters[variant]
        job_dict = self.tk.get_action("harvest_job_create")(
            self.context, {"source_id": source["id"], "run": False})
        job = HarvestJob.get(job_dict["id"])
        job.status = "Running"
        job.save()
        load = round(os.getloadavg()[0], 2)
        cpu, children = time.process_time(), _children_cpu()
        processes = _import_processes(variant)
        started = time.perf_counter()
        with _config(PROCESSES, processes):
            ids = queue.gather_stage(harvester, job) or []
        gathered = time.perf_counter()
        waited = 0.0
        for number, object_id in enumerate(ids, 1):
            waited += _import_with_retry(harvester, object_id)
            if number % 500 == 0:
                _progress(variant, number, len(ids), gathered)
        imported = time.perf_counter() - waited
        self.tk.get_action("harvest_jobs_run")(self.context, {"source_id": source["id"]})
        finished = time.perf_counter() - waited
        model.Session.remove()
        stats = self.tk.get_action("harvest_job_show")(self.context, {"id": job.id})["stats"]
        report = self.tk.get_action("harvest_job_report")(self.context, {"id": job.id})
        for error in report["gather_errors"]:
            print(f"  {variant} gather error: {error['message'][:300]}", file=sys.stderr)
        return {"gather_s": round(gathered - started, 2),
                "import_s": round(imported - gathered, 2),
                "total_s": round(finished - started, 2),
                "objects": len(ids), "stats": stats,
                # processes that imported each gather page (ours; stock imports one
                # harvest object after another in this process)
                "import_processes": processes if variant != "stock" else 1,
                # CPU seconds of this process and of its import helpers (not PostgreSQL's
                # or Solr's): less sensitive to the load of a shared machine than the wall
                "cpu_s": round(time.process_time() - cpu + _children_cpu() - children, 2),
                # 1-minute load average at the start and the end (a shared machine)
                "load": [load, round(os.getloadavg()[0], 2)]}

    def active_datasets(self, variant: str) -> int:
        import ckan.model as model
        from ckanext.harvest.model import HarvestObject

        return (model.Session.query(model.Package.id)
                .join(HarvestObject, HarvestObject.package_id == model.Package.id)
                .filter(HarvestObject.harvest_source_id == self.sources[variant]["id"],
                        HarvestObject.current.is_(True), model.Package.state == "active")
                .distinct().count())


PROCESSES = "ckanext.retailarea.harvest.import_processes"


def _import_processes(variant: str) -> int:
    """ours: the site's setting (default: one per CPU, at most 4); ours-1: one process."""
    from ckanext.retailarea import config

    return 1 if variant == "ours-1" else config.harvest_import_processes()


@contextlib.contextmanager
def _config(key: str, value: Any) -> Iterator[None]:
    from ckan.common import config

    before = config.get(key)
    config[key] = value
    try:
        yield
    finally:
        config[key] = before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _import_with_retry(harvester: Any, object_id: str) -> float:
    """Fetch and import one object; when Solr is away (another process restarting it on
    this shared machine) wait for it and try again. Returns the seconds spent waiting,
    which the timings leave out."""
    import ckan.model as model
    from ckan.lib.search import SearchIndexError
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestObject

    waited = 0.0
    for _attempt in range(5):
        try:
            queue.fetch_and_import_stages(harvester, HarvestObject.get(object_id))
            return waited
        except SearchIndexError:
            model.Session.rollback()
            started = time.perf_counter()
            time.sleep(30)
            waited += time.perf_counter() - started
            print("  Solr unreachable: waited 30 s, retrying", file=sys.stderr, flush=True)
    raise RuntimeError(f"Solr stayed unreachable; object {object_id} not imported")


def _progress(variant: str, done: int, total: int, since: float) -> None:
    rate = done / (time.perf_counter() - since)
    print(f"  {variant}: imported {done}/{total} ({rate:.0f}/s)", file=sys.stderr, flush=True)


def table(results: dict[str, Any], datasets: int, phases: tuple[str, ...]) -> str:
    """stock against each of our variants that ran (ours, ours-1)."""
    ours = [v for v in ("ours", "ours-1") if v in results]
    head = "| run | stock dcat_rdf |" + "".join(
        f" {_label(results, v)} | speed-up |" for v in ours)
    rows = [head, "|---|---:|" + "---:|---:|" * len(ours)]
    for phase in phases:
        stock = results["stock"][phase]["total_s"]
        row = f"| {phase.replace('_', ' ')} ({datasets} datasets) | {_rate(stock, datasets)} |"
        for variant in ours:
            seconds = results[variant][phase]["total_s"]
            row += f" {_rate(seconds, datasets)} | {stock / seconds:.1f}x |"
        rows.append(row)
    return "\n".join(rows)


def _label(results: dict[str, Any], variant: str) -> str:
    processes = results[variant]["first_import"]["import_processes"]
    return f"ours, {processes} import process{'es' if processes > 1 else ''}"


def _rate(seconds: float, datasets: int) -> str:
    return f"{seconds} s ({datasets / seconds:.0f}/s)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, help="CKAN ini file")
    parser.add_argument("--datasets", type=int, default=10000)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--output", default=str(ROOT / "results" / "harvest.json"))
    parser.add_argument("--only", default="stock,ours,ours-1",
                        help="comma-separated variants: stock, ours (the site's "
                             "import_processes), ours-1 (ours in one process)")
    parser.add_argument("--first-import-only", action="store_true",
                        help="skip the unchanged re-harvest")
    parser.add_argument("--profile", metavar="FILE",
                        help="cProfile each first import; writes FILE.<variant>.prof and "
                             "prints the top functions by cumulative time")
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.config))
    from ckan.common import config

    config["ckanext.retailarea.harvest.allow_private_addresses"] = True
    pages = catalog_pages(args.datasets, args.page_size)
    httpd, base = serve(pages)
    print(f"catalog: {args.datasets} datasets in {len(pages)} pages "
          f"({sum(map(len, pages)) / 1e6:.1f} MB) at {base}", file=sys.stderr)
    variants = [v for v in ("stock", "ours", "ours-1") if v in args.only.split(",")]
    report: dict[str, Any] = {"datasets": args.datasets, "page_size": args.page_size,
                              "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                              "results": {v: {} for v in variants}}
    with app._wsgi_app.test_request_context():
        bench = Bench(base)
        phases = ("first_import",) if args.first_import_only else ("first_import", "reharvest")
        for phase in phases:
            for variant in variants:
                print(f"{variant} {phase} ...", file=sys.stderr, flush=True)
                result = _profiled(bench, variant, args.profile if phase == "first_import"
                                   else None)
                result["active_datasets"] = bench.active_datasets(variant)
                report["results"][variant][phase] = result
                print(f"{variant} {phase}: {json.dumps(result)}", file=sys.stderr, flush=True)
                _write(args.output, report)  # a crash later keeps what was measured
    httpd.shutdown()
    if "stock" in variants and len(variants) > 1:
        report["table"] = table(report["results"], args.datasets, phases)
        print(report["table"])
        _write(args.output, report)
    return 0


def _profiled(bench: Bench, variant: str, profile: str | None) -> dict[str, Any]:
    """One run, under cProfile when ``profile`` names a file stem (timings then include
    the profiler's overhead, so compare profiled runs only with each other)."""
    if not profile:
        return bench.run(variant)
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    result = profiler.runcall(bench.run, variant)
    path = f"{profile}.{variant}.prof"
    profiler.dump_stats(path)
    pstats.Stats(path, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    return result


def _write(path: str, report: dict[str, Any]) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
