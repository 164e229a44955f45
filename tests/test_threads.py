"""Story threads: mentions of the bot and the card's buttons, as real signed requests to the
running app, answered through the fake Slack Web API."""

from __future__ import annotations

import time

import pytest

from bot import messages
from bot.clock import utcnow
from bot.models import Item
from bot.slack.threads import parse
from tests.fakes.slack import person_says
from tests.slack_requests import wait_for
from tests.story_world import (
    AQ,
    ARMY,
    CLAIM,
    SAHEL,
    TOLL_RISE,
    App,
    build_world,
    text_of,
)


@pytest.fixture
def world(make_services, feeds, fake_slack):
    w = build_world(make_services, feeds, fake_slack)
    w.publish(CLAIM)
    w.cycle()
    return w


@pytest.fixture
def app(world):
    running = App(world.services)
    yield running
    running.stop()


def bot_replies(fake_slack, channel: str, thread_ts: str) -> list[dict]:
    return [m for m in fake_slack.replies(channel, thread_ts) if m.get("user") == "UBOT"]


def answers(fake_slack, channel: str, thread_ts: str, n: int = 1) -> list[dict]:
    """The bot's thread messages once there are n of them that are not alerts."""

    def found():
        got = [m for m in bot_replies(fake_slack, channel, thread_ts) if "metadata" not in m]
        return got if len(got) >= n else None

    got = wait_for(found)
    assert got, f"no answer in thread {thread_ts}"
    return got


def settle(app, fake_slack, channel: str, thread_ts: str, before: int) -> None:
    """Let any (wrong) answer to earlier events land: ask something, wait for that answer."""
    app.mention(fake_slack, channel, "help", thread_ts=thread_ts)
    answers(fake_slack, channel, thread_ts, before + 1)
    time.sleep(0.2)


@pytest.mark.parametrize(
    ("text", "verb"),
    [
        ("<@UBOT> sources", "sources"),
        ("<@UBOT|lookout> Sources?", "sources"),
        ("<@UBOT> more", "more"),
        ("<@UBOT> mute", "mute"),
        ("<@UBOT> Not relevant!", "not_relevant"),
        ("<@UBOT> unmute", "unmute"),
        ("<@UBOT> what is this", "help"),
        ("<@UBOT>", "help"),
        ("sources <@UBOT>", "sources"),
    ],
)
def test_parse(text, verb):
    assert parse(text) == verb


def test_sources_lists_every_report_with_links(world, app, fake_slack):
    links = [world.publish(ARMY), world.publish(TOLL_RISE)]
    world.cycle()
    card = world.card(SAHEL)
    app.mention(fake_slack, SAHEL, "sources", thread_ts=card["ts"])
    [answer] = answers(fake_slack, SAHEL, card["ts"])
    shown = text_of(answer)
    assert "3 reports of this story" in shown
    for outlet, link in zip(
        ("Reuters", "Al Jazeera", "RFI"), ["https://reuters.example.org/news/reuters-1", *links], strict=True
    ):
        assert f"*{outlet}*" in shown and f"<{link}|" in shown
    assert shown.index("Reuters") < shown.index("Al Jazeera") < shown.index("RFI")


def test_more_gives_the_fuller_summary_and_cited_facts(world, app, fake_slack):
    world.publish(TOLL_RISE)
    world.cycle()
    card = world.card(AQ)
    app.mention(fake_slack, AQ, "more", thread_ts=card["ts"])
    [answer] = answers(fake_slack, AQ, card["ts"])
    shown = text_of(answer)
    assert "*Summary* (from Reuters)" in shown
    assert "*Latest toll:* 40+ soldiers killed" in shown
    # Each fact under the sentence it was read from, and the outlet that said it.
    assert (
        "• *Toll:* 30+ soldiers killed · *Caveat:* security sources\n"
        "      _“Over 30 soldiers were killed, security sources said.”_ (Reuters)"
    ) in shown
    assert "• *Toll:* 40+ soldiers killed\n      _“Mali: at least 40 soldiers killed in Boulikessi" in shown
    assert "*Where:* Boulikessi, Mopti, ML" in shown
    assert shown.count("Boulikessi, Mopti, ML") == 1  # a fact once, though every report says it


def test_mute_by_mention_stops_this_teams_replies_only(world, app, fake_slack):
    card = world.card(SAHEL)
    app.mention(fake_slack, SAHEL, "mute", thread_ts=card["ts"])
    [answer] = answers(fake_slack, SAHEL, card["ts"])
    assert "<@U0ANALYST> muted this story for sahel-desk" in answer["text"]
    world.publish(ARMY)
    world.cycle()
    assert [m for m in world.thread(SAHEL) if "metadata" in m] == []
    assert [m["text"] for m in world.thread(AQ)] == [
        "Also reported by Al Jazeera: Mali army says it repelled assault in Boulikessi"
    ]

    app.mention(fake_slack, SAHEL, "unmute", thread_ts=card["ts"])
    assert "unmuted this story" in answers(fake_slack, SAHEL, card["ts"], 2)[-1]["text"]
    world.publish(TOLL_RISE)
    world.cycle()
    assert [m["text"] for m in world.thread(SAHEL) if "metadata" in m] == [
        "Also reported by RFI: Mali: at least 40 soldiers killed in Boulikessi attack claimed by JNIM"
    ]


