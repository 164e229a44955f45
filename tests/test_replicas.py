"""Several real `worker` processes: on PostgreSQL they share the work and post each alert once;
on SQLite the second one is refused with a clear message."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import create_engine, func, select

from bot.store.schema import alerts, items
from tests.fakes.feeds import rss
from tests.workers import event_items, is_up, setup_config, start, stop, wait_until, worker_env


def settled(engine, published: int) -> bool:
    with engine.connect() as conn:
        done = conn.execute(select(func.count()).where(items.c.processed_at.is_not(None))).scalar()
        pending = conn.execute(select(func.count()).where(alerts.c.status == "pending")).scalar()
    return done == published and pending == 0


def test_two_workers_on_one_postgresql_post_every_alert_once(tmp_path, feeds, fake_slack, pg_url, data_dir):
    batches = {s: event_items(s, 12) for s in ("wire-a", "wire-b")}
    config = setup_config(tmp_path / "config", {s: feeds.put(f"/{s}.xml", rss([])) for s in batches})
    env = worker_env(db_url=pg_url, slack_url=fake_slack.base_url, data_dir=data_dir)
    logs = [tmp_path / "w1.log", tmp_path / "w2.log"]
    procs = [start(config, env, log, "worker") for log in logs]
    engine = create_engine(pg_url)
    try:
        wait_until(lambda: all(is_up(log) for log in logs), what="both workers up")
        for source, batch in batches.items():  # published while both are running
            feeds.put(f"/{source}.xml", rss(batch))
        wait_until(lambda: settled(engine, 24), what="every item processed and delivered")
    finally:
        for p in procs:
            stop(p)
    with engine.connect() as conn:
        rows = conn.execute(
            select(alerts.c.id, alerts.c.team, alerts.c.slack_ts, items.c.guid)
            .join(items, items.c.id == alerts.c.item_id)
            .order_by(alerts.c.id)
        ).all()
    engine.dispose()
    outbox = {r.id: (r.team, r.guid) for r in rows}
    # Wire copies join their thread's "Also reported by" reply: shown in a message posted for
    # an earlier alert (the same ts), not posted again.
    first_at: dict[str, int] = {}
    joined = {r.id for r in rows if first_at.setdefault(r.slack_ts, r.id) != r.id}
    posted = Counter(m["metadata"]["event_payload"]["alert_id"] for m in fake_slack.posts())
    assert set(posted.values()) == {1} and not set(posted) & joined  # each alert exactly once
    assert set(posted) | joined == set(outbox)
    expected = {
        ("somalia" if "Somalia" in it["title"] else "sahel", it["guid"])
        for batch in batches.values()
        for it in batch
    }
    assert set(outbox.values()) == expected


def test_second_worker_on_one_sqlite_file_is_refused(tmp_path, feeds, fake_slack, data_dir):
    config = setup_config(tmp_path / "config", {"wire": feeds.put("/wire.xml", rss([]))})
    env = worker_env(
        db_url=f"sqlite:///{tmp_path / 'lookout.db'}", slack_url=fake_slack.base_url, data_dir=data_dir
    )
    first = start(config, env, tmp_path / "w1.log", "worker")
    try:
        wait_until(lambda: is_up(tmp_path / "w1.log"), what="first worker up")
        second = start(config, env, tmp_path / "w2.log", "worker")
        try:
            assert second.wait(timeout=240) == 1
        finally:
            stop(second)
        said = (tmp_path / "w2.log").read_text()
        assert "SQLite runs one worker at a time" in said and "PostgreSQL" in said
        assert "DATABASE_URL" in said  # the setting to change
        assert "Traceback" not in said
        assert first.poll() is None  # the first one is not disturbed
    finally:
        stop(first)
