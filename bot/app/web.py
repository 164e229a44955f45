"""The HTTP listener: Slack events, commands and interactivity at /slack/events, and /healthz."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from waitress.server import create_server

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_bolt.adapter.wsgi import SlackRequestHandler

Health = Callable[[], tuple[bool, dict]]
SLACK_PATH = "/slack/events"
METRICS_PATH = "/metrics"


def wsgi_app(
    slack: Callable[[], App | None], health: Health, *, metrics: Callable[[], bytes | None] | None = None
) -> Callable:
    """`slack` gives the Bolt app once it is built (None before, or with no Slack over HTTP):
    the port is bound before the index is loaded, so /healthz can say "starting".
    `metrics` (the Prometheus text exposition; None while starting) is served at /metrics."""
    handlers: dict[int, SlackRequestHandler] = {}

    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            ok, detail = health()
            return _json(start_response, "200 OK" if ok else "503 Service Unavailable", detail)
        if path == METRICS_PATH and metrics:
            return _metrics(start_response, metrics)
        bolt = slack() if path == SLACK_PATH else None
        if bolt is not None:
            return _handler(handlers, bolt)(environ, start_response)
        if path == SLACK_PATH and health()[1].get("status") == "starting":
            return _json(start_response, "503 Service Unavailable", {"error": "starting"})  # Slack retries
        return _json(start_response, "404 Not Found", {"error": "not found"})

    return app


def _handler(handlers: dict[int, SlackRequestHandler], bolt: App) -> SlackRequestHandler:
    """Bolt's WSGI adapter for this app, made once (imported late: the port is bound first)."""
    if id(bolt) not in handlers:
        from slack_bolt.adapter.wsgi import SlackRequestHandler

        handlers[id(bolt)] = SlackRequestHandler(bolt, path=SLACK_PATH)
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


class WebServer:
    """waitress in a background thread; `port=0` picks a free port (tests)."""

    def __init__(self, app: Callable, *, host: str = "0.0.0.0", port: int = 3000):
        self.server = create_server(app, host=host, port=port, threads=8, ident="lookout")
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
