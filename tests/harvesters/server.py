"""A local catalog server: http.server in a thread on 127.0.0.1, port chosen by the OS.

Routes map a path to a handler ``(query) -> Reply``; a handler can page a list of items
the way a source API does, or misbehave on purpose (HTML with 200, a 500, a trickle, a
body larger than it says, a redirect to somewhere it should not go).
"""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

PAYLOADS = Path(__file__).parent / "payloads"


@dataclass
class Reply:
    body: bytes | Iterable[bytes] = b""
    status: int = 200
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    pause: float = 0.0  # seconds between chunks of an iterable body
    content_length: bool = True


Handler = Callable[[dict[str, str]], Reply]


def json_reply(document: Any, **kwargs: Any) -> Reply:
    return Reply(json.dumps(document).encode("utf-8"), **kwargs)


def payload(name: str) -> bytes:
    return (PAYLOADS / name).read_bytes()


class CatalogServer:
    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[str] = []
        server = self

        class _Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                server.requests.append(self.path)
                parts = urlsplit(self.path)
                handler = server.routes.get(parts.path)
                reply = handler(dict(parse_qsl(parts.query))) if handler else Reply(
                    b"not found", 404, "text/plain")
                self._send(reply)

            def _send(self, reply: Reply) -> None:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                if isinstance(reply.body, bytes):
                    if reply.content_length:
                        self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                    return
                self.end_headers()
                try:
                    for chunk in reply.body:
                        self.wfile.write(chunk)
                        self.wfile.flush()
                        time.sleep(reply.pause)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> CatalogServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, handler: Handler | Reply) -> str:
        self.routes[path] = handler if callable(handler) else (lambda _q, r=handler: r)
        return self.url(path)
