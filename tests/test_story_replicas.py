"""Two replicas on one PostgreSQL, each given one report of the same event at the same instant,
open one story between them (bot/store/base.py, story_lock)."""

from __future__ import annotations

import contextlib
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, text

from bot import pipeline
from bot.models import Item
from bot.pipeline import process_pending
from bot.stories.tracker import StoryTracker
from bot.stories.urls import dedup_keys

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
REPORTS = [
    (
        "wire-a",
        "Gunmen kill 14 soldiers in attack on army post near Djibo, Burkina Faso",
        "Gunmen attacked an army post near Djibo in northern Burkina Faso on Saturday, killing "
        "14 soldiers, security sources said.",
    ),
    (
        "wire-b",
        "Burkina Faso: 14 soldiers killed as militants storm Djibo army post",
        "Militants stormed an army post outside Djibo in Burkina Faso's north on Saturday and "
        "killed 14 soldiers, according to a local official.",
    ),
]


class Rendezvous(StoryTracker):
    """A tracker that, before deciding, waits a moment for the other replica to be deciding
    too: the race the lock must settle, made to happen every time rather than by chance."""

    def __init__(self, meet: threading.Barrier):
        super().__init__()
        self.meet = meet

    def assign(self, *args, **kwargs):
        # A broken rendezvous: the other replica is held elsewhere (by the story lock).
        with contextlib.suppress(threading.BrokenBarrierError):
            self.meet.wait(timeout=2)
        return super().assign(*args, **kwargs)


def test_two_replicas_given_one_event_at_once_open_one_story(make_services, pg_url, monkeypatch):
    monkeypatch.setattr(pipeline, "ITEM_BATCH", 1)  # one report each
    meet = threading.Barrier(2)
    replicas = [make_services(db_url=pg_url) for _ in range(2)]
    for name, services in zip("ab", replicas, strict=True):
        services.owner = f"replica-{name}"
        services.stories = Rendezvous(meet)
    store = replicas[0].store
    for n, (source, title, body) in enumerate(REPORTS):
        item = Item(
            source_id=source,
            guid=f"g{n}",
            url=f"https://{source}.example.org/{n}",
            title=title,
            text=body,
            published=NOW - timedelta(minutes=30 - n),
        )
        store.add_items([item], now=NOW, keys=[dedup_keys(item)])

    workers = [threading.Thread(target=process_pending, args=(s,), kwargs={"now": NOW}) for s in replicas]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert not any(w.is_alive() for w in workers)

    with create_engine(pg_url).connect() as conn:
        rows = conn.execute(text("SELECT lease_owner, story_id FROM items ORDER BY id")).all()
        stories = conn.execute(text("SELECT count(*) FROM stories")).scalar()
    owners = {owner for owner, _ in rows}
    assert owners == {"replica-a", "replica-b"}, "each replica processed one report"
    assert len({story for _, story in rows}) == 1 and stories == 1
