"""The paginated catalog endpoints (``/catalog.{ttl,nt,jsonld,rdf,xml,n3}``) answered from
the DCAT kept at save time.

Stock ckanext-dcat builds an rdflib graph of every dataset on the page and serialises it;
here the page is a Solr search for ids, one query for the kept fragments and a
concatenation. Page links are URL-encoded, so ``q`` with spaces or quotes stays valid RDF.
Requests for other profiles (``?profiles=``) still go to ckanext-dcat.
"""
from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk
from ckanext.dcat.processors import HYDRA
from ckanext.dcat.utils import catalog_uri
from dateutil.parser import ParserError
from dateutil.parser import parse as parse_date
from flask import Response
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from ckanext.retailarea.dcat import formats, store

ENDPOINT = "dcat.read_catalog"
FORMATS = {"ttl": "ttl", "n3": "ttl", "nt": "nt", "jsonld": "jsonld", "rdf": "xml",
           "xml": "xml"}
PAGE_PARAMS = ("modified_since", "q", "fq")
DEFAULT_PER_PAGE = 100


def serve_page() -> Any:
    """Flask before_request: answer a catalog page, or None to let ckanext-dcat do it."""
    if tk.request.endpoint != ENDPOINT or tk.request.args.get("profiles"):
        return None
    requested = (tk.request.view_args or {}).get("_format")
    if not requested:
        return None
    fmt = FORMATS.get(requested)
    if fmt is None:
        return tk.abort(404, tk._("Unknown format; use one of: {}").format(
            ", ".join(sorted(FORMATS))))
    page = int(tk.request.args.get("page") or 1)
    per_page = int(tk.config.get("ckanext.dcat.datasets_per_page") or DEFAULT_PER_PAGE)
    found = _search(page, per_page)
    ids = [result["id"] for result in found["results"]]
    kept = {row.package_id: row for row in store.rows_for(ids)}
    rows = [kept.get(i) or store.build(i) for i in ids]
    header, catalog_ref = store.catalog_graph()
    _add_paging(header, found["count"], page, per_page)
    body = "".join(store.compose(fmt, header, catalog_ref, [r for r in rows if r]))
    content_type = "text/n3; charset=utf-8" if requested == "n3" else formats.CONTENT_TYPES[fmt]
    return Response(body, content_type=content_type)


def _search(page: int, per_page: int) -> dict[str, Any]:
    """The same search as ckanext-dcat's catalog (newest first, no harvest sources),
    asking Solr for ids only."""
    args = tk.request.args
    fq_list = ["-dataset_type:harvest", "-dataset_type:showcase"]
    if args.get("modified_since"):
        fq_list.append(f"metadata_modified:[{_since(args['modified_since'])} TO NOW]")
    return tk.get_action("package_search")({}, {
        "q": args.get("q") or "*:*", "fq": args.get("fq") or "", "fq_list": fq_list,
        "rows": per_page, "start": per_page * (page - 1), "sort": "metadata_modified desc",
        "fl": "id",
    })


def _since(value: str) -> str:
    try:
        moment = parse_date(value)
    except (ParserError, ValueError, OverflowError):
        return tk.abort(400, tk._("modified_since must be an ISO 8601 date or time"))
    return moment.replace(tzinfo=None).isoformat() + "Z"


def _add_paging(graph: Graph, count: int, page: int, per_page: int) -> None:
    """Hydra paging, as ckanext-dcat writes it (including its deprecated predicates)."""
    if not count:
        return
    last = max(math.ceil(count / per_page), 1)
    ref = URIRef(_page_url(page))
    graph.bind("hydra", HYDRA)
    graph.add((ref, RDF.type, HYDRA.PagedCollection))
    links = {"first": 1, "last": last,
             "next": page + 1 if page < last else None,
             "previous": min(page - 1, last) if page > 1 else None}
    predicates = {"first": (HYDRA.firstPage, HYDRA.first), "last": (HYDRA.lastPage, HYDRA.last),
                  "next": (HYDRA.nextPage, HYDRA.next),
                  "previous": (HYDRA.previousPage, HYDRA.previous)}
    for key, target in links.items():
        for predicate in predicates[key] if target else ():
            graph.add((ref, predicate, Literal(_page_url(target))))
    graph.add((ref, HYDRA.totalItems, Literal(count)))
    graph.add((ref, HYDRA.itemsPerPage, Literal(per_page)))


def _page_url(page: int) -> str:
    params = [(k, tk.request.args[k]) for k in PAGE_PARAMS if tk.request.args.get(k)]
    return f"{catalog_uri().rstrip('/')}{tk.request.path}?{urlencode(params + [('page', page)])}"
