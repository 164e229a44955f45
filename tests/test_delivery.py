"""The delivery worker against the fake Slack Web API: exactly once through faults."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient

from bot.deliver.outbox import Delivery
from bot.deliver.poster import SlackPoster
from bot.models import Item, Mentions, Summary
from bot.store import NewAlert, Store, StoryRecord


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def world(db_url, fake_slack):
    store = Store.open(db_url)
    clock = Clock()
    problems: list[str] = []
    poster = SlackPoster(WebClient(token="xoxb-test", base_url=fake_slack.base_url), pace_seconds=0)
    delivery = Delivery(
        store, poster, owner="w1", source_label=lambda s: s.upper(), now=clock, report_problem=problems.append
    )
    return store, delivery, clock, problems


def add_story(
    store: Store,
    clock: Clock,
    guid: str,
    teams: dict[str, str],
    story_id: str | None = None,
    kind: str = "parent",
) -> list[int]:
    [iid] = store.add_items(
        [
            Item(
                source_id="wire",
                guid=guid,
                url=f"https://example.org/{guid}",
                title=f"Report {guid}",
                summary="Text.",
                published=clock(),
            )
        ],
        now=clock(),
    )
    story = StoryRecord(
        id=story_id or f"s-{guid}",
        title="t",
        first_item_id=iid,
        opened_at=clock(),
        last_item_at=clock(),
        summary=Summary(("First.",)),
    )
    return store.record_processed(
        iid,
        now=clock(),
        mentions=Mentions(),
        story=story,
        new_alerts=[NewAlert(t, c, kind) for t, c in teams.items()],
    )


def test_posts_once_with_metadata(world, fake_slack):
    store, delivery, clock, _ = world
    add_story(store, clock, "a", {"sahel": "#sahel-alerts", "somalia": "#somalia"})
    assert delivery.drain().sent == 2
    assert delivery.drain().sent == 0
    [msg] = fake_slack.top_level("#sahel-alerts")
    assert msg["metadata"]["event_type"] == "lookout_alert"
    assert len(fake_slack.calls_to("chat.postMessage")) == 2


def test_rate_limit_waits_for_retry_after(world, fake_slack):
    store, delivery, clock, _ = world
    add_story(store, clock, "a", {"sahel": "#sahel-alerts"})
    fake_slack.fail("chat.postMessage", status=429, retry_after=30)
    report = delivery.run_once()
    assert (report.sent, report.retried) == (0, 1)
    clock.advance(10)
    assert delivery.run_once().sent == 0  # still inside Retry-After: not even tried
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    clock.advance(21)
    assert delivery.run_once().sent == 1
    assert len(fake_slack.top_level("#sahel-alerts")) == 1


def test_server_errors_back_off_then_deliver(world, fake_slack):
    store, delivery, clock, _ = world
    add_story(store, clock, "a", {"sahel": "#sahel-alerts"})
    fake_slack.fail("chat.postMessage", status=500, times=2)
    assert delivery.run_once().retried == 1
    clock.advance(3)
    assert delivery.run_once().retried == 1
    clock.advance(10)
    assert delivery.run_once().sent == 1
    assert len(fake_slack.top_level("#sahel-alerts")) == 1


def test_permanent_error_is_recorded_reported_once_and_not_retried(world, fake_slack):
    store, delivery, clock, problems = world
    [aid] = add_story(store, clock, "a", {"sahel": "#sahel-alerts"})
    fake_slack.fail("chat.postMessage", error="not_in_channel")
    assert delivery.run_once().failed == 1
    clock.advance(3600)
    assert delivery.drain().sent == 0
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    assert store.alert(aid).status == "failed" and store.alert(aid).error == "not_in_channel"
    assert len(problems) == 1 and "/invite" in problems[0]


def test_crash_after_post_before_record_does_not_post_twice(world, fake_slack, db_url):
    store, delivery, clock, _ = world
    [aid] = add_story(store, clock, "a", {"sahel": "#sahel-alerts"})
    # A worker claims the alert and posts it, then dies before recording the ts.
    [claimed] = store.claim_alerts(owner="dead", now=clock(), lease=timedelta(minutes=2))
    delivery.poster.post(delivery.message(claimed))
    clock.advance(180)  # its lease expires; another worker takes over
    report = delivery.run_once()
    assert (report.sent, report.recovered) == (0, 1)
    assert len(fake_slack.top_level("#sahel-alerts")) == 1
    assert store.alert(aid).slack_ts == fake_slack.top_level("#sahel-alerts")[0]["ts"]


def test_replies_thread_under_parent_and_parent_is_updated(world, fake_slack):
    store, delivery, clock, _ = world
    add_story(store, clock, "a", {"sahel": "#sahel-alerts"}, story_id="s1")
    add_story(store, clock, "b", {"sahel": "#sahel-alerts"}, story_id="s1", kind="reply")
    report = delivery.drain()
    assert report.sent == 2 and report.updated == 1
    [parent] = fake_slack.top_level("#sahel-alerts")
    [reply] = fake_slack.replies("#sahel-alerts", parent["ts"])
    assert "Also reported by" in reply["text"]
    assert "edited" in parent
