"""Signing requests to our own Slack endpoint, and waiting for Bolt's after-ack work."""

from __future__ import annotations

import time

from slack_sdk.signature import SignatureVerifier

SECRET = "test-secret"  # the signing secret make_services gives the app
FORM = "application/x-www-form-urlencoded"


def signed(body: str, ctype: str = FORM, *, secret: str = SECRET, ts: int | None = None) -> dict:
    """Headers Slack would send with `body`, signed with `secret` at time `ts` (default: now)."""
    stamp = str(int(time.time()) if ts is None else ts)
    sig = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": sig, "Content-Type": ctype}


def wait_for(predicate, timeout: float = 10.0):
    """Bolt answers after acking, in its own threads: poll (bounded) for the result."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(0.05)
    return predicate()
