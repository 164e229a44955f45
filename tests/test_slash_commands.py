"""`/lookout` end to end: signed requests to the running app, answers via response_url on the fake."""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
import requests

from bot import pipeline
from bot.app.web import WebServer, wsgi_app
from bot.models import Item
from bot.services import Services
from bot.slack.app import build_app
from bot.stories.urls import dedup_keys
from tests.slack_requests import SECRET, signed, wait_for

TEAMS = """
teams:
  - name: sahel-desk
    channel: "#sahel-alerts"
    watch: {regions: [Sahel], groups: [JNIM], keywords: [kidnapping]}
  - name: somalia-desk
    channel: C0SOMALI01
    watch: {regions: [Somalia]}
"""
SAHEL, SOMALIA = "C0SAHEL001", "C0SOMALI01"
NOW = datetime.now(UTC)

ITEMS = [
    Item(
        "wire",
        "a1",
        "https://example.org/boulikessi",
        "JNIM fighters attack army base in Boulikessi",
        "Militants of JNIM attacked the army base in Boulikessi, Mopti region, Mali, killing 30 "
        "soldiers on Sunday, the army said in a statement.",
        published=NOW - timedelta(hours=5),
    ),
    Item(
        "wire",
        "a2",
        "https://example.org/mogadishu",
        "Al-Shabaab attack on checkpoint near Mogadishu",
        "Al-Shabaab fighters attacked a police checkpoint near Mogadishu, Somalia, on Monday; "
        "officials said four officers died.",
        published=NOW - timedelta(hours=3),
    ),
    Item(
        "radio",
        "a3",
        "https://example.org/timbuktu",
        "Kidnapping of aid workers near Timbuktu",
        "Gunmen kidnapped three aid workers near Timbuktu in northern Mali on Monday, local officials said.",
        published=NOW - timedelta(hours=2),
    ),
]


class Bot:
    """Sends real signed Slack requests to the app and returns what it answered."""

    def __init__(self, base: str, services: Services, fake):
        self.base, self.services, self.fake = base, services, fake
        self._ids = itertools.count(1)

    def post(
        self, body: str, *, content_type: str = "application/x-www-form-urlencoded", extra: dict | None = None
    ) -> requests.Response:
        headers = signed(body) | {"Content-Type": content_type} | (extra or {})
        return requests.post(self.base + "/slack/events", data=body.encode(), headers=headers, timeout=10)

    def command_body(
        self, text: str, *, user: str = "U1", channel: str = SAHEL, trigger: str | None = None
    ) -> str:
        return urlencode(
            {
                "command": "/lookout",
                "text": text,
                "user_id": user,
                "channel_id": channel,
                "team_id": "T1",
                "response_url": self.fake.response_url(f"c{next(self._ids)}"),
                "trigger_id": trigger or f"trig-{next(self._ids)}",
            }
        )

    def answer(self, seen: int) -> dict:
        got = wait_for(lambda: len(self.fake.responses) > seen)
        assert got, "no answer arrived at response_url"
        return self.fake.responses[seen]

    def command(self, text: str, **kw) -> dict:
        seen = len(self.fake.responses)
        r = self.post(self.command_body(text, **kw))
        assert r.status_code == 200
        return self.answer(seen)

    def action(self, action_id: str, value: str, *, user: str = "U1", channel: str = SAHEL) -> dict:
        payload = {
            "type": "block_actions",
            "user": {"id": user},
            "channel": {"id": channel},
            "team": {"id": "T1"},
            "api_app_id": "A1",
            "trigger_id": f"trig-{next(self._ids)}",
            "response_url": self.fake.response_url(f"a{next(self._ids)}"),
            "container": {"type": "message", "is_ephemeral": True},
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "b1",
                    "value": value,
                    "action_ts": "1.0",
                }
            ],
        }
        seen = len(self.fake.responses)
        assert self.post(urlencode({"payload": json.dumps(payload)})).status_code == 200
        return self.answer(seen)


@pytest.fixture
def bot(make_services, fake_slack, db_url):
    yield from running_bot(make_services, fake_slack, db_url)


