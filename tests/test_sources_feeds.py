"""Feed parsing on entries shaped as BBC, Al Jazeera and AllAfrica serve them, and on broken or
hostile XML."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import FeedError
from bot.fetch.feeds import parse_feed
from tests.news import feed_path, jsonl
from tests.sources_fakes import rdf_from_entries, rss_from_entries

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_bbc_world_raw_rss_parses_every_item_with_utc_dates_and_language():
    body = feed_path("bbc-world.xml").read_bytes()
    items = parse_feed(body, source_id="bbc-world", now=NOW)
    assert len(items) == body.count(b"<item>")
    assert all(i.published and i.published.tzinfo == UTC for i in items)
    assert all(re.search(r"#\d+$", i.guid) for i in items)  # BBC's "#0"/"#1" GUIDs, as given
    assert {i.language for i in items} == {"en-gb"}
    assert not any("<![CDATA[" in i.title or "<" in i.summary for i in items)


def test_aljazeera_guids_are_the_non_permalink_ids():
    body = feed_path("aljazeera.xml").read_bytes()
    items = parse_feed(body, source_id="aje", now=NOW)
    assert len(items) == body.count(b"<item>")
    assert all(i.guid.startswith("https://www.aljazeera.com/?t=") for i in items)
    assert all(i.url.startswith("https://www.aljazeera.com/") for i in items)


def test_bbc_africa_entries_as_rss_round_trip():
    entries = jsonl("bbc-africa.jsonl")
    items = parse_feed(rss_from_entries(entries), source_id="bbc-africa", now=NOW)
    assert [i.url for i in items] == [e["link"] for e in entries]
    for item, entry in zip(items, entries, strict=True):
        assert item.published == datetime.fromisoformat(entry["date_published"])
        assert item.title == " ".join(entry["title"].split())


def test_allafrica_rdf_double_escaped_entities_become_plain_text():
    entries = jsonl("allafrica.jsonl")
    escaped = [e for e in entries if "&#x26;amp;" in e["description"]]
    assert escaped, "the AllAfrica fixture carries double-escaped ampersands"
    items = parse_feed(rdf_from_entries(entries), source_id="allafrica", now=NOW)
    assert len(items) == len(entries)
    by_url = {i.url: i for i in items}
    for entry in escaped:
        summary = by_url[entry["link"]].summary
        assert "&" in summary
        assert "&amp;" not in summary and "&#x26;" not in summary


def test_atom_and_json_feed_from_real_entries():
    entries = jsonl("bbc-africa.jsonl")[:5]
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>t</title>"
        + "".join(
            f'<entry><id>{e["link"]}</id><title type="html">&lt;b&gt;{e["title"]}&lt;/b&gt;'
            f'</title><link href="{e["link"]}"/><updated>{e["date_published"]}</updated>'
            f"<summary>{e['description']}</summary></entry>"
            for e in entries
        )
        + "</feed>"
    ).encode()
    jf = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "t",
            "items": [
                {
                    "id": e["link"],
                    "url": e["link"],
                    "title": e["title"],
                    "content_html": f"<p>{e['description']}</p>",
                    "date_published": e["date_published"],
                }
                for e in entries
            ],
        }
    ).encode()
    for body in (atom, jf):
        items = parse_feed(body, source_id="s", now=NOW)
        assert [i.guid for i in items] == [e["link"] for e in entries]
        assert all("<" not in i.title and i.summary for i in items)


def _rss(items: str) -> bytes:
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()
    )


def test_dates_future_clamped_unparsable_none():
    future = (NOW + timedelta(days=400)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    body = _rss(
        f"<item><title>a</title><link>http://x/a</link><pubDate>{future}</pubDate></item>"
        "<item><title>b</title><link>http://x/b</link><pubDate>yesterday-ish</pubDate></item>"
    )
    a, b = parse_feed(body, source_id="s", now=NOW)
    assert a.published == NOW
    assert b.published is None


def test_items_without_guid_or_link_get_a_stable_content_hash():
    body = _rss("<item><title>Attack in Mopti</title><description>d</description></item>")
    first = parse_feed(body, source_id="s", now=NOW)
    again = parse_feed(body, source_id="s", now=NOW)
    assert first[0].guid.startswith("sha256:") and first[0].guid == again[0].guid


def test_duplicate_guids_inside_one_feed_keep_the_first():
    body = _rss(
        "<item><guid>g1</guid><title>first</title></item><item><guid>g1</guid><title>second</title></item>"
    )
    assert [i.title for i in parse_feed(body, source_id="s")] == ["first"]


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;">]><rss><channel><item><title>&c;</title></item></channel></rss>',
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "' + b"A" * 50_000 + b'">]><rss><channel>'
        b"<item><title>" + b"&x;" * 1000 + b"</title></item></channel></rss>",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<rss><channel><item><title>&x;</title></item></channel></rss>",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd">%p;]>'
        b"<rss><channel></channel></rss>",
    ],
    ids=["billion-laughs", "quadratic-blowup", "xxe-file", "xxe-parameter-entity"],
)
def test_entity_attacks_are_refused(body):
    with pytest.raises(FeedError, match="refused XML"):
        parse_feed(body, source_id="s")


def test_truncated_xml_is_an_error_not_a_half_item():
    body = feed_path("bbc-world.xml").read_bytes()
    with pytest.raises(FeedError, match="truncated"):
        parse_feed(body[: len(body) // 2], source_id="s")


def test_html_page_is_not_a_feed():
    with pytest.raises(FeedError, match="HTML"):
        parse_feed(b"<!DOCTYPE html><html><body><p>Welcome</p></body></html>", source_id="s")


def test_empty_feed_and_empty_body():
    assert parse_feed(_rss(""), source_id="s") == []
    with pytest.raises(FeedError, match="empty"):
        parse_feed(b"  \n", source_id="s")


def test_wrong_charset_is_repaired():
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        "<item><title>Attaque à Ségou</title><link>http://x/1</link></item>"
        "</channel></rss>"
    ).encode("latin-1")
    (item,) = parse_feed(body, source_id="s", header_charset="iso-8859-1")
    assert item.title == "Attaque à Ségou"
    (again,) = parse_feed(body, source_id="s")  # no header hint: Windows-1252 fallback
    assert again.title == "Attaque à Ségou"


def test_broken_but_complete_feed_is_still_read():
    body = _rss("<item><title>Rock & Roll</title><link>http://x/1</link></item>")
    (item,) = parse_feed(body, source_id="s")
    assert item.url == "http://x/1"


def test_a_body_that_is_a_url_is_never_fetched_by_the_parser():
    """fastfeedparser downloads a *str* starting with http; we only ever hand it bytes."""
    from tests.sources_fakes import ConnectLog, feed, serve

    with serve({"/secret": feed(_rss("<item><title>secret</title></item>"))}) as web:
        with ConnectLog.record() as connects, pytest.raises(FeedError):
            parse_feed(web.url("/secret").encode(), source_id="s")
        assert web.hits["/secret"] == 0 and connects == []
