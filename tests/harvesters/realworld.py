"""Captured responses of real catalog APIs (``../shared/realworld/``, provenance in its
``MANIFEST.tsv``; earlier samples in ``../shared/reference/catalog-samples/``), served by
the local catalog server at the paths each API uses.

They are read where they lie, never copied into the project."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.harvesters.server import CatalogServer, Reply, json_reply

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
REALWORLD = SHARED / "realworld"
SAMPLES = SHARED / "reference" / "catalog-samples"  # provenance: ../reference/MANIFEST.tsv


def raw(name: str) -> bytes:
    return (REALWORLD / name).read_bytes()


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def document(name: str) -> Any:
    return json.loads(raw(name))


def serve_offset_pages(server: CatalogServer, path: str, name: str, items_key: str,
                       offset_key: str = "offset") -> str:
    """The captured page at offset 0 byte for byte; an empty page after it (the capture
    is the only page there is), in the same document shape."""
    captured = document(name)

    def page(query: dict[str, str]) -> Reply:
        if int(query.get(offset_key, 0)) == 0:
            return Reply(raw(name))
        return json_reply(_emptied(captured, items_key))

    return server.route(path, page)


def _emptied(doc: dict[str, Any], items_key: str) -> dict[str, Any]:
    if items_key in doc:
        return {**doc, items_key: []}
    return {**doc, "result": {**doc["result"], items_key: []}}
