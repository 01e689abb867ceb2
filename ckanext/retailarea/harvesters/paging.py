"""Reading a paged catalog one page at a time, with loop detection.

Two shapes cover our sources: offset paging (OpenDataSoft, Socrata: ``offset``/``limit``
with a total) and next-page links (CBS OData ``@odata.nextLink``, DCAT Hydra ``next``).
A next link seen before, or a page identical to the one before it (a server ignoring the
offset), is a loop and ends the gather with an error instead of running forever.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urljoin

from ckanext.retailarea.harvesters import http

HTML_TYPES = ("text/html", "application/xhtml+xml")


class PageError(Exception):
    """A catalog page is unusable (not JSON, wrong shape, a loop); ends the gather."""


def get_json(url: str) -> Any:
    """The JSON document at ``url``; PageError for HTML, broken or truncated JSON."""
    page = http.fetch(url, accept="application/json")
    return parse_json(page)


def parse_json(page: http.Page) -> Any:
    if page.content_type in HTML_TYPES or page.body.lstrip()[:1] == b"<":
        raise PageError(f"{page.url}: expected JSON, got {page.content_type or 'markup'} "
                        f"(HTTP {page.status}); is the source URL right?")
    try:
        return json.loads(page.text())
    except ValueError as error:
        raise PageError(f"{page.url}: not valid JSON ({error})") from None


def offset_pages(url_at: Callable[[int], str], items_of: Callable[[Any], list[Any]],
                 total_of: Callable[[Any], int | None]) -> Iterator[tuple[str, list[Any]]]:
    """Pages at offset 0, n, 2n, ... until an empty page or the total is reached."""
    offset, previous = 0, None
    while True:
        url = url_at(offset)
        document = get_json(url)
        items = items_of(document)
        if not items:
            return
        fingerprint = hashlib.sha256(json.dumps(items, sort_keys=True).encode()).digest()
        if fingerprint == previous:
            raise PageError(f"{url}: the same page came back for the next offset (paging loop)")
        previous = fingerprint
        yield url, items
        offset += len(items)
        total = total_of(document)
        if total is not None and offset >= total:
            return


def link_pages(url: str, read: Callable[[str], tuple[list[Any], str | None]]
               ) -> Iterator[tuple[str, list[Any]]]:
    """Pages from ``url`` on, following each page's next link until there is none."""
    seen: set[str] = set()
    next_url: str | None = url
    while next_url:
        if next_url in seen:
            raise PageError(f"{next_url}: this next-page link was read before (paging loop)")
        seen.add(next_url)
        items, following = read(next_url)
        yield next_url, items
        next_url = urljoin(next_url, following) if following else None


def require_list(document: Any, key: str, url: str) -> list[Any]:
    """``document[key]`` when it is a list; PageError naming the shape otherwise."""
    value = document.get(key) if isinstance(document, dict) else None
    if not isinstance(value, list):
        raise PageError(f"{url}: the response has no '{key}' list; not a catalog page of "
                        "this source type")
    return value
