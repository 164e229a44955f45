"""Text from feeds and users cannot ping, mention or disguise links in Slack."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.deliver import render
from bot.deliver.escape import ZWJ, link, mrkdwn, safe_url

HOSTILE = [
    "<!channel> Breaking",
    "<!here|here> now",
    "<!everyone>",
    "<@U012345> look",
    "<#C012345|general>",
    "<https://evil.example|bank.com>",
    "Tom & Jerry <b>",
    "<!subteam^S123|@oncall>",
]


@pytest.mark.parametrize("title", HOSTILE)
def test_control_sequences_are_neutralised(title):
    out = mrkdwn(title)
    assert "<" not in out and ">" not in out
    assert "&amp;" in out if "&" in title else True


@pytest.mark.parametrize("word", ["@here", "@channel", "@everyone", "@HERE"])
def test_plain_broadcast_words_cannot_ping(word):
    assert mrkdwn(f"hello {word}!") == f"hello @{ZWJ}{word[1:]}!"


def test_link_label_cannot_pose_as_another_url():
    out = link("https://evil.example/x", "https://bank.com/login")
    assert out.startswith("<https://evil.example/x|")
    label = out.split("|", 1)[1]
    assert "https://bank.com" not in label


def test_link_url_cannot_break_out():
    out = link("https://a.example/x|<!channel>", "t")
    assert out.count("<") == 1 and out.count("|") == 1 and "!channel" not in out.split("|")[1]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "ftp://x/y", ""])
def test_non_http_urls_are_not_linked(url):
    assert safe_url(url) is None
    assert link(url, "title") == "title"


def test_control_characters_and_bidi_overrides_are_dropped():
    assert mrkdwn("a\x1b[31mb\u202ec") == "a[31mbc"


def test_limit_cuts_before_escaping():
    assert mrkdwn("a" * 50, limit=10) == "a" * 9 + "…"


def test_hostile_card_has_no_live_control_sequences():
    card = render.Card(
        alert_id=1,
        story_id="s1",
        title="<!channel> <https://evil|bank.com> @here",
        url="https://example.org/a",
        source="<@U1> wire",
        published=datetime(2026, 1, 1, tzinfo=UTC),
        sentences=("<!everyone> read this",),
        places=("<#C1>",),
        regions=(),
        groups=("<!here>",),
        reasons=("<@U2>",),
    )
    blob = repr(render.card_blocks(card)) + render.card_text(card)
    for bad in ("<!channel>", "<!everyone>", "<!here>", "<@U1>", "<@U2>", "<#C1>", "|bank.com>"):
        assert bad not in blob
    assert "@here" not in blob.replace("@" + ZWJ, "")
