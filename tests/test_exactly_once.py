"""Exactly once when workers overlap: slow batches, lost leases, replicas racing, shutdown.

The poster below is a real SlackPoster talking to the fake Slack over HTTP; it only lets a
test act *between* two posts of one batch (another replica runs, a SIGTERM arrives).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from slack_sdk import WebClient

from bot.deliver.outbox import Delivery
from bot.deliver.poster import Message, SlackPoster
from tests.fakes.slack import FakeSlack
from tests.test_delivery import Clock, add_story

CHANNELS = {"sahel": "#sahel-alerts", "somalia": "#somalia", "lake": "#lake-chad"}


class HookedPoster(SlackPoster):
    """Posts for real, then runs `after_first_post` once (what happens while a batch is slow)."""

    def __init__(self, client: WebClient, after_first_post: Callable[[], None]):
        super().__init__(client, pace_seconds=0)
        self.after_first_post: Callable[[], None] | None = after_first_post

    def post(self, msg: Message) -> tuple[str, str]:
        result = super().post(msg)
        hook, self.after_first_post = self.after_first_post, None
        if hook:
            hook()
        return result


def make_delivery(store, fake_slack, clock, owner: str, poster=None) -> Delivery:
    poster = poster or SlackPoster(WebClient(token="xoxb-test", base_url=fake_slack.base_url), pace_seconds=0)
    return Delivery(store, poster, owner=owner, source_label=str, now=clock, report_problem=lambda _: None)


def wait_until(predicate: Callable[[], bool], limit: float = 30) -> None:
    deadline = time.monotonic() + limit
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)


def client(fake_slack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake_slack.base_url)


def metadata_ids(fake_slack) -> list[int]:
    return [m["metadata"]["event_payload"]["alert_id"] for m in fake_slack.posts() if m.get("metadata")]


@pytest.fixture
def store(db_url):
    from bot.store import Store

    s = Store.open(db_url)
    yield s
    s.close()


def test_batch_that_outlasts_its_lease_never_posts_what_another_worker_took(store, fake_slack):
    clock = Clock()
    ids = [a for n in range(3) for a in add_story(store, clock, f"g{n}", CHANNELS)]
    takeover = make_delivery(store, fake_slack, clock, "w2")

    def slow_then_taken_over() -> None:
        clock.advance(600)  # w1 stalls past its lease; w2 claims the batch and delivers it
        report = takeover.drain()
        assert (report.recovered, report.sent) == (1, len(ids) - 1)

    slow = make_delivery(
        store, fake_slack, clock, "w1", HookedPoster(client(fake_slack), slow_then_taken_over)
    )
    slow.run_once()
    assert sorted(metadata_ids(fake_slack)) == sorted(ids)  # each alert posted exactly once
    assert {store.alert(i).status for i in ids} == {"sent"}


def test_replicas_draining_one_outbox_post_each_alert_once(store, fake_slack):
    clock = Clock()
    ids = [a for n in range(15) for a in add_story(store, clock, f"g{n}", CHANNELS)]
    workers = [make_delivery(store, fake_slack, clock, f"w{n}") for n in range(3)]
    threads = [threading.Thread(target=w.drain) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(metadata_ids(fake_slack)) == sorted(ids)
    assert store.queue_status(clock()).sent == len(ids)


def test_stop_mid_batch_hands_the_rest_back_at_once(store, fake_slack):
    clock = Clock()
    ids = [a for n in range(3) for a in add_story(store, clock, f"g{n}", CHANNELS)]
    stopping = make_delivery(
        store, fake_slack, clock, "w1", HookedPoster(client(fake_slack), lambda: stopping.stop())
    )
    assert stopping.run_once().sent == 1
    # No lease to wait for: another replica gets the rest right away, with no look-up needed.
    other = make_delivery(store, fake_slack, clock, "w2")
    assert other.drain().sent == len(ids) - 1
    assert sorted(metadata_ids(fake_slack)) == sorted(ids)
    assert not fake_slack.calls_to("conversations.history")


def test_network_failure_after_slack_posted_is_found_not_reposted(store, fake_slack):
    clock = Clock()
    [aid] = add_story(store, clock, "a", {"sahel": "#sahel-alerts"})
    short = WebClient(token="xoxb-test", base_url=fake_slack.base_url, timeout=1)
    delivery = make_delivery(store, fake_slack, clock, "w1", SlackPoster(short, pace_seconds=0))
    # Slack is slow: the message is posted after our client has given up waiting.
    fake_slack.fail("chat.postMessage", hang=2, status=200)
    assert delivery.run_once().retried == 1
    wait_until(lambda: len(fake_slack.posts()) == 1)  # Slack finishes the post on its side
    clock.advance(timedelta(minutes=5).total_seconds())
    report = delivery.drain()
    assert (report.sent, report.recovered) == (0, 1)
    assert metadata_ids(fake_slack) == [aid]


class ResetAfterPostSlack(FakeSlack):
    """Posts the first message, then drops the connection before answering (a proxy reset)."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.server.handle_error = lambda *_: None
        self.resets = 1

    def _api(self, method: str, p: dict):
        answer = super()._api(method, p)
        if method == "chat.postMessage" and self.resets:
            self.resets -= 1
            raise ConnectionAbortedError("reset after posting")
        return answer


