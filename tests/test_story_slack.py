"""Stories in Slack, end to end: feeds → pipeline → delivery → the fake Slack Web API.

One card per story per team; later reports in its thread; the card updated in place; a
significant change broadcast once; a quiet story closed, so a later report starts anew.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.clock import utcnow
from bot.pipeline import poll
from bot.store.schema import stories
from tests.story_world import (
    AQ,
    ARMY,
    CLAIM,
    SAHEL,
    SOMALIA,
    SOMALIA_RAID,
    TOLL_RISE,
    build_world,
    text_of,
)


@pytest.fixture
def world(make_services, feeds, fake_slack, db_url):
    return build_world(make_services, feeds, fake_slack, db_url)


def broadcasts(thread: list[dict]) -> list[dict]:
    return [m for m in thread if m.get("subtype") == "thread_broadcast"]


def test_three_reports_of_one_event_are_one_card_and_two_replies(world, fake_slack):
    world.publish(CLAIM)
    assert world.cycle().sent == 2  # sahel-desk (region) and aq-tracker (affiliation)
    world.publish(ARMY)
    world.publish(TOLL_RISE)
    report = world.cycle()
    assert report.sent == 4 and report.updated >= 2

    for channel in (SAHEL, AQ):
        card = world.card(channel)
        assert "JNIM claims attack on army base in Boulikessi" in text_of(card)
        thread = world.thread(channel)
        assert [m["text"] for m in thread] == [
            "Also reported by Al Jazeera: Mali army says it repelled assault in Boulikessi",
            "Also reported by RFI: Mali: at least 40 soldiers killed in Boulikessi attack claimed by JNIM",
        ]
        # The card was edited in place: three outlets, the latest (higher) toll.
        assert "edited" in card
        assert "3 sources" in text_of(card) and "40+ soldiers killed" in text_of(card)
        assert "30+ soldiers killed" not in text_of(card)
        # The new toll is highlighted in the reply that brought it.
        assert "*New:* toll: 40+ soldiers killed" in text_of(thread[1])
    assert fake_slack.top_level(SOMALIA) == []


def test_one_article_from_two_outlets_in_one_cycle_is_one_report(world, fake_slack):
    world.publish(CLAIM)
    world.publish(("aljazeera", *CLAIM[1:]))  # the wire copy, word for word, at another URL
    world.publish(ARMY)
    report = poll(world.services, force=True)
    world.delivery.drain()
    assert (report.new_items, report.duplicates, report.alerts) == (3, 1, 4)
    for channel in (SAHEL, AQ):
        assert "JNIM claims attack on army base in Boulikessi" in text_of(world.card(channel))
        assert [m["text"] for m in world.thread(channel)] == [
            "Also reported by Al Jazeera: Mali army says it repelled assault in Boulikessi"
        ]


def test_toll_rise_is_broadcast_once(world):
    world.publish(CLAIM)
    world.cycle()
    world.publish(TOLL_RISE)
    world.cycle()
    world.publish(
        (
            "bbc",
            "Boulikessi attack: 40 soldiers killed, JNIM says",
            "JNIM said 40 soldiers were killed in its attack on the army camp in Boulikessi, Mali.",
        )
    )
    world.cycle()
    thread = world.thread(SAHEL)
    assert len(thread) == 2
    [loud] = broadcasts(thread)
    assert loud["text"].startswith("Also reported by RFI")
    assert "toll rose: 40+ soldiers killed (was 30+ soldiers killed)" in text_of(loud)


def test_unrelated_report_gets_its_own_card(world, fake_slack):
    world.publish(CLAIM)
    world.cycle()
    world.publish(SOMALIA_RAID)
    world.cycle()
    [somalia] = fake_slack.top_level(SOMALIA)
    assert "Mogadishu" in somalia["text"]
    assert world.thread(SAHEL) == []
    # al-Shabaab is an al-Qaeda affiliate: aq-tracker gets a second card, not a reply.
    boulikessi, mogadishu = fake_slack.top_level(AQ)
    assert "Mogadishu" in mogadishu["text"]
    assert fake_slack.replies(AQ, boulikessi["ts"]) == [] == fake_slack.replies(AQ, mogadishu["ts"])


def test_report_after_the_quiet_window_starts_a_new_story(world, fake_slack):
    window = world.services.stories.window
    world.publish(CLAIM, at=utcnow() - window - timedelta(hours=30))
    world.cycle()
    world.publish(TOLL_RISE)
    world.cycle()
    cards = fake_slack.top_level(SAHEL)
    assert len(cards) == 2
    assert all(fake_slack.replies(SAHEL, c["ts"]) == [] for c in cards)
    first, second = (world.services.store.parent_at(SAHEL, c["ts"]) for c in cards)
    assert first.story_id != second.story_id
    with world.services.store.engine.connect() as conn:
        closed = dict(conn.execute(select(stories.c.id, stories.c.closed)).all())
    assert closed == {first.story_id: True, second.story_id: False}


# Other outlets' copies of the claim: new headlines over the wire text, nothing new in them.
COPIES = [
    ("aljazeera", "JNIM claims attack that seized Mali army base in Boulikessi"),
    ("bbc", "Mali: JNIM claims Boulikessi base attack"),
    ("rfi", "Boulikessi army base attack claimed by JNIM"),
]


def test_wire_copies_coalesce_into_one_reply_edited_in_place(world, fake_slack):
    world.publish(CLAIM)
    world.cycle()
    for n, (source, title) in enumerate(COPIES):
        world.publish((source, title, CLAIM[2]))
        report = world.cycle()
        assert report.coalesced == (1 if n else 0) * 2  # both teams' threads, after the first
    for channel in (SAHEL, AQ):
        [copies] = world.thread(channel)
        assert copies["text"] == "Also reported by Al Jazeera, BBC and RFI"
        assert "edited" in copies and copies.get("subtype") != "thread_broadcast"
        for _, title in COPIES:
            assert title in text_of(copies)
        assert "3 sources" not in text_of(world.card(channel)) and "4 sources" in text_of(world.card(channel))
    posts = fake_slack.calls_to("chat.postMessage")
    assert len(posts) == 4  # two cards, one reply in each thread: not one per copy

    # A rise in the toll is news: its own reply, broadcast once; a copy after it starts a new
    # list below it, so the thread still reads in order.
    world.publish(TOLL_RISE)
    world.cycle()
    world.publish(("bbc", "Mali: 40 soldiers killed in Boulikessi, JNIM says", TOLL_RISE[2]), guid="bbc-9")
    world.cycle()
    thread = world.thread(SAHEL)
    assert [m["text"][:24] for m in thread] == [
        "Also reported by Al Jaze",
        "Also reported by RFI: Ma",
        "Also reported by BBC: Ma",
    ]
    assert len(broadcasts(thread)) == 1