def running_bot(make_services, fake_slack, db_url):
    """The app with the TEAMS above and ITEMS processed, behind a real HTTP listener."""
    fake_slack.members.update({SAHEL: ["U1"], SOMALIA: ["U2"]})
    services: Services = make_services(teams=TEAMS, db_url=db_url, lookout_admins="UADMIN")
    services.store.add_items(ITEMS, now=NOW, keys=[dedup_keys(i) for i in ITEMS])
    pipeline.process_pending(services, now=NOW)
    app = build_app(services.settings, services)
    web = WebServer(
        wsgi_app(lambda: app, lambda: (True, {}), signing_secret=SECRET), host="127.0.0.1", port=0
    ).start()
    yield Bot(f"http://127.0.0.1:{web.port}", services, fake_slack)
    web.stop()


def text_of(answer: dict) -> str:
    return answer.get("text", "") + json.dumps(answer.get("blocks") or [], ensure_ascii=False)


# ---- look-ups ------------------------------------------------------------------------------


def test_help_lists_every_subcommand_with_an_example(bot):
    from bot.slack.commands import SUBCOMMANDS

    answer = bot.command("help")
    assert answer["response_type"] == "ephemeral"
    for sub in SUBCOMMANDS.values():
        assert f"`/lookout {sub.example}`" in answer["text"]
    assert {"search", "where", "who", "watch", "mute", "digest", "status", "sources"} <= set(SUBCOMMANDS)


def test_search_finds_stories_best_first_with_links_places_groups(bot):
    answer = bot.command("search attack")
    body = text_of(answer)
    assert "2 stories" in answer["text"]
    assert "<https://example.org/boulikessi|" in body and "<https://example.org/mogadishu|" in body
    assert "Boulikessi (Mopti, ML)" in body and "JNIM" in body
    assert "Kidnapping" not in body


def test_search_filters_by_region_and_group(bot):
    body = text_of(bot.command("search attack in Mopti"))
    assert "boulikessi" in body and "mogadishu" not in body
    body = text_of(bot.command("search attack group al-Shabaab"))
    assert "mogadishu" in body and "boulikessi" not in body
    body = text_of(bot.command("search in Mali"))
    assert "boulikessi" in body and "timbuktu" in body and "mogadishu" not in body


def test_search_since_excludes_older_stories(bot):
    body = text_of(bot.command("search attack since 4h"))
    assert "mogadishu" in body and "boulikessi" not in body


