"""Slack-side security with real signed requests: signatures, acks, retries, who may change
what, escaping of hostile text, and malformed input that must change nothing."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest

from bot import pipeline
from bot.deliver.escape import ZWJ
from bot.models import Item
from bot.stories.urls import dedup_keys
from tests.slack_requests import signed, wait_for
from tests.test_slash_commands import NOW, SOMALIA, running_bot, text_of

HOSTILE_TITLE = (
    "<!channel> Attack in Mopti <https://evil.example|bank.com> @everyone <@U999> "
    "<#C0OPS00001> <!here> & <!subteam^S1>"
)


@pytest.fixture
def bot(make_services, fake_slack, db_url):
    yield from running_bot(make_services, fake_slack, db_url)


def changes(bot) -> list:
    return bot.services.store.team_changes()


# ---- signatures -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        lambda body: signed(body, secret="wrong-secret"),
        lambda body: signed(body, ts=int(time.time()) - 5 * 60 - 30),  # stale: a replay
        lambda body: signed(body) | {"X-Slack-Signature": "v0=" + "0" * 64},
        lambda body: {"Content-Type": "application/x-www-form-urlencoded"},
    ],
)
def test_bad_or_stale_signatures_get_401_and_change_nothing(bot, headers):
    import requests

    body = bot.command_body("watch add region Mopti")
    r = requests.post(bot.base + "/slack/events", data=body, headers=headers(body), timeout=5)
    assert r.status_code == 401
    bot.command("watch")  # a good request after it is answered, and is the only answer
    assert len(bot.fake.responses) == 1 and changes(bot) == []


def test_bad_signature_on_a_button_press_is_refused(bot):
    import requests

    payload = {
        "type": "block_actions",
        "user": {"id": "U1"},
        "trigger_id": "t-x",
        "response_url": bot.fake.response_url("x"),
        "actions": [
            {
                "action_id": "watch_add:0",
                "value": json.dumps({"t": "sahel-desk", "k": "region", "v": "Mopti"}),
                "type": "button",
            }
        ],
    }
    body = urlencode({"payload": json.dumps(payload)})
    r = requests.post(bot.base + "/slack/events", data=body, headers=signed(body, secret="nope"), timeout=5)
    assert r.status_code == 401 and changes(bot) == []


# ---- acks within 3 s: slow work happens after the ack -------------------------------------------


def test_command_is_acked_before_slow_work_finishes(bot):
    gate = bot.fake.hold("conversations.members")  # the authorisation check hangs until released
    r = bot.post(bot.command_body("watch add region Mopti"))
    assert r.status_code == 200  # acked while the handler still waits on Slack
    assert bot.fake.responses == [] and changes(bot) == []
    gate.set()
    answer = bot.answer(0)
    assert "now watches the region Mopti" in answer["text"] and len(changes(bot)) == 1


# ---- retries ------------------------------------------------------------------------------------


def test_a_retried_command_is_not_done_twice(bot):
    body = bot.command_body("watch add keyword ambush", trigger="trig-same")
    assert bot.post(body).status_code == 200
    bot.answer(0)
    again = bot.post(body, extra={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert again.status_code == 200
    bot.command("watch")
    assert len(bot.fake.responses) == 2  # first answer and the later command, none for the retry
    assert [c.value for c in changes(bot)] == ["ambush"]


def test_a_retried_event_is_handled_once(bot):
    def event(event_id: str) -> str:
        return json.dumps(
            {
                "type": "event_callback",
                "team_id": "T1",
                "api_app_id": "A1",
                "event_id": event_id,
                "event_time": int(time.time()),
                "event": {"type": "app_home_opened", "user": "U1", "tab": "home", "channel": "D1"},
            }
        )

    first = event("Ev1")
    assert bot.post(first, content_type="application/json").status_code == 200
    wait_for(lambda: bot.fake.calls_to("views.publish"))
    assert (
        bot.post(first, content_type="application/json", extra={"X-Slack-Retry-Num": "1"}).status_code == 200
    )
    assert bot.post(event("Ev2"), content_type="application/json").status_code == 200
    wait_for(lambda: len(bot.fake.calls_to("views.publish")) >= 2)
    assert len(bot.fake.calls_to("views.publish")) == 2


# ---- authorisation ------------------------------------------------------------------------------


def test_non_members_cannot_change_a_team(bot):
    answer = bot.command("watch add region Mopti", user="U2")  # U2 is not in #sahel-alerts
    assert "Only members of #sahel-alerts" in answer["text"] and "Nothing was changed" in answer["text"]
    assert "Only members" in bot.command("mute group JNIM", user="U2")["text"]
    assert "Only members" in bot.command("team:somalia-desk watch add keyword piracy")["text"]
    assert changes(bot) == []
    assert bot.services.store.active_mutes(None, now=datetime.now(UTC)) == []


def test_admins_can_change_any_team_and_are_audited(bot):
    answer = bot.command("watch add keyword piracy team:somalia-desk", user="UADMIN")
    assert "somalia-desk now watches the keyword piracy" in answer["text"]
    [change] = changes(bot)
    assert (change.team, change.user_id, change.action) == ("somalia-desk", "UADMIN", "add")


def test_members_of_another_team_channel_change_their_own_team(bot):
    answer = bot.command("watch add keyword piracy", user="U2", channel=SOMALIA)
    assert "somalia-desk now watches" in answer["text"]


def test_a_channel_with_no_team_says_how_to_add_one(bot):
    answer = bot.command("watch add region Mopti", channel="C0OPS00001")
    assert "No Lookout team posts in this channel" in answer["text"] and changes(bot) == []


# ---- escaping -----------------------------------------------------------------------------------


def assert_defused(text: str) -> None:
    for raw in ("<!channel>", "<!here>", "<https://evil", "<@U999>", "<#C0OPS00001>", "<!subteam"):
        assert raw not in text, raw
    assert "@everyone" not in text and f"@{ZWJ}everyone" in text


def test_hostile_titles_are_defused_in_search_share_and_where(bot):
    item = Item(
        "wire",
        "evil",
        "https://example.org/hostile?a=1&b=2|x>y",
        HOSTILE_TITLE,
        "Gunmen attacked a market in Mopti, Mali, on Monday, killing five people.",
        published=NOW,
    )
    bot.services.store.add_items([item], now=NOW, keys=[dedup_keys(item)])
    pipeline.process_pending(bot.services, now=NOW)
    found = bot.command("search market in Mopti")
    body = text_of(found)
    assert_defused(body)
    assert "<https://example.org/hostile?a=1&b=2%7Cx%3Ey|" in body  # the real target, intact
    [button] = [b["accessory"] for b in found["blocks"] if "accessory" in b]
    assert_defused(text_of(bot.action("search_share", button["value"])))
    assert_defused(text_of(bot.command("where Mopti")))


def test_hostile_user_input_is_echoed_harmlessly(bot):
    answer = bot.command("<!channel>")
    assert "<!channel>" not in answer["text"] and "&lt;!channel&gt;" in answer["text"]
    answer = bot.command("watch add keyword <!here> raid @everyone")
    assert_not = text_of(answer)
    assert "<!here>" not in assert_not and "@everyone" not in assert_not
    answer = bot.command("where <https://evil.example|bank.com>")
    assert "<https://evil" not in answer["text"]


# ---- malformed input changes nothing --------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("watch add region", "Say what to add"),
        ("watch add", "Say what to add"),
        ("watch add planet Mars", "Say what to add"),
        ("watch frobnicate", "is not a watch command"),
        ("watch require sometimes", "`require` takes `any` or `region_and_group`"),
        ("frobnicate", "I don't know `frobnicate`"),
        ("watch add region " + "x" * 5000, "the limit is 1000"),
        ("watch add region 🔥🔥", "at least one letter or digit"),
        ("watch add keyword \u202eevil\u202c", "invisible control characters"),
        ("watch add region مدينة لا وجود لها", "I don't know the region"),
        ("mute planet Mars", "You can mute a story, group, region or keyword"),
        ("mute group", "Say what to mute"),
        ("unmute group JNIM", "no active mute"),
        ("search", "Say what to search for"),
        ("search attack since forever", "is not a duration"),
        ("search attack in", "`in` needs a value"),
    ],
)
def test_malformed_commands_get_a_helpful_error_and_change_nothing(bot, text, expected):
    answer = bot.command(text)
    assert expected in answer["text"]
    assert answer["response_type"] == "ephemeral"
    assert changes(bot) == [] and bot.services.store.active_mutes(None, now=datetime.now(UTC)) == []
