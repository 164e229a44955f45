"""What story threads keep in the store, on SQLite and PostgreSQL: cards found by (channel id,
ts), feedback once, mutes, and Slack events claimed once across threads (replicas)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from bot import watches
from bot.models import Item, Mentions
from bot.store import NewAlert, Store, StoryRecord

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def posted_card(
    store: Store,
    *,
    team: str = "sahel",
    channel: str = "#sahel-alerts",
    channel_id: str = "C0SAHEL001",
    ts: str = "1700000000.000100",
) -> int:
    [iid] = store.add_items(
        [
            Item(
                source_id="wire",
                guid=f"{team}-{ts}",
                url="https://example.org/a",
                title="JNIM claims Boulikessi attack",
                published=NOW,
            )
        ],
        now=NOW,
    )
    story = StoryRecord(id=f"s-{iid}", title="t", first_item_id=iid, opened_at=NOW, last_item_at=NOW)
    [aid] = store.record_processed(
        iid,
        now=NOW,
        mentions=Mentions(),
        story=story,
        new_alerts=[NewAlert(team, channel, "parent", reasons=("region: Sahel",))],
    )
    store.mark_sent(aid, ts=ts, now=NOW, owner="w1", channel_id=channel_id)
    return aid


def test_a_card_is_found_by_channel_id_and_ts_even_when_config_names_the_channel(db_url):
    store = Store.open(db_url)
    aid = posted_card(store)
    assert store.parent_at("C0SAHEL001", "1700000000.000100").id == aid
    assert store.parent_at("C0OTHER001", "1700000000.000100") is None  # same ts, other channel
    assert store.parent_at("C0SAHEL001", "1700000000.000200") is None


def test_cards_posted_before_channel_ids_were_kept_are_found_by_configured_id(db_url):
    store = Store.open(db_url)
    aid = posted_card(store, channel="C0AQAFF001", channel_id=None, ts="1700000001.000100")
    assert store.parent_at("C0AQAFF001", "1700000001.000100").id == aid


def test_not_relevant_is_recorded_once_per_person_and_mutes(db_url):
    store = Store.open(db_url)
    card = store.alert(posted_card(store))
    assert watches.not_relevant(store, card, user="U1", now=NOW).changed
    assert not watches.not_relevant(store, card, user="U1", now=NOW).changed
    assert watches.not_relevant(store, card, user="U2", now=NOW).changed
    assert [(f.user_id, f.reasons) for f in store.feedback_for(card.story_id)] == [
        ("U1", ("region: Sahel",)),
        ("U2", ("region: Sahel",)),
    ]
    [mute] = store.active_mutes("sahel", now=NOW)
    assert (mute.kind, mute.value, mute.reason) == ("story", card.story_id, "not relevant")
    assert watches.unmute_story(store, card, user="U1", now=NOW).changed
    assert not watches.story_muted(store, card, now=NOW)
    assert len(store.feedback_for()) == 2  # unmuting keeps what people said


def test_mute_twice_is_one_mute(db_url):
    store = Store.open(db_url)
    card = store.alert(posted_card(store))
    assert watches.mute_story(store, card, user="U1", now=NOW).changed
    assert not watches.mute_story(store, card, user="U2", now=NOW).changed
    [mute] = store.active_mutes("sahel", now=NOW)
    assert mute.created_by == "U1"


def test_muting_a_story_withdraws_its_queued_replies_for_that_team_only(db_url):
    store = Store.open(db_url)
    card = store.alert(posted_card(store))
    story = store.story(card.story_id)
    [iid] = store.add_items(
        [
            Item(
                source_id="rfi",
                guid="follow-up",
                url="https://example.org/b",
                title="Toll rises in Boulikessi",
                published=NOW,
            )
        ],
        now=NOW,
    )
    queued = store.record_processed(
        iid,
        now=NOW,
        mentions=Mentions(),
        story=story,
        new_alerts=[NewAlert("sahel", "#sahel-alerts", "reply"), NewAlert("aq", "#aq", "reply")],
    )
    assert len(queued) == 2
    assert watches.mute_story(store, card, user="U1", now=NOW).changed
    assert [store.alert(i).status for i in queued] == ["muted", "pending"]  # aq still hears
    assert store.claim_alerts(owner="w1", now=NOW, lease=timedelta(minutes=2), limit=10) == []
    watches.unmute_story(store, card, user="U1", now=NOW)
    assert store.alert(queued[0]).status == "muted"  # what came in while muted stays unsaid


def test_an_event_is_claimed_once_even_by_racing_replicas(db_url):
    store = Store.open(db_url)
    wins: list[bool] = []
    racers = [
        threading.Thread(target=lambda: wins.append(store.claim_request("mention:C1:1.0", now=NOW)))
        for _ in range(8)
    ]
    for t in racers:
        t.start()
    for t in racers:
        t.join()
    assert sorted(wins) == [False] * 7 + [True]
    # Slack stops retrying within the hour; old keys are dropped, not kept forever.
    assert store.claim_request("mention:C1:2.0", now=NOW + timedelta(days=2))
    assert store.claim_request("mention:C1:1.0", now=NOW + timedelta(days=2))
