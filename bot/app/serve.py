"""Long-running processes: `run`, `worker`, `web`. Graceful on SIGTERM."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.app.health import Health, outbox_look, slack_auth_test
from bot.app.stopping import StopRequest
from bot.app.web import WebServer, wsgi_app
from bot.errors import ConfigError

# The rest is imported once the port is bound (Bolt, the store, the stages, matplotlib: seconds
# on a busy machine), so a platform waiting for $PORT sees the process at once.
if TYPE_CHECKING:
    from bot.services import Services
    from bot.settings import Settings

log = logging.getLogger(__name__)

SHUTDOWN_GRACE = 8  # seconds: under the 10 s platforms give after SIGTERM


def serve(settings: Settings, build: Callable[[], Services], *, worker: bool, listener: bool) -> None:
    """`build` makes the services (config, gazetteer index, store: seconds, more on a first
    start); the HTTP port is bound before, so /healthz answers "starting" meanwhile."""
    stop_request = StopRequest().install()
    started: list = []
    services: Services | None = None
    health = Health(max_queued_seconds=settings.lookout_health_max_queued_seconds)
    bolt: list = []  # the Bolt app for HTTP mode, once built
    try:
        if listener:
            _check_listener(settings)
        if listener or settings.lookout_metrics:
            # A worker alone still exposes its counters (and /healthz) for Prometheus.
            metrics = _metrics(lambda: services) if settings.lookout_metrics else None
            app = wsgi_app(
                lambda: bolt[0] if bolt else None,
                health.answer,
                signing_secret=settings.slack_signing_secret,
                metrics=metrics,
            )
            started.append(WebServer(app, port=settings.port).start().stop)
            log.info("listening on :%s; /healthz says starting until the services are ready", settings.port)
        services = build()
        started.append(health.stop)
        if stop_request.signal is not None:  # SIGTERM while building: start nothing
            return
        if worker:
            services.store.hold_single_process_lock()
            started.append(_start_worker(settings, services))
        if listener:
            started += _start_listener(settings, services, bolt)
        health.start(outbox_look(services.store), slack_auth_test(settings))
        log.info("Lookout is up (%s); Ctrl-C or SIGTERM stops it", _mode(settings, worker, listener))
        stop_request.wait()
    finally:
        if services is not None:  # else the build failed and says why itself
            log.info("stopping: finishing in-flight work")
        for stop in reversed(started):
            stop()
        if services is not None:
            services.store.close()


def _start_worker(settings: Settings, services: Services):
    from bot.app import scheduler
    from bot.app.build import build_delivery, build_poster

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


def _check_listener(settings: Settings) -> None:
    """Before the port is bound: a token without a way to receive Slack's requests."""
    if settings.slack_bot_token and not (settings.slack_app_token or settings.slack_signing_secret):
        raise ConfigError(
            [
                "SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode) "
                "must be set to receive Slack commands and events"
            ]
        )


def _start_listener(settings: Settings, services: Services, bolt: list) -> list:
    """Slack traffic over Socket Mode, or over HTTP through the server already listening
    (`bolt` receives the app it serves). Returns what stops it."""
    if not settings.slack_bot_token:
        return []
    from bot.slack.app import build_app

    app = build_app(settings, services)
    if not settings.slack_app_token:
        bolt.append(app)
        return []
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, settings.slack_app_token)
    handler.connect()
    return [handler.close]


def _metrics(services: Callable[[], Services | None]) -> Callable[[], bytes | None]:
    def text() -> bytes | None:
        ready = services()
        if ready is None:  # starting: import nothing meanwhile (it would wait on the start's)
            return None
        from bot.ops import metrics

        return metrics.metrics_text(ready)

    return text


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
