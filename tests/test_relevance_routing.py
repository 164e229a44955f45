"""Security news only, by default: topics, story-level relevance, the event stored with its
item, and nothing lost when the event stage fails. The real pipeline and delivery, the fake
feed server and the fake Slack; sentences we wrote."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot import pipeline
from bot.app.build import build_delivery
from bot.config import Watch
from bot.deliver.poster import SlackPoster, web_client
from bot.event import default_vocabulary
from bot.event.topics import FAILED, card_reasons
from bot.models import Event, Evidence
from bot.ops.status import status, status_text
from tests.fakes.feeds import rss
from tests.story_world import OUTLETS, World, text_of

SAHEL, EVERYTHING, WORDS = "C0SAHEL001", "C0LKCHAD01", "C0SOMALI01"
TEAMS = """
teams:
  - name: sahel-desk
    channel: "#sahel-alerts"
    watch: {regions: [Sahel]}
  - name: sahel-everything
    channel: "#lake-chad"
    watch: {regions: [Sahel], topics: all}
  - name: festival-watch
    channel: "#somalia"
    watch: {keywords: [festival]}
"""

ATTACK = (
    "reuters",
    "Gunmen kill 12 villagers near Boulikessi in central Mali",
    "Armed men on motorbikes attacked the village of Boulikessi in Mali's Mopti region on "
    "Sunday, killing 12 villagers and burning granaries, local officials said.",
)
SPORT = (
    "bbc",
    "Mali beat Burkina Faso to reach the Women's Africa Cup semi-finals",
    "Two second-half goals gave Mali victory over Burkina Faso in the quarter-final in Bamako.",
)
FESTIVAL = (
    "rfi",
    "Timbuktu festival draws musicians from across the Sahel",
    "Singers from Mali, Niger and Mauritania performed in Timbuktu as the festival reopened.",
)
# One story in three reports: calm at first, then deadly, then an official reaction.
RALLY = (
    "reuters",
    "Crowds rally in Gao, Mali, against the closure of the Gao market",
    "Hundreds of traders marched through Gao in northern Mali on Monday against the closure "
    "of the central market, organisers said.",
)
RALLY_SHOT = (
    "aljazeera",
    "Soldiers open fire on traders rallying in Gao, Mali, killing four",
    "Soldiers opened fire on traders who were marching against the closure of the central "
    "market in Gao in northern Mali on Monday, killing four, witnesses said.",
)
RALLY_REACTION = (
    "rfi",
    "Mali government announces inquiry after the Gao market march",
    "The government of Mali said it would open an inquiry into the march of traders in Gao "
    "against the closure of the central market.",
)


@pytest.fixture
def world(make_services, feeds, fake_slack) -> World:
    urls = {s: feeds.put(f"/{s}.xml", rss([], title=label)) for s, label in OUTLETS.items()}
    sources = "sources:\n" + "".join(
        f"  - {{id: {s}, name: '{label}', kind: rss, url: '{urls[s]}', allow_private: true}}\n"
        for s, label in OUTLETS.items()
    )
    services = make_services(teams=TEAMS, sources=sources)
    poster = SlackPoster(web_client(services.settings), pace_seconds=0)
    return World(services, build_delivery(services, poster), feeds, fake_slack)


def test_a_watch_fires_on_security_news_only_by_default(world, fake_slack):
    world.publish(ATTACK)
    world.publish(SPORT)
    world.cycle()
    [card] = fake_slack.top_level(SAHEL)
    text = text_of(card)
    assert "Gunmen kill 12 villagers" in text
    # The *Why* line says what made it an event, with the words that show it.
    assert "security event — violence against civilians" in text
    assert '"Gunmen kill"' in text
    # A team on `topics: all` gets the sport item too, and is told it is not security news.
    cards = {text_of(c).split("\n")[0]: text_of(c) for c in fake_slack.top_level(EVERYTHING)}
    assert len(cards) == 2
    sport = next(t for head, t in cards.items() if "Women's Africa Cup" in head)
    assert "not security news (topics: all)" in sport


def test_a_keyword_fires_on_any_news(world, fake_slack):
    world.publish(FESTIVAL)
    world.cycle()
    [card] = fake_slack.top_level(WORDS)
    assert 'keyword "festival"; not security news: fired on its keyword' in text_of(card)
    assert fake_slack.top_level(SAHEL) == []  # the Sahel desk does not want a festival


def test_a_story_that_becomes_security_news_reaches_the_desk(world, fake_slack):
    world.publish(RALLY)
    world.cycle()
    assert fake_slack.top_level(SAHEL) == []  # a peaceful march: no card
    [everything] = fake_slack.top_level(EVERYTHING)

    world.publish(RALLY_SHOT)
    world.cycle()
    # The deadly report joins the same story: the desk gets the card now, showing that report;
    # the team that had the card already gets it in its thread.
    [card] = fake_slack.top_level(SAHEL)
    assert "Soldiers open fire on traders" in text_of(card)
    assert "security event" in text_of(card)
    assert len(fake_slack.top_level(EVERYTHING)) == 1
    assert len(fake_slack.replies(EVERYTHING, everything["ts"])) == 1
    story = world.services.store.story(story_of(card))
    # The story's event is the report that made it security news, not the first report's.
    assert story is not None and story.security and "Soldiers open fire" in story.event.reason

    # A later report that is not security news in itself still lands in the thread.
    world.publish(RALLY_REACTION)
    world.cycle()
    assert len(fake_slack.top_level(SAHEL)) == 1
    assert len(fake_slack.replies(SAHEL, card["ts"])) == 1


def test_the_event_is_stored_with_its_item(world):
    world.publish(ATTACK)
    world.publish(SPORT)
    world.cycle()
    stored = {s.item.title: s for s in stored_items(world)}
    attack, sport = stored[ATTACK[1]], stored[SPORT[1]]
    assert attack.event is not None and attack.event.security and attack.event.kind
    assert attack.event.evidence and attack.event.reason
    assert sport.event is not None and not sport.event.security and "sport" in sport.event.reason


def stored_items(world: World) -> list:
    store = world.services.store
    since = datetime(2000, 1, 1, tzinfo=UTC)
    return [s for story in store.recent_stories(since) for s in store.story_items(story.id)]


def story_of(card: dict) -> str:
    return next(b["block_id"] for b in card["blocks"] if b.get("block_id", "").startswith("story:"))[6:]


@pytest.fixture
def broken_event_stage(tmp_path, monkeypatch):
    """A vocabulary file the stage cannot read: every classification raises ConfigError."""
    path = tmp_path / "vocabulary.yaml"
    path.write_text("version: 1\ncues: [{class: event, kind: bombing}]\n", encoding="utf-8")
    monkeypatch.setenv("LOOKOUT_EVENT_VOCABULARY", str(path))
    default_vocabulary.cache_clear()
    yield
    monkeypatch.delenv("LOOKOUT_EVENT_VOCABULARY")
    default_vocabulary.cache_clear()


def test_nothing_is_lost_when_the_event_stage_fails(world, fake_slack, broken_event_stage):
    world.publish(ATTACK)
    world.publish(SPORT)
    report = pipeline.poll(world.services, force=True)
    world.delivery.drain()
    assert report.event_failures == 2 and report.new_items == 2
    assert not report.errors  # both items were processed and recorded
    # Stored, marked, and routed on the watch alone: the desk is not left blind (and gets the
    # sport item too, said to be unchecked, until the stage works again).
    cards = fake_slack.top_level(SAHEL)
    assert len(cards) == 2 and all("event not checked" in text_of(c) for c in cards)
    items = stored_items(world)
    assert len(items) == 2 and all(s.event is None for s in items)
    # The failure is counted where operators look.
    st = status(world.services)
    assert st.event_failures == 2 and "vocabulary.yaml" in (st.event_error or "")
    assert "Event stage: failed on 2 items in the last 24 h" in status_text(st)


def test_status_says_when_the_event_stage_had_no_failures(world):
    world.publish(ATTACK)
    world.cycle()
    assert "Event stage: no failures in the last 24 h" in status_text(status(world.services))


def _event(security: bool) -> Event:
    if not security:
        return Event(False, "none", (), "sport: 'goals'; no event words")
    return Event(True, "attack", (Evidence("ambushed a convoy", (0, 17)),), "attack: ...")


@pytest.mark.parametrize(
    ("topics", "reasons", "security", "expected"),
    [
        (
            "security",
            ('region "Sahel" ← Gao (Gao, ML)',),
            True,
            'security event — attack: "ambushed a convoy"',
        ),
        ("security", ('region "Sahel" ← Gao (Gao, ML)',), False, None),
        ("all", ('region "Sahel" ← Gao (Gao, ML)',), False, "not security news (topics: all)"),
        ("security", ('region "Sahel" ← Gao (Gao, ML)', 'keyword "festival"'), False, "fired on its keyword"),
    ],
)
def test_the_topics_rule(topics, reasons, security, expected):
    out = card_reasons(
        Watch(regions=["Sahel"], keywords=["festival"], topics=topics), reasons, _event(security)
    )
    if expected is None:
        assert out is None
        return
    assert out is not None and expected in out[-1]
    if not security and topics == "security":  # only the keyword is a reason to post
        assert out[:-1] == ('keyword "festival"',)


def test_the_topics_rule_without_a_verdict_fires_on_the_watch_alone():
    out = card_reasons(Watch(regions=["Sahel"]), ('region "Sahel" ← Gao (Gao, ML)',), None, event_failed=True)
    assert out == ('region "Sahel" ← Gao (Gao, ML)', FAILED)


def test_topics_default_to_security_and_a_bad_value_is_named(tmp_path):
    from bot.config import ConfigError, load

    assert Watch().topics == "security"
    (tmp_path / "sources.yaml").write_text("sources: []\n")
    (tmp_path / "teams.yaml").write_text(
        "teams:\n  - name: a\n    channel: '#a'\n    watch: {regions: [Sahel], topics: sport}\n"
    )
    with pytest.raises(ConfigError) as e:
        load(tmp_path)
    assert f'{tmp_path}/teams.yaml:4: team "a": watch.topics: "sport" is not one of security, all' in str(
        e.value
    )
