"""Shared fixtures: real local servers, real databases (SQLite file and PostgreSQL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.fakes.feeds import FeedServer
from tests.fakes.slack import FakeSlack
from tests.match_support import INDEX_DIR, ensure_index

REPO = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("LOOKOUT_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

TEAM_CHANNELS = {
    "sahel-alerts": "C0SAHEL001",
    "aq-affiliates": "C0AQAFF001",
    "lake-chad": "C0LKCHAD01",
    "somalia": "C0SOMALI01",
    "ops": "C0OPS00001",
}


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The data dir whose gazetteer index all tests share (keyed by its inputs, so a stale
    index is rebuilt): built once per machine, not once per test."""
    return INDEX_DIR


@pytest.fixture(scope="session", autouse=True)
def built_index() -> None:
    """The shared index is built (once, under a lock) before any test, in-process or in a
    child process, reads it: two xdist workers never build it at once."""
    ensure_index()


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack(channels=TEAM_CHANNELS) as fake:
        yield fake


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def _pg_available() -> bool:
    try:
        with create_engine(PG_ADMIN_URL).connect() as conn:
            conn.execute(text("select 1"))
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def pg_ok() -> bool:
    return _pg_available()


@pytest.fixture
def pg_url(pg_ok) -> Iterator[str]:
    """A fresh schema in the PostgreSQL `test` database, dropped afterwards."""
    if not pg_ok:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI and not reachable at {PG_ADMIN_URL}")
        pytest.skip("PostgreSQL not reachable")
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """Run a test on both stores."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'lookout.db'}"
    return request.getfixturevalue("pg_url")


def copy_config(dest: Path, teams: str | None = None, sources: str | None = None) -> Path:
    """The repo's config (catalogues, regions) with test teams and sources."""
    dest.mkdir(parents=True, exist_ok=True)
    for f in (REPO / "config").glob("*.yaml"):
        (dest / f.name).write_text(f.read_text())
    if teams is not None:
        (dest / "teams.yaml").write_text(teams)
    if sources is not None:
        (dest / "sources.yaml").write_text(sources)
    return dest


@pytest.fixture
def make_services(tmp_path, data_dir, fake_slack):
    """Build real Services (matcher, config, store) for a test, talking to the fake Slack."""
    from bot.app.build import build_services
    from bot.settings import Settings

    built = []

    def make(*, teams: str | None = None, sources: str | None = None, db_url: str | None = None, **settings):
        cfg = copy_config(tmp_path / "config", teams=teams, sources=sources)
        values = {
            "slack_bot_token": "xoxb-test",
            "slack_signing_secret": "test-secret",
            "slack_api_url": fake_slack.base_url,
            "lookout_data_dir": data_dir,
        } | settings
        services = build_services(
            Settings(**values), cfg, db_url=db_url or f"sqlite:///{tmp_path / 'lookout.db'}"
        )
        built.append(services)
        return services

    yield make
    for s in built:
        s.store.close()
