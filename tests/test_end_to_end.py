"""Feed item published → poll → exactly one post in the right channel, through the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.fakes.feeds import rss
from tests.news import SEED_TITLE, seed_text

SOMALIA_ITEM = {
    "guid": "so-1",
    "title": "Al-Shabaab fighters attack checkpoint near Mogadishu",
    "description": "Al-Shabaab militants attacked a police checkpoint near Mogadishu, Somalia.",
    "pubDate": "Mon, 23 Nov 2026 09:30:00 +0000",
}
TEAMS = """
teams:
  - name: sahel
    channel: "#sahel-alerts"
    watch: {regions: [Sahel]}
  - name: jnim
    channel: "#aq-affiliates"
    watch: {groups: [JNIM]}
  - name: somalia
    channel: "#somalia"
    watch: {regions: [Somalia]}
"""


@pytest.fixture
def seed_item() -> dict:
    return {
        "guid": "seed-1",
        "title": SEED_TITLE,
        "link": "https://example.org/jnim-boulikessi",
        "description": seed_text(),
        "pubDate": "Mon, 23 Nov 2026 08:10:00 +0000",
    }


@pytest.fixture
def setup(tmp_path, feeds, fake_slack, data_dir):
    url = feeds.put("/feed.xml", rss([]))
    (tmp_path / "sources.yaml").write_text(
        f"sources:\n  - {{id: wire, kind: rss, url: '{url}', allow_private: true}}\n"
    )
    (tmp_path / "teams.yaml").write_text(TEAMS)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    env |= {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_API_URL": fake_slack.base_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'lookout.db'}",
        "LOOKOUT_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(REPO),
    }
    return tmp_path, env


def lookout(config: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=config,
    )


def test_feed_to_slack_exactly_once(setup, feeds, fake_slack, seed_item):
    config, env = setup
    feeds.put("/feed.xml", rss([seed_item, SOMALIA_ITEM]))
    first = lookout(config, env, "poll", "--once")
    assert first.returncode == 0, first.stderr

    [sahel] = fake_slack.top_level("#sahel-alerts")
    [jnim] = fake_slack.top_level("#aq-affiliates")
    [somalia] = fake_slack.top_level("#somalia")
    assert "Army Camp in Central Mali" in sahel["text"] and "Mogadishu" in somalia["text"]
    first_block = sahel["blocks"][0]["text"]["text"]
    assert "<https://example.org/jnim-boulikessi|" in first_block
    assert sahel["metadata"]["event_type"] == "lookout_alert"
    fields = repr(jnim["blocks"])
    assert "JNIM" in fields and "al-Qaeda" in fields

    again = lookout(config, env, "poll", "--once")  # same feed, and a fresh process
    assert again.returncode == 0, again.stderr
    assert len(fake_slack.calls_to("chat.postMessage")) == 3


def test_new_item_later_is_posted_once(setup, feeds, fake_slack, seed_item):
    config, env = setup
    feeds.put("/feed.xml", rss([SOMALIA_ITEM]))
    assert lookout(config, env, "poll", "--once").returncode == 0
    feeds.put("/feed.xml", rss([seed_item, SOMALIA_ITEM]))
    assert lookout(config, env, "poll", "--once").returncode == 0
    assert len(fake_slack.top_level("#somalia")) == 1
    assert len(fake_slack.top_level("#sahel-alerts")) == 1


def test_bad_config_is_one_clear_line_and_exit_2(setup):
    config, env = setup
    (config / "teams.yaml").write_text(TEAMS.replace("[Sahel]", "[Sahell]"))
    result = lookout(config, env, "check-config")
    assert result.returncode == 2
    assert result.stderr == (
        f'{config}/teams.yaml:5: team "sahel": watch.regions: '
        'unknown region "Sahell"; did you mean "Sahel"?\n'
    )
    assert "Traceback" not in result.stderr
    result = lookout(config, env, "poll", "--once")
    assert result.returncode == 2 and "Sahell" in result.stderr


def test_console_mode_without_token(setup, feeds, seed_item):
    config, env = setup
    del env["SLACK_BOT_TOKEN"]
    feeds.put("/feed.xml", rss([seed_item]))
    result = lookout(config, env, "poll", "--once")
    assert result.returncode == 0, result.stderr
    assert "sahel → #sahel-alerts" in result.stdout
    assert SEED_TITLE in result.stdout


def closed_url(path: str) -> str:
    """A URL on a port nothing listens on: connection refused at once."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


def test_poll_once_says_what_is_left_and_fails_only_when_every_source_failed(setup, feeds, fake_slack):
    config, env = setup
    feeds.put("/feed.xml", rss([SOMALIA_ITEM]))
    dead = closed_url("/dead.xml")
    (config / "sources.yaml").write_text(
        "sources:\n"
        f"  - {{id: wire, kind: rss, url: '{feeds.url('/feed.xml')}', allow_private: true}}\n"
        f"  - {{id: dead, kind: rss, url: '{dead}', allow_private: true}}\n"
    )
    fake_slack.fail("chat.postMessage", status=503)  # the card waits out a retry
    some = lookout(config, env, "poll", "--once")
    assert some.returncode == 0, some.stderr  # one source answered: not a failed run
    assert some.stderr.count("connection refused") == 1  # logged once, not repeated
    assert "1 alert still queued, the worker will send it" in some.stderr

    (config / "sources.yaml").write_text(
        f"sources:\n  - {{id: dead, kind: rss, url: '{dead}', allow_private: true}}\n"
        f"  - {{id: gone, kind: rss, url: '{closed_url('/gone.xml')}', allow_private: true}}\n"
    )
    none = lookout(config, env, "poll", "--once")
    assert none.returncode == 1, none.stderr
    assert none.stderr.count("source dead failed") == none.stderr.count("source gone failed") == 1
    assert "every source failed (2)" in none.stderr
