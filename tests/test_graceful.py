"""SIGTERM: a real worker exits within 10 s even while Slack hangs, and nothing is lost or doubled."""

from __future__ import annotations

import signal
from datetime import UTC, datetime

from sqlalchemy import create_engine, select

from bot.app.serve import SHUTDOWN_GRACE
from bot.store.schema import alerts
from tests.fakes.feeds import rss
from tests.workers import event_items, is_up, setup_config, start, stop, wait_until, worker_env

PLATFORM_GRACE = 10  # seconds Heroku, Kubernetes and systemd give before SIGKILL
HANG = SHUTDOWN_GRACE + 1.5  # a Slack call that outlasts the worker's own grace


def lease_over(engine) -> bool:
    with engine.connect() as conn:
        until = conn.execute(select(alerts.c.lease_until)).scalar()
    return until is None or until < datetime.now(UTC)


def test_sigterm_while_slack_hangs_exits_in_time_and_the_alert_is_posted_once(
    tmp_path, feeds, fake_slack, db_url, data_dir
):
    config = setup_config(tmp_path / "config", {"wire": feeds.put("/wire.xml", rss([]))})
    env = worker_env(db_url=db_url, slack_url=fake_slack.base_url, data_dir=data_dir)
    # Slack answers the first post (and does post it) only after the worker's grace is over.
    fake_slack.fail("chat.postMessage", hang=HANG)
    log = tmp_path / "worker.log"
    worker = start(config, env, log, "worker")
    try:
        wait_until(lambda: is_up(log), what="worker up")
        feeds.put("/wire.xml", rss(event_items("wire", 1)))
        wait_until(lambda: fake_slack.calls_to("chat.postMessage"), what="a post in flight")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=PLATFORM_GRACE) == 0
    finally:
        stop(worker)
    assert "stopping: finishing in-flight work" in log.read_text()

    # Slack finishes the post the worker gave up on; the next worker finds it there.
    wait_until(lambda: len(fake_slack.posts()) == 1, what="the slow post to land")
    engine = create_engine(db_url)
    wait_until(lambda: lease_over(engine), what="the dead worker's lease to expire")
    again = start(config, env, tmp_path / "again.log", "poll", "--once")
    try:
        assert again.wait(timeout=240) == 0, (tmp_path / "again.log").read_text()
    finally:
        stop(again)
    with engine.connect() as conn:
        [(status, ts)] = conn.execute(select(alerts.c.status, alerts.c.slack_ts)).all()
    engine.dispose()
    [posted] = fake_slack.posts()
    assert (status, ts) == ("sent", posted["ts"])
    assert len(fake_slack.calls_to("chat.postMessage")) == 1  # found by its metadata, not re-posted


def test_sigterm_when_idle_exits_cleanly(tmp_path, feeds, fake_slack, data_dir):
    config = setup_config(tmp_path / "config", {"wire": feeds.put("/wire.xml", rss([]))})
    env = worker_env(
        db_url=f"sqlite:///{tmp_path / 'lookout.db'}", slack_url=fake_slack.base_url, data_dir=data_dir
    )
    log = tmp_path / "worker.log"
    worker = start(config, env, log, "worker")
    try:
        wait_until(lambda: is_up(log), what="worker up")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=PLATFORM_GRACE) == 0
    finally:
        stop(worker)
    assert "Traceback" not in log.read_text()
