"""Health through the real store: rows written as the pipeline writes them, read back by the CLI."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

from bot.config import SourceConfig
from bot.fetch.health import health_rows, health_update
from bot.fetch.source import FetchResult
from bot.store import Store
from tests.conftest import REPO

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SOURCE = SourceConfig(id="wire", kind="rss", url="https://example.org/rss", interval=600)


def _state(store: Store, sid: str):
    return next(s for s in store.source_states() if s.id == sid)


def _record(store: Store, source: SourceConfig, result: FetchResult, *, new_items: int, now: datetime):
    """What the pipeline does with one fetch: the health rules' row values, written by the store."""
    change = health_update(source, _state(store, source.id), result, new_items=new_items, now=now)
    store.record_health({source.id: change.values})
    return change.report


def test_failures_back_off_report_once_and_recovery_reopens(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'h.db'}")
    store.ensure_sources([SOURCE.id])
    reports, when = [], NOW
    for result in (
        [FetchResult("wire", error="HTTP 503", status=503, retry_after=7200)]
        + [FetchResult("wire", error="connection refused")] * 3
        + [FetchResult("wire", status=200, etag='"e2"')]
    ):
        report = _record(store, SOURCE, result, new_items=4 if result.ok else 0, now=when)
        reports.append(report)
        state = _state(store, "wire")
        if result.retry_after:
            assert state.next_poll_at >= when + timedelta(seconds=7200)
        when += timedelta(hours=3)
    assert reports == [None, None, "unhealthy", None, "recovered"]
    state = _state(store, "wire")
    assert state.healthy and state.consecutive_failures == 0 and state.etag == '"e2"'
    assert state.items_seen == 4 and state.last_status == 200 and state.last_error is None
    # a healthy source's gate opens before the scheduler's next tick (interval ± jitter)
    assert state.next_poll_at <= state.last_attempt + timedelta(seconds=0.9 * SOURCE.interval)
    [row] = health_rows(store.source_states(), (SOURCE,))
    assert row.health.healthy and row.last_attempt == state.last_attempt
    store.close()


def test_sources_command_prints_health_and_check_exits_1(tmp_path):
    db = tmp_path / "cli.db"
    store = Store.open(f"sqlite:///{db}")
    store.ensure_sources(["bbc-africa"])
    source = SourceConfig(id="bbc-africa", kind="rss", url="https://example.org/rss")
    for _ in range(3):
        _record(
            store,
            source,
            FetchResult("bbc-africa", error="HTTP 500 from x", status=500),
            new_items=0,
            now=NOW,
        )
    store.close()
    config = tmp_path / "config"
    config.mkdir()
    (config / "sources.yaml").write_text(
        "sources:\n  - {id: bbc-africa, kind: rss, url: 'https://example.org/rss'}\n"
        "  - {id: quiet, kind: atom, url: 'https://example.org/atom', enabled: false}\n"
    )
    (config / "teams.yaml").write_text("teams:\n  - {name: t, channel: '#t', watch: {keywords: [attack]}}\n")
    env = {"DATABASE_URL": f"sqlite:///{db}", "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    run = lambda *a: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "bot", "--config", str(config), "sources", *a],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    table = run()
    assert table.returncode == 0, table.stderr
    header, first, second = table.stdout.splitlines()
    assert header.split()[:3] == ["SOURCE", "KIND", "STATE"]
    assert first.split()[:4] == ["bbc-africa", "rss", "UNHEALTHY", "3"] and "HTTP 500" in first
    assert second.split()[:3] == ["quiet", "atom", "disabled"]
    assert "1 unhealthy: bbc-africa" in table.stderr
    assert run("--check").returncode == 1
    assert run("--json", "--unhealthy").stdout.count("\n") == 1
