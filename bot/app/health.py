"""What /healthz says: starting, ok, or degraded with its reasons.

The answer is read from what background threads last saw, never from the database on the
request's thread: a held SQLite write lock makes any query wait up to 30 s, and a probe that
waits longer than `patience` is itself the news ("database: no answer for 4 s"). So /healthz
answers at once whatever the database or Slack do, which is what a load balancer needs.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.clock import utcnow

if TYPE_CHECKING:
    from bot.settings import Settings
    from bot.store import QueueStatus, Store

log = logging.getLogger(__name__)

DB_EVERY = 5.0  # seconds between looks at the database
SLACK_EVERY = 300.0  # seconds between auth.test calls: a revoked token shows within 5 minutes
PATIENCE = 1.0  # a database look in flight longer than this is reported as no answer


@dataclass(frozen=True)
class Look:
    """What a background look found, and when."""

    at: datetime
    outbox: QueueStatus | None = None
    error: str | None = None  # the database could not answer


class Health:
    """`answer()` is (healthy, body) for /healthz, from memory only. `start()` begins the
    looks once the services are ready; until then the answer is "starting"."""

    def __init__(
        self,
        *,
        max_queued_seconds: float,
        now: Callable[[], datetime] = utcnow,
        db_every: float = DB_EVERY,
        slack_every: float = SLACK_EVERY,
        patience: float = PATIENCE,
    ):
        self.max_queued_seconds = max_queued_seconds
        self.now = now
        self.db_every, self.slack_every, self.patience = db_every, slack_every, patience
        self.starting: str | None = "loading the config, the gazetteer index and the store"
        self._db: Look | None = None
        self._db_since: datetime | None = None  # a look in flight since then
        self._slack: str | None = None  # "ok", "not configured", or what went wrong
        self._slack_refused: str | None = None  # auth.test refused the token: degraded
        self._stopped = threading.Event()
        self._lock = threading.Lock()

    # -- the answer ---------------------------------------------------------------------------

    def answer(self) -> tuple[bool, dict]:
        if self.starting is not None:
            return False, {"ok": False, "status": "starting", "reasons": [f"starting: {self.starting}"]}
        with self._lock:
            db, since, slack, refused = self._db, self._db_since, self._slack, self._slack_refused
        now = self.now()
        body: dict = {"slack": slack or "not checked yet"}
        reasons: list[str] = []
        waited = (now - since).total_seconds() if since else 0.0
        if since is not None and waited > self.patience:
            body["database"] = "unknown"
            reasons.append(f"database: no answer for {waited:.0f} s (locked or unreachable)")
        elif db is None:
            return False, {"ok": False, "status": "starting", "reasons": ["starting: first health check"]}
        elif db.error is not None:
            body["database"] = "error"
            reasons.append(f"database: {db.error}")
        else:
            body["database"] = "ok"
        if db is not None and db.outbox is not None:
            reasons += self._outbox(db.outbox, now, body)
        if refused:
            reasons.append(f"slack: {refused}")
        healthy = not reasons
        body = {"ok": healthy, "status": "ok" if healthy else "degraded", **body}
        if reasons:
            body["reasons"] = reasons
        return healthy, body

    def _outbox(self, outbox: QueueStatus, now: datetime, body: dict) -> list[str]:
        body |= {"pending": outbox.pending, "failed": outbox.failed}
        if outbox.oldest_pending is None:
            return []
        age = (now - outbox.oldest_pending).total_seconds()
        body["oldest_pending_seconds"] = round(age)
        if age <= self.max_queued_seconds:
            return []
        return [
            f"outbox: {outbox.pending} alerts waiting, the oldest for {age:.0f} s "
            f"(over LOOKOUT_HEALTH_MAX_QUEUED_SECONDS={self.max_queued_seconds:g}); "
            "is Slack reachable? see `python -m bot status`"
        ]

    # -- the looks ----------------------------------------------------------------------------

    def start(self, look_outbox: Callable[[], QueueStatus], auth_test: Callable[[], None] | None) -> None:
        """Ready: look at the outbox every `db_every` s and (with a token) call auth.test
        every `slack_every` s, each in its own daemon thread. `auth_test` raises on failure."""
        self._slack = "not configured" if auth_test is None else None
        threads = [("health-db", self.db_every, lambda: self._look_db(look_outbox))]
        if auth_test is not None:
            threads.append(("health-slack", self.slack_every, lambda: self._look_slack(auth_test)))
        for name, every, look in threads:
            threading.Thread(target=self._repeat, args=(look, every), name=name, daemon=True).start()
        self.starting = None

    def stop(self) -> None:
        self._stopped.set()

    def _repeat(self, look: Callable[[], None], every: float) -> None:
        while not self._stopped.is_set():
            look()
            self._stopped.wait(every)

    def _look_db(self, look_outbox: Callable[[], QueueStatus]) -> None:
        with self._lock:
            self._db_since = self.now()
        try:
            found = Look(at=self.now(), outbox=look_outbox())
        except Exception as e:  # the database is down or refuses: that is the finding
            # Only the error's kind goes out (the endpoint is public; a driver's message names
            # hosts and users); the message goes to the log, once per new error.
            found = Look(at=self.now(), error=type(e).__name__)
            if self._db is None or self._db.error is None:
                log.warning("health: the database did not answer: %s", str(e).splitlines()[0][:300])
        with self._lock:
            self._db, self._db_since = found, None

    def _look_slack(self, auth_test: Callable[[], None]) -> None:
        from slack_sdk.errors import SlackApiError

        from bot.app.build import BAD_TOKEN

        seen, refused = "ok", None
        try:
            auth_test()
        except SlackApiError as e:
            data = e.response.data if isinstance(e.response.data, dict) else {}
            error = data.get("error") or str(e)
            seen = f"auth.test failed: {error}"
            if error in BAD_TOKEN:
                refused = (
                    f"Slack refused SLACK_BOT_TOKEN ({error}); copy the token again or reinstall the app"
                )
        except Exception as e:  # unreachable: the outbox's age says whether alerts are stuck
            seen = f"unreachable ({type(e).__name__})"
        with self._lock:
            self._slack, self._slack_refused = seen, refused


def outbox_look(store: Store, now: Callable[[], datetime] = utcnow) -> Callable[[], QueueStatus]:
    return lambda: store.queue_status(now())


def slack_auth_test(settings: Settings) -> Callable[[], None] | None:
    """auth.test with the bot token (None without one); raises SlackApiError or OSError."""
    if not settings.slack_bot_token:
        return None
    from bot.deliver.poster import web_client

    client = web_client(settings)
    return lambda: client.auth_test()  # type: ignore[return-value]