def test_mute_button_mutes_for_the_team_and_says_so(world, app, fake_slack):
    card = world.card(SAHEL)
    app.press(fake_slack, SAHEL, card, "story_mute")
    [note] = answers(fake_slack, SAHEL, card["ts"])
    assert note["text"].startswith("<@U0ANALYST> muted this story for sahel-desk")
    [mute] = world.services.store.active_mutes("sahel-desk", now=utcnow())
    assert (mute.kind, mute.created_by) == ("story", "U0ANALYST")
    [logged] = world.services.store.team_changes("sahel-desk")  # the team's audit trail
    assert (logged.action, logged.kind, logged.value, logged.user_id) == (
        "mute",
        "story",
        mute.value,
        "U0ANALYST",
    )
    world.publish(ARMY)
    world.publish(TOLL_RISE)
    world.cycle()
    assert [m for m in world.thread(SAHEL) if "metadata" in m] == []
    assert len(world.thread(AQ)) == 2  # the other team's thread goes on

    app.press(fake_slack, SAHEL, card, "story_mute", response="again")
    said = wait_for(lambda: fake_slack.responses)
    assert said[0]["text"] == messages.STORY_ALREADY_MUTED.format(team="sahel-desk")
    assert said[0]["response_type"] == "ephemeral" and said[0]["replace_original"] is False
    assert len(answers(fake_slack, SAHEL, card["ts"])) == 1  # no second public note


def test_only_members_of_the_teams_channel_may_mute(world, app, fake_slack):
    card = world.card(SAHEL)
    app.press(fake_slack, SAHEL, card, "story_mute", user="U0PASSERBY")
    [said] = wait_for(lambda: fake_slack.responses)
    assert said["text"] == messages.NOT_ALLOWED.format(team="sahel-desk", channel="#sahel-alerts")
    assert said["response_type"] == "ephemeral"
    app.mention(fake_slack, SAHEL, "not relevant", thread_ts=card["ts"], user="U0PASSERBY")
    [answer] = answers(fake_slack, SAHEL, card["ts"])
    assert answer["text"].startswith("Only members of #sahel-alerts")
    assert world.services.store.active_mutes(None, now=utcnow()) == []
    assert world.services.store.feedback_for() == []
    app.mention(fake_slack, SAHEL, "sources", thread_ts=card["ts"], user="U0PASSERBY")
    assert "*1 report of this story*" in text_of(answers(fake_slack, SAHEL, card["ts"], 2)[1])


def test_not_relevant_button_records_feedback_and_mutes(world, app, fake_slack):
    card = world.card(AQ)
    app.press(fake_slack, AQ, card, "story_not_relevant", user="U0EDITOR")
    [note] = answers(fake_slack, AQ, card["ts"])
    assert "noted that this story is not relevant for aq-tracker" in note["text"]
    story_id = world.services.store.parent_at(AQ, card["ts"]).story_id
    [fb] = world.services.store.feedback_for(story_id)
    assert (fb.team, fb.kind, fb.user_id) == ("aq-tracker", "not_relevant", "U0EDITOR")
    assert any("al-Qaeda" in r for r in fb.reasons)  # why the card fired, to tune the watch
    [mute] = world.services.store.active_mutes("aq-tracker", now=utcnow())
    assert (mute.value, mute.reason) == (story_id, "not relevant")
    world.publish(ARMY)
    world.cycle()
    assert world.thread(AQ) == [note] and len(world.thread(SAHEL)) == 1


def test_not_relevant_by_mention(world, app, fake_slack):
    card = world.card(SAHEL)
    app.mention(fake_slack, SAHEL, "not relevant", thread_ts=card["ts"])
    answers(fake_slack, SAHEL, card["ts"])
    [fb] = world.services.store.feedback_for()
    assert (fb.team, fb.user_id) == ("sahel-desk", "U0ANALYST")


def test_sources_button_answers_only_the_person_who_pressed(world, app, fake_slack):
    card = world.card(SAHEL)
    app.press(fake_slack, SAHEL, card, "story_sources")
    [said] = wait_for(lambda: fake_slack.responses)
    assert said["response_type"] == "ephemeral" and "1 report of this story" in str(said["blocks"])
    assert bot_replies(fake_slack, SAHEL, card["ts"]) == []


