"""The operator's view: status numbers (CLI and Slack), /metrics, and the report command."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import requests
from click.testing import CliRunner
from PIL import Image
from prometheus_client.parser import text_string_to_metric_families

from bot.app.web import WebServer, wsgi_app
from bot.cli.main import cli
from bot.models import Item, Mentions
from bot.ops import metrics
from bot.ops import status as ops
from bot.pipeline import CycleReport
from bot.slack.commands import dispatch
from bot.store import NewAlert, StoryRecord
from tests.test_digest import TEAMS, put

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def busy_store(services) -> None:
    """Two sources (one failing with hostile error text), three items, two alerts waiting."""
    store = services.store
    store.ensure_sources(["wire", "radio"])
    store.record_fetch(
        "wire", values={"last_attempt": NOW - timedelta(minutes=3), "last_success": NOW, "healthy": True}
    )
    store.record_fetch(
        "radio",
        values={
            "last_attempt": NOW - timedelta(minutes=2),
            "healthy": False,
            "consecutive_failures": 4,
            "last_error": "HTTP 503 <!channel>",
        },
    )
    ids = store.add_items(
        [
            Item(
                source_id="wire",
                guid=f"g{i}",
                url=f"https://news.example/{i}",
                title=f"Report {i}",
                published=NOW,
            )
            for i in range(3)
        ],
        now=NOW - timedelta(minutes=30),
    )
    story = StoryRecord(id="s1", title="Report 0", first_item_id=ids[0], opened_at=NOW, last_item_at=NOW)
    store.record_processed(
        ids[0],
        now=NOW - timedelta(minutes=20),
        mentions=Mentions(),
        story=story,
        new_alerts=[
            NewAlert("sahel-desk", "#sahel-alerts", "parent"),
            NewAlert("somalia", "#somalia", "parent"),
        ],
    )
    store.claim_alerts(owner="worker-a", now=NOW - timedelta(minutes=1), lease=timedelta(minutes=5), limit=1)


def test_status_numbers_and_text(make_services, db_url):
    services = make_services(teams=TEAMS, db_url=db_url)
    busy_store(services)
    st = ops.status(services, NOW)
    assert [s.id for s in st.failing] == ["radio"]
    assert st.last_cycle == NOW - timedelta(minutes=2)
    assert (st.hour.fetched, st.hour.processed, st.hour.queued, st.hour.sent) == (3, 1, 2, 0)
    assert st.undelivered == 2 and st.queue.leases == [("worker-a", 1)]
    assert {d.team for d in st.digests} == {"sahel-desk", "paris-desk"}
    sahel = next(d for d in st.digests if d.team == "sahel-desk")
    assert sahel.next_run == datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    text = ops.status_text(st)
    assert "Sources: 1 healthy, 1 failing" in text
    assert "radio: 4 failures in a row, last: HTTP 503 <!channel>" in text
    assert "3 items/hour fetched" in text and "2 alerts/hour queued" in text
    assert "Outbox: 2 undelivered (2 waiting, oldest waiting since 2026-11-25 11:40 UTC" in text
    assert "Leases held: worker-a holds 1" in text
    assert "Prune: last never" in text


def test_slack_status_is_the_same_view_escaped(make_services):
    services = make_services(teams=TEAMS)
    busy_store(services)
    answer = dispatch(services, {"text": "status", "channel_id": "C0SAHEL001", "user_id": "U1"})
    assert "Sources: 1 healthy, 1 failing" in answer.text
    assert "<!channel>" not in answer.text and "&lt;!channel&gt;" in answer.text


@pytest.fixture
def metrics_server(make_services):
    services = make_services(teams=TEAMS)
    busy_store(services)
    web = WebServer(
        wsgi_app(lambda: None, lambda: (True, {}), metrics=lambda: metrics.metrics_text(services)),
        host="127.0.0.1",
        port=0,
    ).start()
    yield f"http://127.0.0.1:{web.port}"
    web.stop()


def scrape(base: str) -> dict[tuple[str, tuple], float]:
    r = requests.get(base + "/metrics", timeout=5)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/plain")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for fam in text_string_to_metric_families(r.text)
        for s in fam.samples
    }


def test_metrics_endpoint_exposes_counters_and_store_gauges(metrics_server):
    before = scrape(metrics_server)
    assert before[("lookout_outbox_pending", ())] == 2
    assert before[("lookout_sources_failing", ())] == 1
    assert ("lookout_leases_held", ()) in before
    assert ("lookout_errors_total", (("kind", "post"),)) in before
    metrics.record_poll(
        "wire",
        0.3,
        CycleReport(
            new_items=3, alerts=2, duplicates=1, errors={"wire": "HTTP 500", "item 9": "processing failed"}
        ),
    )
    after = scrape(metrics_server)

    def grew(name: str, **labels) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after[key] - before.get(key, 0.0)

    assert grew("lookout_items_total", source="wire") == 3
    assert grew("lookout_matches_total") == 2
    assert grew("lookout_errors_total", kind="fetch") == 1
    assert grew("lookout_errors_total", kind="process") == 1
    assert grew("lookout_poll_seconds_count", source="wire") == 1


def test_metrics_are_off_unless_enabled():
    web = WebServer(wsgi_app(lambda: None, lambda: (True, {})), host="127.0.0.1", port=0).start()
    try:
        assert requests.get(f"http://127.0.0.1:{web.port}/metrics", timeout=5).status_code == 404
    finally:
        web.stop()


def run_cli(services, tmp_path, *args: str):
    env = {
        "DATABASE_URL": str(services.store.engine.url),
        "SLACK_BOT_TOKEN": "",
        "LOOKOUT_DATA_DIR": str(services.settings.lookout_data_dir),
    }
    return CliRunner().invoke(cli, ["--config", str(tmp_path / "config"), *args], env=env)


def test_status_command(make_services, tmp_path):
    services = make_services(teams=TEAMS)
    busy_store(services)
    result = run_cli(services, tmp_path, "status")
    assert result.exit_code == 0, result.output
    assert "Sources: 1 healthy, 1 failing" in result.output and "Outbox: 2 undelivered" in result.output


def test_report_command_writes_the_chart(make_services, tmp_path):
    services = make_services(teams=TEAMS)
    now = datetime.now(UTC)
    put(services, "a", "JNIM fighters attack checkpoint near Sevare, Mali.", now - timedelta(days=2))
    put(services, "b", "Gunmen kill 12 villagers near Djibo, Burkina Faso.", now - timedelta(days=9))
    put(services, "c", "Al-Shabaab bombing in Mogadishu kills 8.", now - timedelta(days=3))
    out = tmp_path / "report.png"
    result = run_cli(services, tmp_path, "report", "--team", "sahel-desk", "--days", "30", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "2 stories in 2 series (Burkina Faso, Mali)" in result.output  # ties by name; no Somalia
    assert "Sahel: 1 this week, 1 last week (+0% on last week); newly active: JNIM" in result.output
    assert Image.open(io.BytesIO(out.read_bytes())).size == (1200, 675)


def test_report_command_refuses_an_unknown_team(make_services, tmp_path):
    services = make_services(teams=TEAMS)
    result = run_cli(services, tmp_path, "report", "--team", "nobody", "--out", str(tmp_path / "r.png"))
    assert result.exit_code == 2 and 'unknown team "nobody"' in result.output
    assert not (tmp_path / "r.png").exists()


def test_every_ops_command_has_help():
    for name in ("status", "report", "prune"):
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and len(result.output.splitlines()) > 3


def test_worker_serves_metrics_when_enabled(make_services, tmp_path, feeds):
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time

    from tests.conftest import REPO
    from tests.fakes.feeds import rss

    url = feeds.put("/feed.xml", rss([]))
    services = make_services(
        teams=TEAMS, sources=f"sources:\n  - {{id: wire, kind: rss, url: '{url}', allow_private: true}}\n"
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    env |= {
        "DATABASE_URL": str(services.store.engine.url),
        "LOOKOUT_METRICS": "1",
        "PORT": str(port),
        "LOOKOUT_DATA_DIR": str(services.settings.lookout_data_dir),
        "PYTHONPATH": str(REPO),
    }
    services.store.close()  # the worker takes the SQLite single-process lock
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "--config", str(tmp_path / "config"), "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        text = ""
        for _ in range(1800):  # a few minutes at most: the worker loads the gazetteer first
            try:
                text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
                if 'lookout_items_total{source="wire"}' in text:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        assert 'lookout_poll_seconds_count{source="wire"} 1.0' in text
        assert "lookout_outbox_pending 0.0" in text
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
