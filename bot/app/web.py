"""The HTTP listener: Slack events, commands and interactivity at /slack/events, and /healthz."""

from __future__ import annotations

import json
import resource
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from waitress.server import create_server

if TYPE_CHECKING:
    from slack_bolt import App

Health = Callable[[], tuple[bool, dict]]
SLACK_PATH = "/slack/events"
METRICS_PATH = "/metrics"


def wsgi_app(
    slack: Callable[[], App | None] | None,
    health: Health,
    *,
    signing_secret: str | None = None,
    metrics: Callable[[], bytes | None] | None = None,
) -> Callable:
    """`slack` gives the Bolt app once it is built (None before, or with no Slack over HTTP):
    the port is bound before the index is loaded, so /healthz can say "starting". Slack's
    requests are verified on their raw bytes with `signing_secret` before Bolt sees them.
    `metrics` (the Prometheus text exposition; None while starting) is served at /metrics."""
    handlers: dict[int, Callable] = {}

    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            ok, detail = health()
            return _json(start_response, "200 OK" if ok else "503 Service Unavailable", detail)
        if path == METRICS_PATH and metrics:
            return _metrics(start_response, metrics)
        bolt = slack() if slack and path == SLACK_PATH else None
        if bolt is not None:
            return _handler(handlers, bolt, signing_secret)(environ, start_response)
        if path == SLACK_PATH and health()[1].get("status") == "starting":
            return _json(start_response, "503 Service Unavailable", {"error": "starting"})  # Slack retries
        return _json(start_response, "404 Not Found", {"error": "not found"})

    return app


def _handler(handlers: dict[int, Callable], bolt: App, signing_secret: str | None) -> Callable:
    """Bolt's WSGI adapter for this app behind the signature check, made once (imported late:
    the port is bound first)."""
    if id(bolt) not in handlers:
        from slack_bolt.adapter.wsgi import SlackRequestHandler

        from bot.slack.signature import SignedOnly

        handlers[id(bolt)] = SignedOnly(SlackRequestHandler(bolt, path=SLACK_PATH), signing_secret or "")
    return handlers[id(bolt)]


def _json(start_response: Callable, status: str, body: dict) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def _metrics(start_response: Callable, metrics: Callable[[], bytes | None]) -> list[bytes]:
    try:
        data = metrics()
    except Exception as e:  # the store is down: say so, as /healthz does
        return _json(start_response, "503 Service Unavailable", {"error": type(e).__name__})
    if data is None:
        return _json(start_response, "503 Service Unavailable", {"error": "starting"})
    from prometheus_client import CONTENT_TYPE_LATEST

    start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST), ("Content-Length", str(len(data)))])
    return [data]


@dataclass(frozen=True)
class Limits:
    """What one client may hold of the listener. waitress's defaults (100 connections kept for
    2 minutes, bodies up to 1 GiB) let 150 idle connections that announce a body and never send
    it lock everyone out, /healthz included, and let unsigned 50 MB bodies grow the process
    before any signature is looked at. Slack sends a request in one go, and its largest to us
    is a message shortcut carrying someone's message: at most 40,000 characters, under 360 KB
    even if each is a 3-byte character percent-encoded (9 bytes); our own cards are far smaller."""

    connections: int = 500  # open sockets (each up to 2 fds with a spilled body); then the backlog
    idle_timeout: int = 10  # seconds a connection may send nothing before it is closed
    max_body: int = 512 * 1024  # bytes; a bigger Content-Length is refused with 413 unread
    max_headers: int = 64 * 1024  # bytes of request line and headers together
    in_memory: int = 64 * 1024  # bytes of one body held in RAM; the rest goes to a temp file


def _descriptor_budget() -> int:
    """Connections this process can hold open: each may use two file descriptors (the socket
    and a spilled body), and half of them stay for the database, feeds and Slack. Past the
    limit, accept() fails with EMFILE and waitress logs a traceback per try, in a tight loop."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return soft // 4 if soft != resource.RLIM_INFINITY else 1 << 20


class WebServer:
    """waitress in a background thread; `port=0` picks a free port (tests)."""

    def __init__(self, app: Callable, *, host: str = "0.0.0.0", port: int = 3000, limits: Limits = Limits()):
        self.server = create_server(
            app,
            host=host,
            port=port,
            threads=8,
            ident="lookout",
            connection_limit=min(limits.connections, _descriptor_budget()),
            channel_timeout=limits.idle_timeout,
            cleanup_interval=max(1, limits.idle_timeout // 5),  # how often idle ones are looked for
            max_request_body_size=limits.max_body,
            max_request_header_size=limits.max_headers,
            inbuf_overflow=limits.in_memory,
            outbuf_overflow=256 * 1024,  # answers are small; a reader that stalls spills to disk
            asyncore_use_poll=True,  # select() cannot watch more than 1024 sockets
        )
        self.stopping = False
        self.thread = threading.Thread(target=self._run, name="web", daemon=True)

    @property
    def port(self) -> int:
        return self.server.effective_port

    def start(self) -> WebServer:
        self.thread.start()
        return self

    def _run(self) -> None:
        try:
            self.server.run()
        except OSError:
            # stop() closes the socket under the loop's select() (EBADF): that is how it ends,
            # right after start too (a config error), and is no traceback for the operator.
            if not self.stopping:
                raise

    def stop(self) -> None:
        self.stopping = True
        self.server.close()
        self.thread.join(timeout=5)
