"""Retention: old stories, items and alerts go; open threads and anything unfinished stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from click.testing import CliRunner
from sqlalchemy import func, select

from bot.cli.main import cli
from bot.models import Item, Mentions
from bot.ops import retention
from bot.store import NewAlert, StoryRecord
from bot.store.schema import alerts, items, stories

NOW = datetime(2026, 11, 25, 3, 17, tzinfo=UTC)
OLD = NOW - timedelta(days=45)  # retention below is 30 days


def story(
    store, sid: str, at: datetime, *, closed: bool = True, alert: str | None = "sent", reports: int = 2
) -> list[int]:
    ids = store.add_items(
        [
            Item(
                source_id=f"src{i}",
                guid=sid,
                url=f"https://news.example/{sid}/{i}",
                title=f"{sid} {i}",
                published=at,
            )
            for i in range(reports)
        ],
        now=at,
    )
    record = StoryRecord(id=sid, title=sid, first_item_id=ids[0], opened_at=at, last_item_at=at)
    for i, iid in enumerate(ids):
        queue = [NewAlert("t", "#sahel-alerts", "parent" if i == 0 else "reply")] if alert else []
        store.record_processed(iid, now=at, mentions=Mentions(), story=record, new_alerts=queue)
    while alert == "sent" and (due := store.claim_alerts(owner="w", now=at, lease=timedelta(minutes=1))):
        for a in due:  # parents first; their replies become due once the parent has a ts
            store.mark_sent(a.id, ts=f"{a.id}.0", now=at, owner="w")
    if closed:
        store.close_stories([sid])
    return ids


def counts(store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar()
            for t in (stories, items, alerts)
        }


def test_prune_keeps_open_threads_and_unfinished_work(make_services, db_url):
    services = make_services(db_url=db_url, lookout_retention_days=30)
    store = services.store
    story(store, "old-closed", OLD)
    story(store, "old-open", OLD, closed=False)  # the clusterer still adds to it
    story(store, "recent", NOW - timedelta(days=2))
    story(store, "old-no-alerts", OLD, alert=None)
    # An old story whose thread got a reply inside the retention age.
    story(store, "old-thread", OLD)
    [late] = store.add_items(
        [Item(source_id="late", guid="late", url="https://news.example/late", title="late", published=NOW)],
        now=OLD,
    )
    store.record_processed(
        late,
        now=NOW - timedelta(days=1),
        mentions=Mentions(),
        story=store.story("old-thread"),
        new_alerts=[NewAlert("t2", "#somalia", "parent")],
    )
    story(store, "old-waiting", OLD, alert="pending")  # an alert not delivered yet (made last:
    # the helper marks every due alert sent)
    store.add_items(
        [Item(source_id="x", guid="unprocessed", url="https://news.example/u", title="u")], now=OLD
    )
    store.claim_job("prune", "old-slot", owner="w", now=OLD)
    before = counts(store)

    dry = retention.prune(services, now=NOW, dry_run=True)
    assert dry["removed"] == {"stories": 2, "items": 4, "alerts": 2, "job_runs": 1}
    assert counts(store) == before  # a dry run changes nothing

    done = retention.prune(services, now=NOW)
    assert done["removed"] == dry["removed"]
    assert store.story("old-closed") is None and store.story("old-no-alerts") is None
    for kept in ("old-open", "old-waiting", "recent", "old-thread"):
        assert store.story(kept) is not None and store.story_items(kept), kept
    assert counts(store) == {
        "stories": before["stories"] - 2,
        "items": before["items"] - 4,
        "alerts": before["alerts"] - 2,
    }
    assert store.job_runs("prune") == []
    assert retention.prune(services, now=NOW)["removed"] == {
        "stories": 0,
        "items": 0,
        "alerts": 0,
        "job_runs": 0,
    }


def test_prune_command(make_services, tmp_path):
    services = make_services()
    story(services.store, "ancient", datetime.now(UTC) - timedelta(days=200))
    env = {
        "DATABASE_URL": str(services.store.engine.url),
        "SLACK_BOT_TOKEN": "",
        "LOOKOUT_DATA_DIR": str(services.settings.lookout_data_dir),
    }
    run = CliRunner().invoke
    result = run(cli, ["--config", str(tmp_path / "config"), "prune", "--dry-run"], env=env)
    assert result.exit_code == 0 and "would remove 1 stories, 2 items, 2 alerts" in result.output
    assert services.store.story("ancient") is not None
    result = run(cli, ["--config", str(tmp_path / "config"), "prune", "--older-than", "300d"], env=env)
    assert result.exit_code == 0 and "removed 0 stories" in result.output
    result = run(cli, ["--config", str(tmp_path / "config"), "prune", "--older-than", "soon"], env=env)
    assert result.exit_code == 2 and "--older-than" in result.output
    result = run(cli, ["--config", str(tmp_path / "config"), "prune"], env=env)
    assert result.exit_code == 0 and "removed 1 stories, 2 items, 2 alerts" in result.output
    assert services.store.story("ancient") is None