def test_connection_reset_after_slack_posted_is_not_blindly_retried(store):
    with ResetAfterPostSlack(channels={"sahel-alerts": "C0SAHEL001"}) as slack:
        clock = Clock()
        [aid] = add_story(store, clock, "a", {"sahel": "#sahel-alerts"})
        delivery = make_delivery(store, slack, clock, "w1")
        assert delivery.run_once().retried == 1  # the outbox retries, not the HTTP client
        clock.advance(60)
        assert delivery.drain().recovered == 1
        assert metadata_ids(slack) == [aid]


def test_a_batch_alternates_channels_and_keeps_each_channels_order(store, fake_slack):
    from bot.deliver.outbox import interleave

    clock = Clock()
    for n in range(3):
        add_story(store, clock, f"g{n}", {"sahel": "#sahel-alerts", "somalia": "#somalia"})
    add_story(store, clock, "g3", {"sahel": "#sahel-alerts"})
    batch = store.claim_alerts(owner="w", now=clock(), lease=timedelta(minutes=2))
    order = [(a.channel, a.id) for a in interleave(batch)]
    assert [c for c, _ in order] == ["#sahel-alerts", "#somalia"] * 3 + ["#sahel-alerts"]
    for channel in ("#sahel-alerts", "#somalia"):
        ids = [i for c, i in order if c == channel]
        assert ids == sorted(ids)


def test_crash_after_post_is_found_even_in_a_busy_channel(store, fake_slack):
    clock = Clock()
    [aid] = add_story(store, clock, "a", {"sahel": "#sahel-alerts"})
    delivery = make_delivery(store, fake_slack, clock, "w1")
    [claimed] = store.claim_alerts(owner="dead", now=clock(), lease=timedelta(minutes=2))
    delivery.poster.post(delivery.message(claimed))  # posted, then the worker died
    chatter = client(fake_slack)
    for n in range(250):  # the channel is busy before anyone retries: more than one page
        chatter.chat_postMessage(channel="#sahel-alerts", text=f"chatter {n}")
    clock.advance(180)
    assert delivery.run_once().recovered == 1
    assert metadata_ids(fake_slack) == [aid]


def test_overlapping_rounds_in_one_process_post_each_alert_once(store, fake_slack):
    clock = Clock()
    ids = [a for n in range(10) for a in add_story(store, clock, f"g{n}", CHANNELS)]
    delivery = make_delivery(store, fake_slack, clock, "w1")  # one process, shared pacing
    rounds = [threading.Thread(target=delivery.drain) for _ in range(3)]
    for t in rounds:
        t.start()
    for t in rounds:
        t.join()
    assert sorted(metadata_ids(fake_slack)) == sorted(ids)


class SlowLookupPoster(SlackPoster):
    """Looks in Slack for real, then runs `during_lookup` once (the look-up was slow)."""

    def __init__(self, client: WebClient, during_lookup: Callable[[], None]):
        super().__init__(client, pace_seconds=0)
        self.during_lookup: Callable[[], None] | None = during_lookup

    def find_posted(self, msg: Message, *, since: float) -> tuple[str, str] | None:
        found = super().find_posted(msg, since=since)
        hook, self.during_lookup = self.during_lookup, None
        if hook:
            hook()
        return found


def test_a_lookup_that_outlasts_the_lease_does_not_post_after_the_takeover(store, fake_slack):
    clock = Clock()
    [aid] = add_story(store, clock, "a", {"sahel": "#sahel-alerts"})
    store.claim_alerts(owner="dead", now=clock(), lease=timedelta(minutes=2))  # died, unposted
    clock.advance(180)
    takeover = make_delivery(store, fake_slack, clock, "w2")

    def slow_lookup() -> None:
        clock.advance(600)
        assert takeover.drain().sent == 1

    slow = make_delivery(store, fake_slack, clock, "w1", SlowLookupPoster(client(fake_slack), slow_lookup))
    assert slow.run_once().sent == 0
    assert metadata_ids(fake_slack) == [aid]
