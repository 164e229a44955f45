"""Cards that say where a report was filed and who wrote it, without citing the dateline as a
place; the `topics` setting shown to operators and teams; `match` with its event field; bad
input through the whole pipeline. Sentences we wrote."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import format_datetime

import pytest
from click.testing import CliRunner

from bot import pipeline
from bot.app.build import build_delivery
from bot.cli.main import cli
from bot.cli.match import match_cmd
from bot.deliver.poster import SlackPoster, web_client
from bot.models import Item
from bot.slack.directory import Directory
from bot.slack.home import home_view
from bot.watches import describe_watch
from tests.fakes.feeds import rss
from tests.match_support import INDEX_DIR, REPO
from tests.story_world import text_of

SAHEL, KENYA, SOMALIA, SUDAN = "C0SAHEL001", "C0AQAFF001", "C0SOMALI01", "C0LKCHAD01"
TEAMS = """
teams:
  - name: sahel-desk
    channel: "#sahel-alerts"
    watch: {regions: [Sahel]}
  - name: kenya-desk
    channel: "#aq-affiliates"
    watch: {regions: [Kenya], topics: all}
  - name: somalia-desk
    channel: "#somalia"
    watch: {regions: [Somalia]}
  - name: sudan-desk
    channel: "#lake-chad"
    watch: {regions: [Sudan]}
