"""App Home and the "Watch this place/group" message shortcut, through signed requests."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest

from bot.app.build import build_delivery
from bot.deliver.poster import SlackPoster, web_client
from tests.slack_requests import wait_for
from tests.test_slash_commands import SAHEL, running_bot, text_of


@pytest.fixture
def bot(make_services, fake_slack, db_url):
    yield from running_bot(make_services, fake_slack, db_url)


def open_home(bot, user: str, event_id: str) -> dict:
    body = json.dumps(
        {
            "type": "event_callback",
            "team_id": "T1",
            "api_app_id": "A1",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": {"type": "app_home_opened", "user": user, "tab": "home", "channel": "D1"},
        }
    )
    seen = len(bot.fake.calls_to("views.publish"))
    assert bot.post(body, content_type="application/json").status_code == 200
    assert wait_for(lambda: len(bot.fake.calls_to("views.publish")) > seen)
    call = bot.fake.calls_to("views.publish")[seen].params
    view = call["view"] if isinstance(call["view"], dict) else json.loads(call["view"])
    return {"user_id": call["user_id"], "view": view}


def test_home_shows_the_users_teams_watches_mutes_and_latest_stories(bot):
    settings = bot.services.settings
    build_delivery(bot.services, SlackPoster(web_client(settings), pace_seconds=0)).drain()
    bot.command("mute keyword football for 7d")
    home = open_home(bot, "U1", "Ev-home-1")
    text = json.dumps(home["view"], ensure_ascii=False)
    assert home["user_id"] == "U1" and home["view"]["type"] == "home"
    assert "sahel-desk" in text and "places: Sahel" in text and "somalia-desk" not in text
    assert "Muted: keyword football until" in text
    assert "example.org/boulikessi" in text and "example.org/timbuktu" in text
    assert "example.org/mogadishu" not in text  # another team's story


def test_home_for_a_user_in_no_team_says_what_to_do(bot):
    text = json.dumps(open_home(bot, "U9", "Ev-home-2")["view"])
    assert "not in any Lookout team" in text


def test_admins_see_every_team(bot):
    text = json.dumps(open_home(bot, "UADMIN", "Ev-home-3")["view"])
    assert "sahel-desk" in text and "somalia-desk" in text


def shortcut(bot, text: str, *, user: str = "U1") -> dict:
    payload = {
        "type": "message_action",
        "callback_id": "watch_from_message",
        "trigger_id": f"t-{text[:8]}",
        "response_url": bot.fake.response_url("shortcut"),
        "user": {"id": user},
        "channel": {"id": SAHEL},
        "team": {"id": "T1"},
        "message_ts": "1.0",
        "message": {"type": "message", "text": text, "ts": "1.0"},
    }
    seen = len(bot.fake.responses)
    assert bot.post(urlencode({"payload": json.dumps(payload)})).status_code == 200
    return bot.answer(seen)


def buttons(answer: dict) -> dict[str, dict]:
    return {
        e["text"]["text"]: e
        for b in answer.get("blocks") or []
        if b["type"] == "actions"
        for e in b["elements"]
    }


def test_shortcut_offers_places_and_groups_not_yet_watched(bot):
    answer = shortcut(bot, "Gunmen attacked Boulikessi in Mopti; JNIM and ISWAP both claimed it.")
    offered = buttons(answer)
    assert {"Boulikessi (region)", "Mopti (region)", "ISWAP (group)"} <= set(offered)
    assert "JNIM (group)" not in offered and "Sahel (region)" not in offered  # already watched
    added = bot.action(offered["Mopti (region)"]["action_id"], offered["Mopti (region)"]["value"])
    assert "sahel-desk now watches the region Mopti" in added["text"]
    [change] = bot.services.store.team_changes()
    assert (change.action, change.kind, change.value, change.user_id) == ("add", "region", "Mopti", "U1")


def test_shortcut_buttons_respect_authorisation(bot):
    offered = buttons(shortcut(bot, "ISWAP fighters attacked Monguno in Borno."))
    button = offered["ISWAP (group)"]
    denied = bot.action(button["action_id"], button["value"], user="U2")
    assert "Only members of #sahel-alerts" in denied["text"]
    assert bot.services.store.team_changes() == []


def test_shortcut_on_a_message_with_nothing_to_watch(bot):
    answer = shortcut(bot, "Lunch is at noon <!channel>")
    assert "no places or armed groups" in text_of(answer)
