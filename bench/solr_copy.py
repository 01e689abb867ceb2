"""Copy a Solr core's documents into another core or a SolrCloud collection through Solr's
own API: the scale comparison of docs/scaling.md gives the cluster the one-machine stack's
index of the 100,000-dataset catalog this way when CKAN's indexer cannot index it twice in
the time there is. The documents stay exactly CKAN's:

- stored fields come from a cursorMark export (``fl=*``, sorted by the unique key);
- copyField targets (``text``, ``urls``, the ngram fields) are left out and rebuilt by the
  target's schema from the stored fields, as when CKAN posts a document;
- indexed fields that are not stored (``permission_labels``, the catch-all string fields of
  CKAN's schema) are read back term by term: the field's terms (a facet), then the ids of
  each term's documents; ``title_string`` is the title, as CKAN's indexer writes it;
- ``_version_`` and ``_root_`` are the target's own.

``--check`` compares both sides after the copy: document counts, every read-back field's
term counts, and the counts of a few searches.
Usage: python bench/solr_copy.py SOURCE_CORE_URL TARGET_URL [--batch 1000] [--check]
"""
from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from typing import Any

import requests

SKIP = {"_version_", "_root_"}
DERIVED = {"title_string": "title"}     # CKAN's index: title_string = title
MAX_TERMS = 20_000                      # more terms than this: not read back term by term
CHECK_QUERIES = ["*:*", "text:parkeren", "text:arnhem", "urls:csv", "title:koopavond",
                 "title_ngram:koop", "name_ngram:bench-0001", "notes:winkels", "res_name:bestand",
                 "title_string:[* TO *]"]


def solr(url: str, handler: str, **params: Any) -> dict[str, Any]:
    params = {**params, "wt": "json"}
    if handler.startswith(("schema", "admin")):   # read-only there with GET only
        response = requests.get(f"{url}/{handler}", params=params, timeout=600)
    else:
        response = requests.post(f"{url}/{handler}", data=params, timeout=600)
    response.raise_for_status()
    return response.json()


def read_back_fields(source: str) -> list[str]:
    """Indexed, unstored fields that are no copyField target: read back term by term."""
    fields = solr(source, "admin/luke", numTerms=0)["fields"]
    targets = {c["dest"] for c in solr(source, "schema/copyfields")["copyFields"]}
    found = []
    for name, info in fields.items():
        flags = info.get("schema", "")
        if name in SKIP or name in targets or flags[:1] != "I" or flags[2:3] == "S":
            continue
        if flags[1:2] == "T" and name not in DERIVED:
            raise SystemExit(f"{name}: tokenized and not stored, cannot be read back")
        found.append(name)
    return sorted(found)


def terms(url: str, field: str) -> dict[str, int]:
    facet = solr(url, "select", q="*:*", rows=0, facet="true", **{
        "facet.field": field, "facet.limit": -1, "facet.mincount": 1, "facet.sort": "index",
        "json.nl": "map"})
    return facet["facet_counts"]["facet_fields"][field]


def ids_with(source: str, key: str, field: str, term: str, count: int) -> list[str]:
    found = solr(source, "select", q="*:*", fq=f"{{!term f={field}}}{term}", fl=key, rows=count)
    return [doc[key] for doc in found["response"]["docs"]]


def read_back(source: str, key: str, fields: list[str]) -> dict[str, dict[str, list[str]]]:
    """index key -> field -> values, for the fields not stored."""
    values: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for field in fields:
        if field in DERIVED:
            continue
        field_terms = terms(source, field)
        if len(field_terms) > MAX_TERMS:
            raise SystemExit(f"{field}: {len(field_terms)} terms, too many to read back")
        for term, count in field_terms.items():
            for doc_id in ids_with(source, key, field, term, count):
                values[doc_id][field].append(term)
        print(f"  read back {field}: {len(field_terms)} terms", flush=True)
    return values


def target_doc(doc: dict[str, Any], extra: dict[str, list[str]], drop: set[str],
               multi: set[str]) -> dict[str, Any]:
    out = {name: value for name, value in doc.items() if name not in drop}
    for field, vals in extra.items():
        out[field] = vals if field in multi else vals[0]
    for field, source_field in DERIVED.items():
        if source_field in doc:
            out[field] = doc[source_field]
    return out


def copy(source: str, target: str, batch: int) -> int:
    key = solr(source, "schema/uniquekey")["uniqueKey"]
    fields = read_back_fields(source)
    info = solr(source, "admin/luke", numTerms=0)["fields"]
    multi = {name for name in fields if info[name]["schema"][5:6] == "M"}
    extra = read_back(source, key, fields)
    drop = SKIP | {c["dest"] for c in solr(source, "schema/copyfields")["copyFields"]}
    post(target, {"delete": {"query": "*:*"}, "commit": {}})
    cursor, copied, started = "*", 0, time.perf_counter()
    while True:
        page = solr(source, "select", q="*:*", fl="*", sort=f"{key} asc", rows=batch,
                    cursorMark=cursor)
        docs = [target_doc(d, extra.get(d[key], {}), drop, multi) for d in page["response"]["docs"]]
        if docs:
            post(target, docs)
            copied += len(docs)
            print(f"  copied {copied} ({copied / (time.perf_counter() - started):.0f}/s)",
                  flush=True)
        if page["nextCursorMark"] == cursor:
            break
        cursor = page["nextCursorMark"]
    post(target, {"commit": {}})
    return copied


def post(target: str, body: list[dict[str, Any]] | dict[str, Any]) -> None:
    """Documents (a list) or update commands (a dict) to the target's /update."""
    response = requests.post(f"{target}/update?wt=json", data=json.dumps(body),
                             headers={"Content-Type": "application/json"}, timeout=600)
    if response.status_code != 200:
        raise SystemExit(f"update failed: {response.status_code} {response.text[:500]}")


def check(source: str, target: str) -> bool:
    same = True
    for query in CHECK_QUERIES:
        counts = [solr(url, "select", q=query, rows=0)["response"]["numFound"]
                  for url in (source, target)]
        same &= counts[0] == counts[1]
        print(f"  {query}: {counts[0]} / {counts[1]}", flush=True)
    for field in read_back_fields(source):
        if field in DERIVED:
            continue
        equal = terms(source, field) == terms(target, field)
        same &= equal
        print(f"  terms of {field}: {'same' if equal else 'DIFFERENT'}", flush=True)
    return same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    copied = copy(args.source, args.target, args.batch)
    print(f"copied {copied} documents in {time.perf_counter() - started:.0f} s", flush=True)
    if args.check and not check(args.source, args.target):
        raise SystemExit("the copy differs from its source")


if __name__ == "__main__":
    main()
