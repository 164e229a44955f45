"""Source health as a value: updated from each FetchResult, no I/O here.

Persistence lives in the store; reporting (log, ops channel) in the caller.
`update` says when a became-unhealthy or recovered report is due, once each.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from bot.fetch import FetchResult

UNHEALTHY_AFTER = 3  # consecutive failures before a source is reported
MAX_BACKOFF = 6 * 3600.0  # never wait longer than this between tries
JITTER = 0.1  # ±10 %: spreads sources that share an interval over time

Report = Literal["unhealthy", "recovered"] | None


@dataclass(frozen=True)
class SourceHealth:
    last_success: datetime | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    last_status: int | None = None
    items_seen: int = 0
    healthy: bool = True


def update(
    health: SourceHealth,
    result: FetchResult,
    *,
    now: datetime,
    threshold: int = UNHEALTHY_AFTER,
    new_items: int | None = None,
) -> tuple[SourceHealth, Report]:
    """The health after `result`, and the report that became due (if any).

    `new_items` counts only items the store had not seen (default: all in the result).
    """
    if result.ok:
        seen = len(result.items) if new_items is None else new_items
        new = replace(
            health,
            last_success=now,
            last_error=None,
            consecutive_failures=0,
            last_status=result.status,
            items_seen=health.items_seen + seen,
            healthy=True,
        )
        return new, ("recovered" if not health.healthy else None)
    failures = health.consecutive_failures + 1
    healthy = health.healthy and failures < threshold
    new = replace(
        health,
        last_error=result.error,
        consecutive_failures=failures,
        last_status=result.status,
        healthy=healthy,
    )
    return new, ("unhealthy" if health.healthy and not healthy else None)


def next_delay(
    interval: float,
    health: SourceHealth,
    *,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Seconds until the next poll: the interval, or exponential backoff after failures.

    A server's Retry-After is a floor, never shortened by jitter.
    """
    rng = rng or random.Random()
    base = float(interval)
    if health.consecutive_failures:
        base = min(interval * 2 ** (health.consecutive_failures - 1), max(MAX_BACKOFF, interval))
    delay = base * (1 + rng.uniform(-JITTER, JITTER))
    return max(delay, retry_after or 0.0, 1.0)


def describe(source_label: str, health: SourceHealth, report: Report) -> str:
    """One line for the log and the ops channel."""
    if report == "unhealthy":
        return (
            f"source {source_label} is unhealthy after {health.consecutive_failures} "
            f"failures in a row: {health.last_error}"
        )
    if report == "recovered":
        return f"source {source_label} recovered (HTTP {health.last_status})"
    return f"source {source_label}: ok" if health.healthy else f"source {source_label}: failing"