def test_search_pages_with_a_more_button(bot):
    reports = [
        ("Clash at a market in Gao", "Traders fled as gunmen clashed with soldiers at the central market."),
        ("Kidal clash leaves convoy burned", "A supply convoy was set alight after a night-time clash."),
        ("Drone strike and clash in Menaka", "Herders described a drone strike followed by a clash."),
        ("Segou villagers flee after clash", "Hundreds of villagers walked to the town after a clash."),
        ("Clash on the Sikasso border road", "Customs officers exchanged fire with smugglers at dawn."),
        ("Kayes gold mine clash", "Miners and security guards fought over access to a gold pit."),
        ("Douentza checkpoint clash", "A checkpoint on the national road came under fire at noon."),
    ]
    more_items = [
        Item(
            "wire",
            f"town-{i}",
            f"https://example.org/town-{i}",
            title,
            f"{body} Mali.",
            published=NOW - timedelta(days=i, minutes=10),
        )
        for i, (title, body) in enumerate(reports)
    ]
    bot.services.store.add_items(more_items, now=NOW, keys=[dedup_keys(i) for i in more_items])
    pipeline.process_pending(bot.services, now=NOW)
    first = bot.command("search clash in Mali")
    assert "1–5" in first["text"], first["text"]
    [more] = [e for b in first["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert more["action_id"] == "search_more"
    second = bot.action("search_more", more["value"])
    assert second.get("replace_original") is True
    assert "6–7" in second["text"] and "search_more" not in json.dumps(second["blocks"])
    links = [set(re.findall(r"example.org/town-\d", text_of(a))) for a in (first, second)]
    assert len(links[0]) == 5 and len(links[1]) == 2 and not links[0] & links[1]


def test_share_posts_a_result_in_the_channel(bot):
    answer = bot.command("search kidnapping")
    [button] = [b["accessory"] for b in answer["blocks"] if "accessory" in b]
    shared = bot.action("search_share", button["value"])
    assert shared["response_type"] == "in_channel"
    assert "timbuktu" in text_of(shared) and "<@U1>" in text_of(shared)
    assert "search_share" not in json.dumps(shared["blocks"])


def test_where_gives_admin1_country_regions_and_stories(bot):
    answer = bot.command("where Boulikessi")
    body = text_of(answer)
    assert "Mopti" in body and "Mali" in body and "Sahel" in body
    assert "example.org/boulikessi" in body


def test_who_resolves_aliases_to_the_canonical_group(bot):
    body = text_of(bot.command("who GSIM"))
    assert "*JNIM*" in body and "al-Qaeda" in body
    assert "example.org/boulikessi" in body


def test_unknown_place_and_group_suggest_close_names(bot):
    assert "Did you mean" in bot.command("where Moptii")["text"]
    assert "`JNIM`" in bot.command("who JNIMM")["text"]


def test_status_and_sources(bot):
    status = bot.command("status")["text"]
    assert "Sources: 0 healthy, 0 failing" in status and "Leases held: none" in status
    assert "No source has been polled yet" in bot.command("sources")["text"]


# ---- watch ---------------------------------------------------------------------------------


def test_watch_list_in_words(bot):
    text = bot.command("watch")["text"]
    assert "sahel-desk watches places: Sahel; groups: JNIM" in text and "kidnapping" in text
    assert (
        "somalia-desk watches places: Somalia"
        in bot.command("watch list", user="U2", channel=SOMALIA)["text"]
    )


def test_watch_add_and_remove_are_stored_and_used_by_the_pipeline(bot):
    store = bot.services.store
    assert "now watches the region Mopti" in bot.command("watch add region mopti")["text"]
    assert "now watches the group al-Shabaab" in bot.command("watch add group al-shabaab")["text"]
    assert "already watches" in bot.command("watch add region Mopti")["text"]
    answer = bot.command("watch remove keyword Kidnapping")
    assert "no longer watches the keyword kidnapping" in answer["text"]
    assert "now alerts on a story naming both" in bot.command("watch require region_and_group")["text"]
    [team] = [t for t in bot.services.teams() if t.name == "sahel-desk"]
    assert "Mopti" in team.watch.regions and "kidnapping" not in team.watch.keywords
    assert team.watch.require == "region_and_group"
    changes = store.team_changes("sahel-desk")
    assert [c.action for c in changes][-2:] == ["remove", "require"]
    assert all(c.user_id == "U1" and c.created_at for c in changes)


def test_watch_add_unknown_name_suggests_and_changes_nothing(bot):
    answer = bot.command("watch add region Moptti")
    assert "Did you mean `Mopti`" in answer["text"] and "Nothing was changed" in answer["text"]
    assert bot.services.store.team_changes() == []


def test_watch_history_shows_who_when_what(bot):
    bot.command("watch add keyword ambush")
    bot.command("mute group JNIM for 24h")
    text = bot.command("watch history")["text"]
    assert "<@U1>: muted group JNIM until" in text and "<@U1>: added keyword ambush" in text
    assert text.index("muted") < text.index("added")  # newest first


# ---- mutes ---------------------------------------------------------------------------------


def test_mute_unmute_and_mutes(bot):
    answer = bot.command("mute region Mopti for 2h")
    assert "muted until" in answer["text"]
    [m] = bot.services.store.active_mutes("sahel-desk", now=datetime.now(UTC))
    assert m.kind == "region" and m.value == "Mopti" and m.created_by == "U1"
    assert timedelta(hours=1, minutes=59) < m.until - datetime.now(UTC) <= timedelta(hours=2)
    assert "region Mopti" in bot.command("mutes")["text"]
    assert "unmuted" in bot.command("unmute region mopti")["text"]
    assert "no active mutes" in bot.command("mutes")["text"]
    assert [c.action for c in bot.services.store.team_changes()] == ["mute", "unmute"]


def test_mute_story_by_id_from_search(bot):
    [story] = [s for s in bot.services.store.recent_stories(NOW - timedelta(days=1)) if "Timbuktu" in s.title]
    assert "until unmuted" in bot.command(f"mute story {story.id}")["text"]
    assert "No story" in bot.command("mute story s-000000000000")["text"]


def test_mute_with_a_bad_duration_changes_nothing(bot):
    assert "not a duration" in bot.command("mute group JNIM for ever")["text"]
    assert bot.services.store.active_mutes(None, now=datetime.now(UTC)) == []