"""
AT = format_datetime(datetime(2026, 3, 3, 9, tzinfo=UTC), usegmt=True)
SYNDICATED = {
    "guid": "aa-1",
    "title": "Mali: Jihadists Ambush Army Convoy Near Gao",
    "description": "[Studio Tamani] Bamako -- Jihadists ambushed an army convoy near Gao on Tuesday, "
    "killing five soldiers, the army said.",
    "pubDate": AT,
}
WIRE = {
    "guid": "w-1",
    "title": "Somali forces kill 12 al-Shabaab fighters in Lower Shabelle",
    "description": "NAIROBI, Kenya (Reuters) - Somali forces killed 12 al-Shabaab fighters in an "
    "operation in the Lower Shabelle region, the army said on Monday.",
    "pubDate": AT,
}
COUNTRY_ONLY = {
    "guid": "aa-2",
    "title": "Sudan: Paramilitaries Shell Towns as Fighting Spreads",
    "description": "[Dabanga] Paramilitary forces shelled several towns as heavy fighting spread "
    "across Sudan, residents said.",
    "pubDate": AT,
}


@pytest.fixture
def posted(make_services, feeds, fake_slack):
    url = feeds.put("/aa.xml", rss([SYNDICATED, WIRE, COUNTRY_ONLY], title="AllAfrica"))
    sources = (
        "sources:\n  - {id: allafrica, name: 'AllAfrica – top headlines', kind: rss, "
        f"url: '{url}', allow_private: true}}\n"
    )
    services = make_services(teams=TEAMS, sources=sources)
    pipeline.poll(services, force=True)
    build_delivery(services, SlackPoster(web_client(services.settings), pace_seconds=0)).drain()
    return services


def card_with(fake_slack, channel: str, words: str) -> str:
    texts = [text_of(c) for c in fake_slack.top_level(channel)]
    found = [t for t in texts if words in t]
    assert len(found) == 1, texts
    return found[0]


def why(card: str) -> str:
    return next(line for line in card.splitlines() if line.startswith("Why: "))


def test_a_syndicated_card_names_its_outlet_and_drops_the_section(posted, fake_slack):
    card = card_with(fake_slack, SAHEL, "Jihadists Ambush Army Convoy Near Gao")
    assert "Mali: Jihadists" not in card  # the AllAfrica section prefix is not the headline
    assert "Studio Tamani via AllAfrica – top headlines" in card
    assert "filed from Bamako" in card
    # Where it happened is Gao; Bamako is where it was filed: it is neither a place nor a reason.
    where = card.split("*Where*\n", 1)[1].splitlines()[0]
    assert "Gao" in where and "Bamako" not in where
    assert "Bamako" not in why(card) and "Gao" in why(card)


def test_a_wire_dateline_never_fires_a_watch_nor_appears_in_why(posted, fake_slack):
    # The Kenya desk takes all news about Kenya, yet Nairobi is only where Reuters filed from.
    assert not any("al-Shabaab" in text_of(c) for c in fake_slack.top_level(KENYA))
    card = card_with(fake_slack, SOMALIA, "Somali forces kill 12")
    assert "Reuters via AllAfrica – top headlines" in card
    assert "filed from NAIROBI, Kenya" in card
    assert "Nairobi" not in why(card) and "NAIROBI" not in why(card)


def test_a_country_only_story_shows_the_country_under_where(posted, fake_slack):
    card = card_with(fake_slack, SUDAN, "Paramilitaries Shell Towns")
    assert "*Where*\nSudan" in card
    assert "Dabanga via AllAfrica" in card


def test_check_config_and_the_teams_command_show_each_teams_topics(tmp_path, monkeypatch):
    config = tmp_path / "config"
    config.mkdir()
    for f in (REPO / "config").glob("*.yaml"):
        (config / f.name).write_text(f.read_text())
    (config / "teams.yaml").write_text(TEAMS)
    monkeypatch.setenv("LOOKOUT_DATA_DIR", str(INDEX_DIR))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'lookout.db'}")
    out = CliRunner().invoke(cli, ["--config", str(config), "check-config"])
    assert out.exit_code == 0, out.output
    assert "team sahel-desk: topics: security, require: any" in out.output
    assert "team kenya-desk: topics: all, require: any" in out.output
    out = CliRunner().invoke(cli, ["--config", str(config), "teams", "--team", "kenya-desk"])
    assert out.exit_code == 0, out.output
    assert "  topics: all" in out.output


def test_app_home_and_watch_descriptions_show_the_topics(posted, fake_slack):
    by_name = {t.name: t for t in posted.config.teams}
    assert "Topics: security news only" in describe_watch(by_name["sahel-desk"])
    assert "Topics: all news about its places and groups" in describe_watch(by_name["kenya-desk"])
    admin = posted.settings.model_copy(update={"lookout_admins": "UADMIN"})
    posted.settings = admin
    view = home_view(posted, Directory(web_client(admin)), "UADMIN", datetime.now(UTC))
    text = json.dumps(view, ensure_ascii=False)
    assert "Topics: security news only" in text and "Topics: all news" in text


def test_match_adds_the_event_and_explains_it(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "teams.yaml").write_text(TEAMS)
    lines = [
        {"id": "attack", "text": SYNDICATED["title"] + "\n" + SYNDICATED["description"]},
        {"id": "sport", "text": "Mali beat Burkina Faso to reach the semi-finals\nTwo goals in Bamako."},
    ]
    stdin = "".join(json.dumps(x) + "\n" for x in lines)
    args = ["--config", str(config), "--data-dir", str(INDEX_DIR)]
    plain = CliRunner().invoke(match_cmd, args, input=stdin)
    assert plain.exit_code == 0, plain.output
    attack, sport = (json.loads(x) for x in plain.output.splitlines())
    assert attack["event"]["security"] is True and attack["event"]["kind"] == "attack"
    for e in attack["event"]["evidence"]:
        assert lines[0]["text"][slice(*e["span"])] == e["text"]
    assert sport["event"] == {"security": False, "kind": "none", "evidence": []}
    explained = CliRunner().invoke(match_cmd, [*args, "--explain"], input=stdin)
    attack, sport = (json.loads(x)["explain"] for x in explained.output.splitlines())
    assert attack["event"].startswith("attack: ")
    assert "sport" in sport["event"]
    sahel = next(t for t in sport["teams"] if t["team"] == "sahel-desk")
    assert sahel["card"] is False  # the watch fires, the topics setting holds the card back
    assert any(t["card"] and "security event" in t["reasons"][-1] for t in attack["teams"])


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("Gunmen attack a village near Gao, Mali", ""),  # empty summary
        ("GUNMEN KILL 14 VILLAGERS IN CENTRAL MALI RAID", "ARMED MEN STORMED THE VILLAGE AT DAWN."),
        ("Mali : des hommes armés tuent 14 villageois", "The attack near Gao was confirmed by officials."),
        ("Gao, Mali: a long report", "Gunmen attacked a village near Gao. " * 3000),  # 100 KB
        ("Mali", "\u200b\u202e" * 10),
    ],
)
def test_bad_input_gets_a_decision_through_the_pipeline(make_services, title, summary):
    services = make_services(teams=TEAMS, sources="sources: []\n")
    item = Item("test", "g-1", "https://example.org/1", title, summary, published=datetime.now(UTC))
    services.store.add_items([item], now=datetime.now(UTC))
    report = pipeline.process_pending(services)
    assert not report.errors and report.event_failures == 0
    [stored] = services.store.recent_items(datetime(2000, 1, 1, tzinfo=UTC))
    assert stored[0].event is not None and stored[0].event.security in (True, False)


def test_a_reply_names_the_outlet_that_wrote_it():
    from bot.deliver import render

    reply = render.Reply(
        1, "s-1", "Jihadists Ambush Convoy", "https://example.org/1", "AllAfrica", outlet="Studio Tamani"
    )
    assert "Also reported by *Studio Tamani via AllAfrica*" in render.reply_blocks(reply)[0]["text"]["text"]
    assert render.reply_text(reply).startswith("Also reported by Studio Tamani via AllAfrica: ")
    plain = render.Reply(2, "s-1", "Convoy ambushed", "https://example.org/2", "Reuters", outlet="Reuters")
    assert render.reply_text(plain).startswith("Also reported by Reuters: ")
