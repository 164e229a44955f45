"""Two replicas on one PostgreSQL, delivering the first two wire copies of a thread at the same
instant, post one "Also reported by" reply between them and edit it (Store.thread_lock)."""

from __future__ import annotations

import contextlib
import threading

from bot.app.build import build_delivery
from bot.deliver.poster import SlackPoster
from bot.pipeline import poll
from bot.slack.app import web_client
from tests.story_world import AQ, CLAIM, SAHEL, build_world

COPIES = [
    ("aljazeera", "JNIM claims attack that seized Mali army base in Boulikessi"),
    ("bbc", "Mali: JNIM claims Boulikessi base attack"),
]


def rendezvous(store, meet: threading.Barrier) -> None:
    """Before deciding, wait a moment for the other replica to be deciding too: the race the
    lock must settle, made to happen every time rather than by chance."""
    thread_tail = store.thread_tail

    def meeting(*args, **kwargs):
        # A broken rendezvous: the other replica is held elsewhere (by the thread lock).
        with contextlib.suppress(threading.BrokenBarrierError):
            meet.wait(timeout=2)
        return thread_tail(*args, **kwargs)

    store.thread_tail = meeting


def test_two_replicas_with_the_first_two_copies_post_one_reply(make_services, feeds, fake_slack, pg_url):
    world = build_world(make_services, feeds, fake_slack, pg_url)
    other = build_world(make_services, feeds, fake_slack, pg_url).services  # same database
    other.owner = "replica-b"
    world.publish(CLAIM)
    assert world.cycle().sent == 2  # a card in each team's channel
    for source, title in COPIES:
        world.publish((source, title, CLAIM[2]))
    assert poll(world.services, force=True).alerts == 4  # two copies for each of two teams

    meet = threading.Barrier(2)
    replicas = [
        world.delivery,
        build_delivery(other, SlackPoster(web_client(other.settings), pace_seconds=0)),
    ]
    reports = []
    for delivery in replicas:
        rendezvous(delivery.store, meet)

    def deliver(delivery) -> None:
        # Claims go in id order: one replica takes each team's first copy, the other the second.
        reports.append(delivery.run_once(limit=2))

    workers = [threading.Thread(target=deliver, args=(d,)) for d in replicas]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert not any(w.is_alive() for w in workers)
    assert sorted(r.sent + r.coalesced for r in reports) == [2, 2], "each replica delivered two copies"
    world.delivery.drain()  # any edit a replica left for the next round

    for channel in (SAHEL, AQ):
        thread = world.thread(channel)
        assert [m["text"] for m in thread] == ["Also reported by Al Jazeera and BBC"]
        assert "edited" in thread[0]
    replies = [c for c in fake_slack.calls_to("chat.postMessage") if c.params.get("thread_ts")]
    assert len(replies) == 2  # one reply per team's thread, not one per copy
