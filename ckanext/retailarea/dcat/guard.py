"""Bad paging of the catalog endpoints is a 400, never a 500 or a Solr error."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SearchError, SearchQueryError
from flask import Response

MAX_PAGE = 100_000


def check_catalog_page() -> Any:
    """Flask before_request for /catalog.{ttl,rdf,jsonld,xml}."""
    if (tk.request.endpoint or "") != "dcat.read_catalog":
        return None
    page = tk.request.args.get("page")
    if page is None:
        return None
    if not page.isdigit() or not 1 <= int(page) <= MAX_PAGE:
        return tk.abort(400, tk._("page must be a whole number from 1 to {}").format(MAX_PAGE))
    return None


# what CKAN's own query checks say before Solr is asked (ckan/lib/search/query.py)
REFUSED_BY_CKAN = ("not supported", "must be defined", "Could not parse")


def search_error(error: SearchError) -> Any:
    """Unhandled search errors (the DCAT views do not catch them): a query CKAN refuses
    (local parameters such as ``{!join}``, magic fields) or Solr cannot parse is the
    caller's mistake (400); anything else means search is down (503)."""
    if isinstance(error, SearchQueryError) or any(
            words in str(error) for words in REFUSED_BY_CKAN):
        return Response(tk._("The search query cannot be used: {reason}").format(
            reason=error), status=400, mimetype="text/plain")
    if "HTTP 400" in str(error) or "Invalid" in str(error):
        return Response(tk._("The search query could not be parsed; check its quotes"),
                        status=400, mimetype="text/plain")
    return Response(tk._("Search is not available right now"), status=503,
                    mimetype="text/plain")


def install(app: Any) -> Any:
    app.before_request(check_catalog_page)
    app.register_error_handler(SearchError, search_error)
    return app
