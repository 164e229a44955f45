"""/healthz over real HTTP: "starting" from the moment the port is bound, 200 once ready,
degraded (503, with reasons) when alerts wait too long or Slack refuses the token, and an
answer within a second whatever the database does (a held SQLite write lock)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from bot.app.health import Health, outbox_look, slack_auth_test
from bot.app.web import WebServer, wsgi_app
from bot.models import Item, Mentions
from bot.settings import Settings
from bot.store import NewAlert, Store, StoryRecord
from tests.conftest import REPO, copy_config
from tests.slack_requests import SECRET, signed, wait_for
from tests.test_cli import free_port
from tests.test_web import command

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ANSWER_WITHIN = 3.0  # seconds; the promise is 1 s, the margin is for a loaded test machine


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def healthz(url: str) -> requests.Response:
    """One GET, which must come back fast whatever the process is doing."""
    start = time.monotonic()
    r = requests.get(url, timeout=10)
    assert time.monotonic() - start < ANSWER_WITHIN, f"/healthz took {time.monotonic() - start:.1f} s"
    return r


def until(url: str, want: Callable[[requests.Response], bool], within: float = 60) -> requests.Response:
    deadline = time.monotonic() + within
    while True:
        try:
            r = healthz(url)
            if want(r):
                return r
        except requests.ConnectionError:
            r = None
        assert time.monotonic() < deadline, f"/healthz never gave what was wanted: {r and r.text}"
        time.sleep(0.1)


def hold_write_lock(db: Path) -> sqlite3.Connection:
    """What a long writer in another process does: every BEGIN IMMEDIATE waits on it."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("BEGIN IMMEDIATE")
    return conn


def test_web_binds_at_once_says_starting_then_ready_and_answers_under_a_db_lock(
    tmp_path, data_dir, fake_slack
):
    config = copy_config(tmp_path / "config", sources="sources: []\n")
    db = tmp_path / "lookout.db"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_", "LOOKOUT_"))}
    env |= {"PORT": str(port), "LOOKOUT_DATA_DIR": str(data_dir), "DATABASE_URL": f"sqlite:///{db}"}
    env |= {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake_slack.base_url,
    }
    env["PYTHONPATH"] = str(REPO)
    url = f"http://127.0.0.1:{port}/healthz"
    lock = hold_write_lock(db)  # the store cannot open: the process stays "starting"
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "--config", str(config), "web"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = until(url, lambda r: True)
        assert first.status_code == 503 and first.json()["status"] == "starting", first.text
        events = requests.post(f"http://127.0.0.1:{port}/slack/events", data="x", timeout=5)
        assert events.status_code == 503  # Slack retries what it could not deliver
        lock.rollback()

        ready = until(url, lambda r: r.status_code == 200)
        assert ready.json() | {"pending": 0} == ready.json()
        assert (ready.json()["status"], ready.json()["database"]) == ("ok", "ok")
        body = command(fake_slack, "help")  # Slack's requests reach Bolt on the same port now
        answered = requests.post(
            f"http://127.0.0.1:{port}/slack/events", data=body, headers=signed(body), timeout=10
        )
        assert answered.status_code == 200
        assert "/lookout help" in str(wait_for(lambda: fake_slack.responses))

        lock.execute("BEGIN IMMEDIATE")  # a writer holds the database for a long time
        stuck = until(url, lambda r: r.json().get("database") == "unknown", within=20)
        assert stuck.status_code == 503 and stuck.json()["status"] == "degraded"
        assert any(reason.startswith("database: no answer") for reason in stuck.json()["reasons"])
        lock.rollback()
        until(url, lambda r: r.status_code == 200, within=20)
    finally:
        lock.close()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()


@pytest.fixture
def serve_health() -> Iterator[Callable[[Health], str]]:
    started: list[tuple[Health, WebServer]] = []

    def start(health: Health) -> str:
        web = WebServer(wsgi_app(lambda: None, health.answer), host="127.0.0.1", port=0).start()
        started.append((health, web))
        return f"http://127.0.0.1:{web.port}/healthz"

    yield start
    for health, web in started:
        health.stop()
        web.stop()


def queue_one_alert(store: Store) -> None:
    item = Item(source_id="src", guid="g1", url="https://example.org/1", title="A report", published=NOW)
    [item_id] = store.add_items([item], now=NOW)
    story = StoryRecord(id="s1", title="t", first_item_id=item_id, opened_at=NOW, last_item_at=NOW)
    store.record_processed(
        item_id, now=NOW, mentions=Mentions(), story=story, new_alerts=[NewAlert("desk", "#desk", "parent")]
    )


def test_alerts_waiting_too_long_make_it_degraded(tmp_path, serve_health):
    store = Store.open(f"sqlite:///{tmp_path / 'lookout.db'}")
    queue_one_alert(store)
    clock = Clock(NOW + timedelta(minutes=5))
    health = Health(max_queued_seconds=600, now=clock, db_every=0.05)
    url = serve_health(health)
    assert healthz(url).json()["status"] == "starting"

    health.start(outbox_look(store, now=clock), auth_test=None)
    fine = until(url, lambda r: r.status_code == 200, within=10).json()
    assert (fine["pending"], fine["oldest_pending_seconds"], fine["slack"]) == (1, 300, "not configured")

    clock.now = NOW + timedelta(minutes=11)
    late = until(url, lambda r: r.status_code == 503, within=10).json()
    assert late["status"] == "degraded"
    assert late["reasons"] == [
        "outbox: 1 alerts waiting, the oldest for 660 s (over LOOKOUT_HEALTH_MAX_QUEUED_SECONDS=600); "
        "is Slack reachable? see `python -m bot status`"
    ]
    store.close()


def test_a_refused_token_makes_it_degraded_and_slack_unreachable_does_not(tmp_path, fake_slack, serve_health):
    store = Store.open(f"sqlite:///{tmp_path / 'lookout.db'}")
    settings = Settings(slack_bot_token="xoxb-test", slack_api_url=fake_slack.base_url)
    fake_slack.fail("auth.test", error="token_revoked")
    refused = Health(max_queued_seconds=600, db_every=0.05)
    refused.start(outbox_look(store), slack_auth_test(settings))
    body = until(
        serve_health(refused), lambda r: "slack" in r.json().get("reasons", [""])[0], within=10
    ).json()
    assert body["status"] == "degraded" and body["database"] == "ok"
    assert body["reasons"] == [
        "slack: Slack refused SLACK_BOT_TOKEN (token_revoked); copy the token again or reinstall the app"
    ]

    nobody = Settings(slack_bot_token="xoxb-test", slack_api_url=f"http://127.0.0.1:{free_port()}/api/")
    unreachable = Health(max_queued_seconds=600, db_every=0.05)
    unreachable.start(outbox_look(store), slack_auth_test(nobody))
    ok = until(serve_health(unreachable), lambda r: r.json()["slack"].startswith("unreachable"), within=20)
    assert ok.status_code == 200  # the outbox's age tells whether alerts are stuck
    store.close()


def test_a_database_error_is_degraded_and_named_only_by_its_kind(tmp_path, serve_health):
    db = tmp_path / "lookout.db"
    store = Store.open(f"sqlite:///{db}")
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE alerts")  # every outbox query now fails
    health = Health(max_queued_seconds=600, db_every=0.05)
    health.start(outbox_look(store), auth_test=None)
    body = until(serve_health(health), lambda r: r.json().get("database") == "error", within=10).json()
    assert (body["status"], body["reasons"]) == ("degraded", ["database: OperationalError"])
    assert "alerts" not in str(body)  # the driver's message stays in the log
    store.close()
