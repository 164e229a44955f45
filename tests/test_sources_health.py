"""Health as a value: transitions, once-only reports, backoff with Retry-After and jitter."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from bot.fetch.health import MAX_BACKOFF, SourceHealth, describe, next_delay, update
from bot.fetch.source import FetchResult

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
FAIL = FetchResult("s", error="HTTP 500", status=500)
OK = FetchResult("s", status=200, items=())


def test_unhealthy_reported_once_then_recovered_once():
    health, reports = SourceHealth(), []
    for result in [FAIL] * 5 + [OK, OK]:
        health, report = update(health, result, now=NOW, threshold=3)
        reports.append(report)
    assert reports == [None, None, "unhealthy", None, None, "recovered", None]
    assert health.healthy and health.consecutive_failures == 0 and health.last_error is None


def test_failure_records_error_status_and_keeps_last_success():
    health, _ = update(SourceHealth(), OK, now=NOW)
    health, _ = update(health, FAIL, now=NOW)
    assert health.last_success == NOW and health.last_error == "HTTP 500"
    assert health.last_status == 500 and health.consecutive_failures == 1 and health.healthy


def test_items_seen_counts_new_items():
    health, _ = update(SourceHealth(), OK, now=NOW, new_items=7)
    health, _ = update(health, OK, now=NOW, new_items=3)
    assert health.items_seen == 10


def test_backoff_doubles_and_is_capped():
    rng = random.Random(1)
    delays = [next_delay(300, SourceHealth(consecutive_failures=n), rng=rng) for n in range(1, 12)]
    for n, delay in enumerate(delays[:5], start=1):
        assert 300 * 2 ** (n - 1) * 0.9 <= delay <= 300 * 2 ** (n - 1) * 1.1
    assert max(delays) <= MAX_BACKOFF * 1.1


def test_retry_after_is_a_floor_and_jitter_spreads():
    assert next_delay(60, SourceHealth(consecutive_failures=1), retry_after=900) >= 900
    spread = {round(next_delay(600, SourceHealth(), rng=random.Random(i))) for i in range(50)}
    assert len(spread) > 10 and min(spread) >= 540 and max(spread) <= 660


def test_describe_names_the_source_and_the_error():
    health, report = SourceHealth(consecutive_failures=3, healthy=False, last_error="HTTP 500"), "unhealthy"
    assert describe("BBC Africa", health, report) == (
        "source BBC Africa is unhealthy after 3 failures in a row: HTTP 500"
    )
