"""Local HTTP servers (127.0.0.1 only) that behave like good and hostile feed hosts.

Routes map a path to a behaviour; every request is counted so tests can
assert what was (and was not) asked. Feed entries come from tests/fixtures/news (written
for the tests, in the shapes real hosts serve).
"""

from __future__ import annotations

import gzip
import html
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

Handler = Callable[[BaseHTTPRequestHandler], None]


def rss_from_entries(entries: list[dict[str, Any]], *, title: str = "feed") -> bytes:
    """RSS 2.0 as BBC serves it (CDATA text), from JSON Lines entries."""
    from datetime import datetime
    from email.utils import format_datetime

    items = []
    for e in entries:
        when = format_datetime(datetime.fromisoformat(e["date_published"]), usegmt=True)
        items.append(
            f"<item><title><![CDATA[{e['title']}]]></title>"
            f"<description><![CDATA[{e['description']}]]></description>"
            f"<link>{html.escape(e['link'])}</link>"
            f'<guid isPermaLink="false">{html.escape(e["link"])}#0</guid>'
            f"<pubDate>{when}</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><language><![CDATA[en-gb]]></language>" + "".join(items) + "</channel></rss>"
    ).encode()


def rdf_from_entries(entries: list[dict[str, Any]]) -> bytes:
    """RSS 1.0/RDF as AllAfrica serves it; descriptions keep their double escapes."""
    items = "".join(
        f'<item rdf:about="{html.escape(e["link"])}"><title>{html.escape(e["title"])}</title>'
        f"<link>{html.escape(e['link'])}</link>"
        f"<description>{html.escape(e['description'])}</description>"
        f"<dc:date>{e['date_published']}</dc:date></item>"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<channel rdf:about="https://allafrica.com/"><title>AllAfrica</title></channel>'
        + items
        + "</rdf:RDF>"
    ).encode()


# ---- behaviours -----------------------------------------------------------------------------


def feed(
    body: bytes,
    *,
    content_type: str = "application/rss+xml; charset=utf-8",
    etag: str | None = '"v1"',
    last_modified: str | None = None,
) -> Handler:
    """A well-behaved feed host: conditional GET answers 304 when nothing changed."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        if etag and h.headers.get("If-None-Match") == etag:
            h.send_response(304)
            h.send_header("ETag", etag)
            h.end_headers()
            return
        if last_modified and h.headers.get("If-Modified-Since") == last_modified:
            h.send_response(304)
            h.end_headers()
            return
        send(h, 200, body, content_type, {"ETag": etag, "Last-Modified": last_modified})

    return handle


def status(code: int, headers: dict[str, str] | None = None, body: bytes = b"") -> Handler:
    return lambda h: send(h, code, body, "text/plain", headers or {})


def redirect(location: str, code: int = 302) -> Handler:
    return lambda h: send(h, code, b"", "text/plain", {"Location": location})


def trickle(body: bytes, *, every: float = 0.2, chunk: int = 1, length: bool = True) -> Handler:
    """Sends a byte at a time: each read is quick, the whole answer never ends in time.
    `length=False` sends no Content-Length: the body ends when the connection does."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        if length:
            h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        deadline = time.monotonic() + 20  # bounded even if the client never hangs up
        for i in range(0, len(body), chunk):
            if time.monotonic() > deadline:
                return
            try:
                h.wfile.write(body[i : i + chunk])
                h.wfile.flush()
            except OSError:
                return  # the client cut us off, as it should
            time.sleep(every)

    return handle


def huge(size: int) -> Handler:
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.end_headers()
        block = b"<!-- padding -->" * 4096
        sent = 0
        try:
            while sent < size:
                h.wfile.write(block)
                sent += len(block)
        except OSError:
            return

    return handle


def gzip_bomb(expanded: int) -> Handler:
    payload = gzip.compress(b"<rss>" + b"\0" * expanded, compresslevel=9)

    def handle(h: BaseHTTPRequestHandler) -> None:
        send(h, 200, payload, "application/rss+xml", {"Content-Encoding": "gzip"})

    return handle


def gzipped(body: bytes) -> Handler:
    return lambda h: send(h, 200, gzip.compress(body), "application/rss+xml", {"Content-Encoding": "gzip"})


def send(
    h: BaseHTTPRequestHandler, code: int, body: bytes, content_type: str, headers: dict[str, str | None]
) -> None:
    h.send_response(code)
    h.send_header("Content-Type", content_type)
    h.send_header("Content-Length", str(len(body)))
    for name, value in headers.items():
        if value is not None:
            h.send_header(name, value)
    h.end_headers()
    if body:
        try:
            h.wfile.write(body)
        except OSError:
            return


# ---- the server -----------------------------------------------------------------------------


@dataclass
class FakeWeb:
    """One threaded server on 127.0.0.1; `routes` can change between requests."""

    routes: dict[str, Handler] = field(default_factory=dict)
    hits: Counter = field(default_factory=Counter)
    user_agents: list[str] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def port(self) -> int:
        assert self.server is not None
        return self.server.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        web = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else headers then body cost a 40 ms delayed ACK

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                web.hits[path] += 1
                web.user_agents.append(self.headers.get("User-Agent", ""))
                route = web.routes.get(path) or web.routes.get(self.path)
                if route is None:
                    send(self, 404, b"not found", "text/plain", {})
                else:
                    route(self)

            def log_message(self, *args: object) -> None:
                pass  # keep test output clean

        return H


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], OSError):  # clients hanging up on hostile routes
            super().handle_error(request, client_address)


@contextmanager
def serve(routes: dict[str, Handler] | None = None) -> Iterator[FakeWeb]:
    web = FakeWeb(routes=dict(routes or {}))
    server = QuietServer(("127.0.0.1", 0), web.handler_class())
    web.server = server
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield web
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def refusing_port() -> Iterator[int]:
    """A port on 127.0.0.1 where nothing listens: connections are refused."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    yield port


@contextmanager
def unaccepting_port() -> Iterator[int]:
    """A port whose accept queue is full: connects hang until their timeout."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(0)
    port = s.getsockname()[1]
    filler = socket.create_connection(("127.0.0.1", port), timeout=1)
    try:
        yield port
    finally:
        filler.close()
        s.close()


class ConnectLog:
    """Every socket.connect this process makes while recording (a sys audit hook)."""

    _installed = False
    _active: ClassVar[list[list[Any]]] = []

    @classmethod
    @contextmanager
    def record(cls) -> Iterator[list[Any]]:
        if not cls._installed:
            sys.addaudithook(cls._hook)
            cls._installed = True
        seen: list[Any] = []
        cls._active.append(seen)
        try:
            yield seen
        finally:
            cls._active.remove(seen)

    @classmethod
    def _hook(cls, event: str, args: tuple) -> None:
        if event == "socket.connect" and cls._active:
            for seen in cls._active:
                seen.append(args[1])


def fake_resolver(names: dict[str, str]) -> Callable[[str, int], list[str]]:
    """A resolver over a fixed table; anything else fails like a DNS miss (no DNS traffic)."""

    def resolve(host: str, port: int) -> list[str]:
        if host in names:
            return [names[host]]
        raise socket.gaierror(socket.EAI_NONAME, f"Name or service not known: {host}")

    return resolve
