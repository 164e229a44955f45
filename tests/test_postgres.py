"""The real CLI on PostgreSQL: `poll --once` from a fresh schema, run twice, posts once."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import create_engine, inspect

from tests.fakes.feeds import rss
from tests.workers import event_items, setup_config, worker_env


def lookout(config, env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), *args],
        env=env,
        cwd=config,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_poll_once_on_postgresql_migrates_posts_and_never_reposts(
    tmp_path, feeds, fake_slack, pg_url, data_dir
):
    batch = event_items("wire", 6)
    config = setup_config(tmp_path / "config", {"wire": feeds.put("/wire.xml", rss(batch))})
    env = worker_env(db_url=pg_url, slack_url=fake_slack.base_url, data_dir=data_dir)
    first = lookout(config, env, "poll", "--once")
    assert first.returncode == 0, first.stderr
    assert "6 new items, 6 alerts queued, 6 posted" in first.stderr
    assert {"sources", "items", "stories", "alerts", "alembic_version"} <= set(
        inspect(create_engine(pg_url)).get_table_names()
    )

    # A fresh process, with the spelling Heroku-style platforms give (postgresql://).
    env["DATABASE_URL"] = pg_url.replace("postgresql+psycopg://", "postgresql://")
    feeds.put("/wire.xml", rss(batch + event_items("late", 1)))
    again = lookout(config, env, "poll", "--once")
    assert again.returncode == 0, again.stderr
    assert "1 new items, 1 alerts queued, 1 posted" in again.stderr
    ids = [m["metadata"]["event_payload"]["alert_id"] for m in fake_slack.posts()]
    assert len(ids) == len(set(ids)) == 7
