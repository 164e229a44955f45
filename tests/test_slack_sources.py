"""`/lookout sources add|remove|pause|resume|history`: real signed requests to the running app,
feeds from a local server that the fetch guard treats as public (news.example.com), and the
polls that follow, with no restart."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot import pipeline
from bot.app import scheduler
from bot.app.build import build_delivery, build_poster
from bot.app.web import WebServer, wsgi_app
from bot.config import SourceConfig
from bot.fetch.changes import clean_url, effective_sources
from bot.fetch.http import SafeHttp
from bot.fetch.redact import redact
from bot.slack.app import build_app
from bot.store import TeamChange
from tests.fakes.feeds import rss
from tests.slack_requests import SECRET
from tests.sources_fakes import fake_resolver
from tests.test_slash_commands import SAHEL, TEAMS, Bot

PUBLIC = "news.example.com"
ADMIN = "UADMIN"
WIRE = [
    {"guid": "w1", "title": "Gunmen attack a convoy near Gao", "description": "A convoy came under fire."},
    {"guid": "w2", "title": "Curfew lifted in Kidal", "description": "The governor lifted the curfew."},
]


@pytest.fixture
def bot(make_services, fake_slack, feeds, db_url):
    port = feeds.server.server_address[1]
    feeds.put("/seed.xml", rss([{"guid": "s1", "title": "Seed story", "description": "From the seed."}]))
    feeds.put("/wire.xml", rss(WIRE, title="Sahel Wire"))
    feeds.put("/page.html", "<html><body>Not a feed</body></html>", "text/html")
    seed = f"sources:\n  - id: seed\n    kind: rss\n    url: http://{PUBLIC}:{port}/seed.xml\n"
    fake_slack.members.update({SAHEL: ["U1"]})
    services = make_services(teams=TEAMS, sources=seed, db_url=db_url, lookout_admins=ADMIN)
    # The guard as in production, with news.example.com standing in for a public host.
    services.http = SafeHttp(
        resolver=fake_resolver({PUBLIC: "127.0.0.1"}), exempt=frozenset({("127.0.0.1", port)})
    )
    app = build_app(services.settings, services)
    web = WebServer(
        wsgi_app(lambda: app, lambda: (True, {}), signing_secret=SECRET), host="127.0.0.1", port=0
    ).start()
    yield SourcesBot(f"http://127.0.0.1:{web.port}", services, fake_slack, feeds, port)
    web.stop()


class SourcesBot(Bot):
    def __init__(self, base, services, fake, feeds, port):
        super().__init__(base, services, fake)
        self.feeds = feeds
        self.port = port

    def url(self, path: str, auth: str = "") -> str:
        return f"http://{auth}{PUBLIC}:{self.port}{path}"

    def say(self, text: str, user: str = ADMIN) -> str:
        return self.command(text, user=user)["text"]

    def live(self) -> dict[str, bool]:
        return {s.id: s.enabled for s in self.services.sources()}


def test_only_admins_change_sources_and_nothing_is_fetched_for_others(bot):
    for text in (f"sources add {bot.url('/wire.xml')} wire", "sources pause seed", "sources remove seed"):
        answer = bot.say(text, user="U1")  # a member of a team channel, not an admin
        assert "Only Lookout admins (the Slack user ids in LOOKOUT_ADMINS)" in answer, answer
        assert "Nothing was changed" in answer
    assert bot.feeds.hits.get("/wire.xml") is None
    assert bot.live() == {"seed": True} and bot.services.store.team_changes(scope="source") == []
    assert "No source has been polled yet" in bot.say("sources", user="U1")  # reading is for everyone


def test_add_fetches_once_says_what_it_found_and_the_next_poll_uses_it(bot):
    # Slack sends a typed URL as <url>, with & escaped
    bot.feeds.put("/wire.xml?a=1&b=2", rss(WIRE, title="Sahel Wire"))
    answer = bot.say(f"sources add <{bot.url('/wire.xml?a=1&amp;b=2')}> sahel-wire")
    assert "Added source `sahel-wire`: Sahel Wire — 2 items in the feed now" in answer, answer
    assert bot.feeds.hits["/wire.xml?a=1&b=2"] == 1
    [row] = bot.services.store.team_changes(scope="source")
    assert (row.team, row.action, row.user_id) == ("sahel-wire", "add", ADMIN)
    assert bot.live() == {"seed": True, "sahel-wire": True}
    assert bot.services.store.team_changes() == []  # no team sees a source row as a watch change

    report = pipeline.poll(bot.services, now=datetime.now(UTC))  # no restart: the live list
    assert report.polled == 2 and report.new_items == 3 and not report.errors
    assert {s.id for s in bot.services.store.source_states()} == {"seed", "sahel-wire"}


def test_a_worker_schedules_added_sources_and_drops_paused_ones(bot):
    sched = scheduler.build(bot.services, build_delivery(bot.services, build_poster(bot.services.settings)))
    assert sched.get_job("poll:seed") and not sched.get_job("poll:sahel-wire")
    bot.say(f"sources add {bot.url('/wire.xml')} sahel-wire")
    bot.say("sources pause seed")
    sched.get_job("source-sync").func()  # what the running worker does every minute
    assert sched.get_job("poll:sahel-wire") and not sched.get_job("poll:seed")


def test_bad_input_and_unusable_feeds_get_a_clear_error_and_change_nothing(bot):
    cases = {
        "sources add": "Say `/lookout sources add &lt;feed URL&gt; [name]`",  # as Slack shows <>
        "sources add ftp://example.org/feed": "is not a feed address",
        f"sources add {bot.url('/wire.xml')} Bad/Name": "cannot name a source",
        f"sources add {bot.url('/wire.xml')} seed": "There is already a source `seed`",
        f"sources add {bot.url('/seed.xml')} again": "That feed is already polled as `seed`",
        f"sources add {bot.url('/page.html')} page": "HTML page, not a feed",
        f"sources add {bot.url('/missing.xml')} gone": "HTTP 404",
        "sources add http://169.254.169.254/latest/meta-data/ meta": "cloud metadata",
        "sources add http://10.1.2.3/feed.xml lan": "private",
        "sources pause nosuch": "There is no source `nosuch`. Sources: `seed`",
        "sources rename seed": "I don't know `sources rename`",
    }
    for text, expected in cases.items():
        answer = bot.say(text)
        assert expected in answer, (text, answer)
        assert "Nothing was changed" in answer or "Usage" in answer, (text, answer)
    assert bot.live() == {"seed": True} and bot.services.store.team_changes(scope="source") == []


def test_pause_resume_remove_are_audited_and_shown_without_credentials(bot):
    url = bot.url("/wire.xml?api_key=s3cr3t-key&lang=fr", auth="reader:hunter2@")
    bot.feeds.put("/wire.xml?api_key=s3cr3t-key&lang=fr", rss(WIRE))
    added = bot.say(f"sources add {url} wire")
    assert "Added source `wire`" in added and "hunter2" not in added and "s3cr3t" not in added
    assert f"(http://***@{PUBLIC}:{bot.port}/wire.xml?api_key=***&amp;lang=fr)" in added, added

    pipeline.poll(bot.services, now=datetime.now(UTC))
    assert "Paused source `seed`" in bot.say("sources pause seed")
    assert "already paused" in bot.say("sources pause seed")
    assert "⏸ *seed* — paused · 1 items" in bot.say("sources", user="U1")
    pipeline.poll(bot.services, force=True, now=datetime.now(UTC))
    assert bot.feeds.hits["/seed.xml"] == 1  # paused: not fetched again
    assert "Resumed source `seed`" in bot.say("sources resume seed")
    assert "Removed source `wire`" in bot.say("sources remove wire")
    assert bot.live() == {"seed": True}

    history = bot.say("sources history", user="U1").splitlines()
    assert history[0] == "Latest source changes (newest first):"
    assert [line.split(": ", 1)[1] for line in history[1:]] == [
        "removed source wire",
        "resumed source seed",
        "paused source seed",
        f"added source wire (http://***@{PUBLIC}:{bot.port}/wire.xml?api_key=***&amp;lang=fr)",
    ]
    assert all(f"<@{ADMIN}>" in line for line in history[1:])
    assert "hunter2" not in "".join(history) and "s3cr3t" not in "".join(history)


# ---- the replay and the shown URL, without Slack ---------------------------------------------


def test_the_live_list_is_the_seed_with_changes_replayed_and_bad_rows_skipped():
    seed = [SourceConfig(id="seed", kind="atom", url="https://example.org/atom")]
    rows = [
        TeamChange("wire", "add", "source", "https://example.org/wire.xml", ADMIN, scope="source"),
        TeamChange("seed", "pause", "source", "", ADMIN, scope="source"),
        TeamChange("Bad Id", "add", "source", "https://example.org/x", ADMIN, scope="source"),
        TeamChange("wire", "remove", "source", "", ADMIN, scope="source"),
        TeamChange("wire", "add", "source", "https://example.org/wire2.xml", ADMIN, scope="source"),
    ]
    live = effective_sources(seed, rows)
    assert [(s.id, s.kind, s.url, s.enabled) for s in live] == [
        ("seed", "atom", "https://example.org/atom", False),
        ("wire", "rss", "https://example.org/wire2.xml", True),
    ]


@pytest.mark.parametrize(
    "typed, url",
    [
        ("<https://example.org/feed?a=1&amp;b=2|example.org/feed>", "https://example.org/feed?a=1&b=2"),
        ("HTTPS://Example.org/Feed", "https://Example.org/Feed"),
    ],
)
def test_urls_as_slack_sends_them(typed, url):
    assert clean_url(typed) == url


def test_shown_urls_carry_no_credentials():
    shown = redact("https://u:p%40ss@example.org:8443/rss?Token=abc&q=mali&api_key=x#frag")
    assert shown == "https://***@example.org:8443/rss?Token=***&q=mali&api_key=***#frag"
