"""A Socrata portal on 127.0.0.1 for harvests through the fetch queue: one discovery page,
then each record's view after a short delay; the view of one record can be held until the
test has done its damage (killed the fetch consumer, restarted Redis); the discovery page can
be slow too (a long gather)."""
from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

from tests.harvesters.server import CatalogServer, Reply, json_reply


class SlowSocrata:
    def __init__(self, prefix: str, count: int, delay: float, hold: tuple[int, ...] = (),
                 page_delay: float = 0.0):
        self.ids = [f"{prefix}-{i:04d}" for i in range(count)]
        self.delay, self.page_delay = delay, page_delay
        self.hold_ids = {self.ids[i] for i in hold}
        self.view_hits: Counter[str] = Counter()
        self.holding: set[str] = set()
        self.held = threading.Event()  # set when every held view is being waited on
        self.release = threading.Event()
        self.held_clients: dict[str, int] = {}  # held view -> the client's TCP port
        self.server = CatalogServer()
        self._local = threading.local()
        self.server.httpd.RequestHandlerClass = self._remember_client(
            self.server.httpd.RequestHandlerClass)
        self.server.start()
        self.server.route("/api/catalog/v1", self._discovery)
        for view_id in self.ids:
            self.server.route(f"/api/views/{view_id}.json",
                              lambda _q, v=view_id: self._view(v))

    @property
    def url(self) -> str:
        return self.server.base

    @property
    def port(self) -> int:
        return self.server.httpd.server_address[1]

    def stop(self) -> None:
        self.release.set()
        self.server.stop()

    def _remember_client(self, handler: type) -> type:
        """The request handler, noting each request's client port for this thread (to
        tell which consumer process a held request belongs to)."""
        local = self._local

        class Remembering(handler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                local.client_port = self.client_address[1]
                super().do_GET()

        return Remembering

    def _discovery(self, query: dict[str, str]) -> Reply:
        offset, limit = int(query["offset"]), int(query["limit"])
        time.sleep(self.page_delay)
        return json_reply({"resultSetSize": len(self.ids),
                           "results": [_item(v) for v in self.ids[offset:offset + limit]]})

    def _view(self, view_id: str) -> Reply:
        self.view_hits[view_id] += 1
        if view_id in self.hold_ids and self.view_hits[view_id] == 1:
            self.held_clients[view_id] = self._local.client_port
            self.holding.add(view_id)
            if self.holding == self.hold_ids:
                self.held.set()
            self.release.wait(timeout=300)
        time.sleep(self.delay)
        return json_reply({"id": view_id, "licenseId": "CC0_10", "category": "Economie",
                           "license": {"name": "CC0 1.0 Universal"},
                           "grants": [{"inherited": False, "type": "viewer",
                                       "flags": ["public"]}]})


def _item(view_id: str) -> dict[str, Any]:
    return {
        "resource": {"id": view_id, "name": f"Telling {view_id}", "type": "dataset",
                     "description": f"Passanten per uur, reeks {view_id}.",
                     "attribution": "Gemeente Test", "updatedAt": "2025-03-02T02:00:00.000Z"},
        "classification": {"categories": [], "tags": [], "domain_category": "Economie",
                           "domain_tags": ["passanten"]},
        "metadata": {"domain": "opendata.test.example"},
    }


SOURCE_CONFIG = {"category_map": {"Economie": "ECON"}, "domain": "opendata.test.example"}