def test_a_retried_event_is_answered_once(world, app, fake_slack):
    card = world.card(SAHEL)
    event = app.mention(fake_slack, SAHEL, "sources", thread_ts=card["ts"], event_id="Ev0SOURCES")
    answers(fake_slack, SAHEL, card["ts"])
    app.event(event, retry=1, event_id="Ev0SOURCES")  # Slack re-sends it: same event id
    app.event(event, retry=2, event_id="Ev0SOURCES")
    app.event(event, event_id="Ev0OTHERCOPY")  # the same mention under another id: still once
    settle(app, fake_slack, SAHEL, card["ts"], before=1)
    got = answers(fake_slack, SAHEL, card["ts"])
    assert ["*1 report of this story*" in text_of(m) for m in got] == [True, False]  # then help


def test_peoples_discussion_and_the_bots_own_messages_are_left_alone(world, app, fake_slack):
    card = world.card(SAHEL)
    talk = person_says(fake_slack, SAHEL, "Is this the same camp as in 2019?", thread_ts=card["ts"])
    app.event(
        {
            "type": "message",
            "user": talk["user"],
            "text": talk["text"],
            "ts": talk["ts"],
            "channel": SAHEL,
            "thread_ts": card["ts"],
            "channel_type": "channel",
        }
    )
    own = person_says(fake_slack, SAHEL, "<@UBOT> sources", user="UBOT", thread_ts=card["ts"])
    app.event(
        {
            "type": "app_mention",
            "user": "UBOT",
            "text": own["text"],
            "ts": own["ts"],
            "channel": SAHEL,
            "thread_ts": card["ts"],
        }
    )
    settle(app, fake_slack, SAHEL, card["ts"], before=0)
    [only] = [
        m
        for m in bot_replies(fake_slack, SAHEL, card["ts"])
        if m is not own and "metadata" not in m and m["ts"] != own["ts"]
    ]
    assert only["text"].startswith("Mention me in a story's thread")


def test_mention_outside_a_story_thread_gets_a_short_explanation(world, app, fake_slack):
    event = app.mention(fake_slack, SAHEL, "sources", thread_ts=None)
    [answer] = answers(fake_slack, SAHEL, event["ts"])
    assert answer["text"] == messages.NOT_A_STORY_THREAD
    human = person_says(fake_slack, SAHEL, "Anyone seen the UN report?")
    app.mention(fake_slack, SAHEL, "more", thread_ts=human["ts"])
    [answer] = answers(fake_slack, SAHEL, human["ts"])
    assert answer["text"] == messages.NOT_A_STORY_THREAD


def test_anything_else_gets_help(world, app, fake_slack):
    card = world.card(SAHEL)
    app.mention(fake_slack, SAHEL, "what's going on?", thread_ts=card["ts"])
    [answer] = answers(fake_slack, SAHEL, card["ts"])
    assert answer["text"] == messages.THREAD_HELP.format(team="sahel-desk")


def test_hostile_titles_stay_escaped_in_thread_answers(world, app, fake_slack):
    # Feed parsing strips tags; an adapter that cleans less must still be harmless in Slack.
    hostile = (
        "<!channel> Mali army says it repelled assault in Boulikessi <https://evil.example|reuters.com> @here"
    )
    world.arrive(
        Item(
            source_id="aljazeera",
            guid="hostile-1",
            url="https://aljazeera.example.org/h1",
            title=hostile,
            summary=ARMY[2],
            published=utcnow(),
        )
    )
    world.cycle()
    card = world.card(SAHEL)
    app.mention(fake_slack, SAHEL, "sources", thread_ts=card["ts"])
    shown = text_of(answers(fake_slack, SAHEL, card["ts"])[0])
    assert "<!channel>" not in shown and "<https://evil.example" not in shown
    assert (
        "&lt;!channel&gt; Mali army says it repelled assault in Boulikessi "
        "&lt;https:/\u2060/evil.example¦reuters.com&gt;"
    ) in shown
    assert "@here" not in shown
    app.mention(fake_slack, SAHEL, "more", thread_ts=card["ts"])
    more = text_of(answers(fake_slack, SAHEL, card["ts"], 2)[1])
    assert "<!channel>" not in more and "<https://evil" not in more and "@here" not in more


def test_threads_survive_a_restart(make_services, feeds, fake_slack, db_url):
    before = build_world(make_services, feeds, fake_slack, db_url)
    before.publish(CLAIM)
    before.publish(ARMY)
    before.cycle()
    card = before.card(SAHEL)
    before.services.store.close()
    # A new process: new Services, an empty clusterer, the same database.
    after = build_world(make_services, feeds, fake_slack, db_url)
    running = App(after.services)
    try:
        running.mention(fake_slack, SAHEL, "sources", thread_ts=card["ts"])
        [answer] = answers(fake_slack, SAHEL, card["ts"])
    finally:
        running.stop()
    assert "*2 reports of this story*" in text_of(answer)
    assert "*Reuters*" in text_of(answer) and "*Al Jazeera*" in text_of(answer)
