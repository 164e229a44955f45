"""PostgreSQL away: a start waits for it (with backoff, saying so), gives up with one clear
line, and a database dropped and created again under a running store is taken back."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.errors import StoreError
from bot.models import Item
from bot.store import Store
from tests.conftest import PG_ADMIN_URL, REPO, copy_config

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def database(pg_ok) -> Iterator[tuple]:
    """(admin engine, name, url) of a database that does not exist yet; dropped afterwards."""
    if not pg_ok:
        pytest.skip("PostgreSQL not reachable")
    name = "lookout_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield admin, name, url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def sql(admin, statement: str) -> None:
    with admin.connect() as conn:
        conn.execute(text(statement))


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_start_waits_for_a_database_created_later(database, caplog):
    admin, name, url = database
    later = threading.Timer(1.5, sql, args=(admin, f'CREATE DATABASE "{name}"'))
    later.start()
    started = time.monotonic()
    try:
        store = Store.open(url, wait_seconds=30)
    finally:
        later.join(10)
    assert 1.5 <= time.monotonic() - started < 30
    try:
        assert store.queue_status(NOW).pending == 0  # migrated and usable
    finally:
        store.close()
    waits = [r.getMessage() for r in caplog.records if "not reachable" in r.getMessage()]
    assert waits and f'attempt 1: FATAL: database "{name}" does not exist' in waits[0]


def test_a_start_gives_up_after_the_wait_with_one_clear_line():
    port = closed_port()
    started = time.monotonic()
    with pytest.raises(StoreError) as e:
        Store.open(f"postgresql+psycopg://postgres@127.0.0.1:{port}/test", wait_seconds=1.5)
    assert 1.5 <= time.monotonic() - started < 10
    assert str(e.value).startswith(f"cannot reach the database 127.0.0.1:{port}/test: Connection refused")
    assert "LOOKOUT_DB_WAIT_SECONDS=1.5" in str(e.value)


def test_the_command_line_says_so_at_each_attempt_then_exits_1(tmp_path, data_dir):
    port = closed_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_", "LOOKOUT_"))}
    env |= {
        "DATABASE_URL": f"postgresql://postgres:secret@127.0.0.1:{port}/test",
        "LOOKOUT_DB_WAIT_SECONDS": "2",
        "LOOKOUT_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(REPO),
    }
    config = copy_config(tmp_path / "config", teams="teams: []\n", sources="sources: []\n")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), "status"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any("attempt 1: Connection refused" in line for line in lines)
    assert lines[-1].startswith(f"error: cannot reach the database 127.0.0.1:{port}/test: Connection refused")
    assert "secret" not in result.stderr and "Traceback" not in result.stderr


def test_a_database_dropped_and_created_again_is_taken_back_without_restart(database):
    admin, name, url = database
    sql(admin, f'CREATE DATABASE "{name}"')
    store = Store.open(url)
    try:
        store.add_items([Item(source_id="wire", guid="a", url="https://news.example/a", title="a")], now=NOW)
        sql(admin, f'DROP DATABASE "{name}" WITH (FORCE)')
        with pytest.raises(OperationalError):  # gone: the pool's pre-ping cannot reconnect
            store.queue_status(NOW)
        sql(admin, f'CREATE DATABASE "{name}"')
        with pytest.raises(StoreError, match="had lost its tables"):  # put back on this call
            store.queue_status(NOW)
        assert store.queue_status(NOW).pending == 0
        [new] = store.add_items(
            [Item(source_id="wire", guid="b", url="https://news.example/b", title="b")], now=NOW
        )
        assert new
    finally:
        store.close()
