"""Source health as a value: updated from each FetchResult, no I/O here.

The rules (when a source turns unhealthy, how long to back off) and the row values they
give; the store writes them. Persistence lives in the store; reporting (log, ops channel) in the caller.
`update` says when a became-unhealthy or recovered report is due, once each.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from bot.config import SourceConfig
from bot.fetch.redact import redact_optional
from bot.fetch.source import FetchResult
from bot.store.values import SourceState

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


def health_of(state: SourceState) -> SourceHealth:
    return SourceHealth(
        last_success=state.last_success,
        last_error=redact_optional(state.last_error),  # a row stored before errors were redacted
        consecutive_failures=state.consecutive_failures,
        last_status=state.last_status,
        items_seen=state.items_seen,
        healthy=state.healthy,
    )


@dataclass(frozen=True)
class HealthUpdate:
    """One source's new row values, and the report that became due (if any)."""

    source: SourceConfig
    health: SourceHealth
    report: Report
    values: dict[str, Any]


def health_update(
    source: SourceConfig, state: SourceState, result: FetchResult, *, new_items: int, now: datetime
) -> HealthUpdate:
    health, report = update(health_of(state), result, now=now, new_items=new_items)
    if result.ok and not result.retry_after:
        # The scheduler times healthy polls (with its own jitter); this gate only stops a
        # second worker polling too soon, so it opens well before the next tick is due.
        delay = source.interval / 2
    else:
        delay = next_delay(source.interval, health, retry_after=result.retry_after)
    values = {
        "last_attempt": now,
        "last_success": health.last_success,
        "last_error": health.last_error,
        "last_status": health.last_status,
        "consecutive_failures": health.consecutive_failures,
        "items_seen": health.items_seen,
        "healthy": health.healthy,
        "next_poll_at": now + timedelta(seconds=delay),
    }
    if result.ok:  # validators only move forward on a good answer
        values |= {"etag": result.etag, "last_modified": result.last_modified}
    return HealthUpdate(source, health, report, values)


@dataclass(frozen=True)
class HealthRow:
    """One line of `python -m bot sources`."""

    id: str
    label: str
    kind: str
    enabled: bool
    health: SourceHealth
    last_attempt: datetime | None
    next_poll_at: datetime | None


def health_rows(stored: list[SourceState], configured: tuple[SourceConfig, ...]) -> list[HealthRow]:
    """Configured sources with their stored health (never-polled ones look fresh)."""
    states = {s.id: s for s in stored}
    rows = []
    for source in configured:
        state = states.get(source.id) or SourceState(id=source.id)
        rows.append(
            HealthRow(
                source.id,
                source.label,
                source.kind,
                source.enabled,
                health_of(state),
                state.last_attempt,
                state.next_poll_at,
            )
        )
    return rows
