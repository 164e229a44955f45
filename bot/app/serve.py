"""Long-running processes: `run`, `worker`, `web`. Graceful on SIGTERM."""

from __future__ import annotations

import logging
import os
import threading

from bot.app.build import build_delivery, build_poster
from bot.app.stopping import StopRequest
from bot.app.web import WebServer, wsgi_app
from bot.clock import utcnow
from bot.errors import ConfigError
from bot.services import Services
from bot.settings import Settings
from bot.slack.app import build_app

log = logging.getLogger(__name__)

SHUTDOWN_GRACE = 8  # seconds: under the 10 s platforms give after SIGTERM


def serve(settings: Settings, services: Services, *, worker: bool, listener: bool) -> None:
    stop_request = StopRequest().install()
    started: list = []
    try:
        if worker:
            services.store.hold_single_process_lock()
            started.append(_start_worker(settings, services))
        if listener:
            started += _start_listener(settings, services, serve_http=True)
        elif settings.lookout_metrics:
            # A worker alone still exposes its counters (and /healthz) for Prometheus.
            server = WebServer(
                wsgi_app(None, lambda: _health(services), metrics=_metrics(services)), port=settings.port
            ).start()
            started.append(server.stop)
        log.info("Lookout is up (%s); Ctrl-C or SIGTERM stops it", _mode(settings, worker, listener))
        stop_request.wait()
    finally:
        log.info("stopping: finishing in-flight work")
        for stop in reversed(started):
            stop()
        services.store.close()


def _start_worker(settings: Settings, services: Services):
    from bot.app import scheduler

    delivery = build_delivery(services, build_poster(settings))
    sched = scheduler.build(services, delivery)
    sched.start()

    def stop() -> None:
        # Jobs finish the item or post in hand and hand the rest of their claims back.
        services.stopping.set()
        delivery.stop()
        _stop_scheduler(sched)

    return stop


def _stop_scheduler(sched) -> None:
    done = threading.Thread(target=sched.shutdown, kwargs={"wait": True}, daemon=True)
    done.start()
    done.join(SHUTDOWN_GRACE)
    if done.is_alive():
        # A call still hangs (a fetch, a post): leave now rather than overrun the platform's
        # 10 s. Its lease expires and the next claimant first looks in Slack before posting.
        log.warning("in-flight jobs did not finish in %ss; exiting, their leases will expire", SHUTDOWN_GRACE)
        logging.shutdown()
        os._exit(0)


def _start_listener(settings: Settings, services: Services, *, serve_http: bool) -> list:
    """HTTP always serves /healthz; Slack traffic comes over Socket Mode or HTTP."""
    stops = []
    app = None
    if settings.slack_bot_token:
        if not (settings.slack_app_token or settings.slack_signing_secret):
            raise ConfigError(
                [
                    "SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode) "
                    "must be set to receive Slack commands and events"
                ]
            )
        app = build_app(settings, services)
    if app and settings.slack_app_token:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        handler = SocketModeHandler(app, settings.slack_app_token)
        handler.connect()
        stops.append(handler.close)
    http_app = app if app and not settings.slack_app_token else None
    metrics = _metrics(services) if settings.lookout_metrics else None
    server = WebServer(
        wsgi_app(
            http_app, lambda: _health(services), signing_secret=settings.slack_signing_secret, metrics=metrics
        ),
        port=settings.port,
    ).start()
    stops.append(server.stop)
    return stops


def _metrics(services: Services):
    from bot.ops import metrics

    return lambda: metrics.metrics_text(services)


def _health(services: Services) -> tuple[bool, dict]:
    try:
        q = services.store.queue_status(utcnow())
    except Exception as e:  # the database is down: not healthy
        return False, {"ok": False, "error": type(e).__name__}
    return True, {"ok": True, "pending": q.pending, "failed": q.failed}


def _mode(settings: Settings, worker: bool, listener: bool) -> str:
    parts = ["scheduler + delivery"] if worker else []
    if listener:
        slack = (
            ("Socket Mode" if settings.slack_app_token else f"HTTP on :{settings.port}")
            if settings.slack_bot_token
            else "no Slack token: /healthz only"
        )
        parts.append(f"listener: {slack}")
    parts.append("posting to Slack" if settings.slack_bot_token else "printing alerts to console")
    return "; ".join(parts)
