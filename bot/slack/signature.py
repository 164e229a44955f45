"""Slack's request signature, checked on the raw bytes before anything parses or logs them.

Bolt parses the body (JSON or form) before its own verification middleware runs, logs the
whole body of every request that fails it, and answers a non-numeric timestamp with a 500
and a traceback. So HTTP requests pass this gate first: the body is read once (waitress has
already capped its size), its HMAC is checked, and only a request Slack signed reaches Bolt.
A refused one gets 401 and, at most, one short log line without its body.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable

log = logging.getLogger(__name__)

MAX_AGE = 5 * 60  # seconds either side of now a timestamp may be: older ones are replays
REFUSED = json.dumps({"error": "invalid request"}).encode()


def refusal(
    body: bytes, timestamp: str | None, signature: str | None, *, secret: str, now: float
) -> str | None:
    """Why this request is not one Slack signed, or None when it is."""
    if not timestamp or not signature:
        return "no signature"
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return "malformed timestamp"
    if abs(now - int(timestamp)) > MAX_AGE:
        return "stale timestamp"
    mac = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    # WSGI headers are latin-1 strings: compare bytes, so an odd character cannot raise.
    if not hmac.compare_digest(b"v0=" + mac.hexdigest().encode(), signature.encode("latin-1", "replace")):
        return "bad signature"
    return None


class RefusalLog:
    """One line for the first refusal, then at most one line a `window`, counting the rest:
    a flood of unsigned requests cannot flood the log."""

    def __init__(self, *, window: float = 60.0, clock: Callable[[], float] = time.monotonic):
        self.window, self.clock = window, clock
        self._lock = threading.Lock()
        self._last: float | None = None
        self._quiet = 0  # refusals not logged since the last line

    def refused(self, reason: str, remote: str) -> None:
        with self._lock:
            now = self.clock()
            if self._last is not None and now - self._last < self.window:
                self._quiet += 1
                return
            more, self._quiet, self._last = self._quiet, 0, now
        extra = f" ({more} more refused in the last {self.window:g} s)" if more else ""
        log.warning("refused a Slack request from %s: %s%s", remote, reason, extra)


class SignedOnly:
    """WSGI middleware in front of Bolt's handler: unsigned requests never reach it."""

    def __init__(
        self,
        inner: Callable,
        secret: str,
        *,
        clock: Callable[[], float] = time.time,
        refusals: RefusalLog | None = None,
    ):
        if not secret:
            raise ValueError("the Slack endpoint needs the signing secret")
        self.inner, self.secret, self.clock = inner, secret, clock
        self.refusals = refusals or RefusalLog()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        body = _read_body(environ)
        why = self._check(body, environ)
        if why:
            self.refusals.refused(why, str(environ.get("REMOTE_ADDR", "?")))
            return _answer(start_response, "401 Unauthorized", REFUSED)
        try:
            body.decode("utf-8")  # Bolt decodes it; a signed non-UTF-8 body would raise there
        except UnicodeDecodeError:
            return _answer(start_response, "400 Bad Request", json.dumps({"error": "not UTF-8"}).encode())
        environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
        return self.inner(environ, start_response)

    def _check(self, body: bytes, environ: dict) -> str | None:
        return refusal(
            body,
            environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"),
            environ.get("HTTP_X_SLACK_SIGNATURE"),
            secret=self.secret,
            now=self.clock(),
        )


def _read_body(environ: dict) -> bytes:
    """The raw body; waitress has already refused one over its size cap (and a malformed
    Content-Length, which would read as empty here and so fail the signature)."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return b""
    stream = environ.get("wsgi.input")
    return stream.read(length) if stream is not None and length > 0 else b""


def _answer(start_response: Callable, status: str, body: bytes) -> list[bytes]:
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
