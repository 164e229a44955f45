"""The fault suite: one faulty or hostile source in a cycle with two good ones.

Each case asserts the cycle finishes, the good sources are unaffected, the
faulty one's health is recorded as expected, and a second cycle yields no
item twice. Everything is served from 127.0.0.1; a fake resolver makes
`news.example.com` look public while pointing at the local server, so the
address guard runs exactly as it would in production.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import SourceConfig
from bot.fetch.health import SourceHealth, next_delay, update
from bot.fetch.http import Limits, SafeHttp
from bot.fetch.pool import fetch_many
from bot.fetch.source import FetchResult, FetchState
from tests import sources_fakes as fk
from tests.news import jsonl

LIMITS = Limits(connect_timeout=0.5, read_timeout=1.0, total_timeout=1.5, max_bytes=512 * 1024)
PUBLIC = "news.example.com"  # resolves to the fake server, exempted like a public address
NOW = datetime.now(UTC)


def _rss(items: str) -> bytes:
    return (
        b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        + items.encode()
        + b"</channel></rss>"
    )


@dataclass(frozen=True)
class Fault:
    name: str
    route: Callable[[], fk.Handler] | None = None  # served at /fault
    url: Callable[[fk.FakeWeb, dict[str, int]], str] | None = None  # instead of /fault
    error: str | None = None  # regex on the recorded error; None means the fetch succeeds
    items: int | None = None  # expected item count on success
    retry_after: float | None = None
    allow_private: bool = False
    state: FetchState = field(default_factory=FetchState)
    check: Callable[[FetchResult], None] | None = None


def _future_and_bad_dates(result: FetchResult) -> None:
    by_title = {i.title: i for i in result.items}
    assert by_title["future"].published <= datetime.now(UTC) + timedelta(minutes=1)
    assert by_title["garbage"].published is None


def _charset_repaired(result: FetchResult) -> None:
    assert [i.title for i in result.items] == ["Attaque à Ségou"]


def _hashed_guids(result: FetchResult) -> None:
    assert all(i.guid.startswith("sha256:") for i in result.items)


LOOP = {"/loop-a": fk.redirect("/loop-b"), "/loop-b": fk.redirect("/loop-a")}
CHAIN = {"/hop1": fk.redirect("/hop2", 301), "/hop2": fk.redirect("/fault-ok", 302)}
ONE_ITEM = _rss("<item><guid>g1</guid><title>one</title><link>http://x/1</link></item>")

FAULTS = [
    Fault(
        "connection-refused",
        url=lambda web, p: f"http://127.0.0.1:{p['refused']}/rss",
        allow_private=True,
        error="connection refused",
    ),
    Fault("dns-failure", url=lambda web, p: "http://feeds.lookout.invalid/rss", error="DNS lookup failed"),
    Fault(
        "connect-timeout",
        url=lambda web, p: f"http://127.0.0.1:{p['stuck']}/rss",
        allow_private=True,
        error="timed out|too slow",
    ),
    Fault("slow-trickle", route=lambda: fk.trickle(ONE_ITEM * 20, every=0.05), error="too slow"),
    Fault("http-500", route=lambda: fk.status(500), error="HTTP 500"),
    Fault("http-404", route=lambda: fk.status(404), error="HTTP 404"),
    Fault(
        "http-503-retry-after",
        route=lambda: fk.status(503, {"Retry-After": "120"}),
        error="HTTP 503",
        retry_after=120,
    ),
    Fault(
        "http-429-retry-after",
        route=lambda: fk.status(429, {"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"}),
        error="HTTP 429",
        retry_after=24 * 3600,
    ),
    Fault("redirect-chain-301-302", url=lambda web, p: web.url("/hop1", PUBLIC), items=1),
    Fault("redirect-loop", url=lambda web, p: web.url("/loop-a", PUBLIC), error="redirect loop"),
    Fault("redirect-to-loopback", route=lambda: fk.redirect("http://127.0.0.2:8080/admin"), error="loopback"),
    Fault(
        "redirect-to-metadata",
        route=lambda: fk.redirect("http://169.254.169.254/latest/meta-data/iam"),
        error="cloud metadata",
    ),
    Fault("private-address-in-config", url=lambda web, p: "http://10.0.0.1/rss", error="private"),
    Fault(
        "not-modified-304",
        route=lambda: fk.feed(ONE_ITEM, etag='"v7"'),
        state=FetchState(etag='"v7"'),
        items=0,
    ),
    Fault("huge-body", route=lambda: fk.huge(5 * 1024 * 1024), error="larger than"),
    Fault("gzip-bomb", route=lambda: fk.gzip_bomb(64 * 1024 * 1024), error="after decompression"),
    Fault(
        "unknown-content-encoding",
        route=lambda: lambda h: fk.send(h, 200, b"x", "text/xml", {"Content-Encoding": "br"}),
        error="Content-Encoding",
    ),
    Fault(
        "billion-laughs",
        route=lambda: fk.feed(
            b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;">]><rss><channel><item><title>&c;</title></item>'
            b"</channel></rss>"
        ),
        error="refused XML",
    ),
    Fault(
        "xxe-local-file",
        route=lambda: fk.feed(
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<rss><channel><item><title>&x;</title></item></channel></rss>"
        ),
        error="refused XML",
    ),
    Fault("truncated-xml", route=lambda: fk.feed(ONE_ITEM * 1 + b"<item><title>cut"), error="truncated"),
    Fault(
        "html-served-as-feed",
        route=lambda: fk.feed(
            b"<!DOCTYPE html><html><head><title>Welcome</title></head><body>hi</body></html>",
            content_type="text/html",
        ),
        error="HTML page",
    ),
    Fault("empty-body", route=lambda: fk.feed(b""), error="empty"),
    Fault(
        "wrong-charset",
        route=lambda: fk.feed(
            _rss("<item><title>Attaque à Ségou</title><link>http://x/s</link></item>")
            .replace("à".encode(), b"\xe0")
            .replace("é".encode(), b"\xe9"),
            etag=None,
        ),
        items=1,
        check=_charset_repaired,
    ),
    Fault("empty-feed", route=lambda: fk.feed(_rss("")), items=0),
    Fault(
        "duplicate-guids",
        route=lambda: fk.feed(
            _rss(
                "<item><guid>same</guid><title>a</title></item>"
                "<item><guid>same</guid><title>b</title></item>"
                "<item><guid>other</guid><title>c</title></item>"
            ),
            etag=None,
        ),
        items=2,
    ),
    Fault(
        "no-guid-no-link",
        route=lambda: fk.feed(
            _rss(
                "<item><title>only a title</title></item>"
                "<item><description>only a description</description></item>"
            ),
            etag=None,
        ),
        items=2,
        check=_hashed_guids,
    ),
    Fault(
        "future-and-unparsable-dates",
        route=lambda: fk.feed(
            _rss(
                "<item><title>future</title><link>http://x/f</link>"
                "<pubDate>Fri, 01 Jan 2100 00:00:00 GMT</pubDate></item>"
                "<item><title>garbage</title><link>http://x/g</link><pubDate>31/31/31</pubDate></item>"
            ),
            etag=None,
        ),
        items=2,
        check=_future_and_bad_dates,
    ),
]


@pytest.fixture(scope="module")
def good_feeds():
    return {
        "/bbc-africa": fk.feed(fk.rss_from_entries(jsonl("bbc-africa.jsonl"))),
        "/allafrica": fk.feed(
            fk.rdf_from_entries(jsonl("allafrica.jsonl")),
            etag=None,
            last_modified="Thu, 13 Feb 2025 05:00:00 GMT",
        ),
    }


def _cycle(sources, states, http, healths):
    results = {r.source_id: r for r in fetch_many(sources, states, http=http, max_workers=4)}
    assert set(results) == {s.id for s in sources}  # the cycle finished for every source
    for sid, result in results.items():
        healths[sid], _ = update(healths.get(sid, SourceHealth()), result, now=NOW)
        states[sid] = result.state
    return results


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_fault(fault: Fault, good_feeds):
    routes = {**good_feeds, **LOOP, **CHAIN, "/fault-ok": fk.feed(ONE_ITEM)}
    if fault.route:
        routes["/fault"] = fault.route()
    with fk.serve(routes) as web, fk.refusing_port() as refused, fk.unaccepting_port() as stuck:
        ports = {"refused": refused, "stuck": stuck}
        http = SafeHttp(
            limits=LIMITS,
            resolver=fk.fake_resolver({PUBLIC: "127.0.0.1"}),
            exempt=frozenset({("127.0.0.1", web.port)}),
        )
        url = fault.url(web, ports) if fault.url else web.url("/fault", PUBLIC)
        sources = [
            SourceConfig(id="faulty", kind="rss", url=url, allow_private=fault.allow_private),
            SourceConfig(id="bbc-africa", kind="rss", url=web.url("/bbc-africa", PUBLIC)),
            SourceConfig(id="allafrica", kind="rdf", url=web.url("/allafrica", PUBLIC)),
        ]
        states: dict[str, FetchState] = {"faulty": fault.state}
        healths: dict[str, SourceHealth] = {}
        first = _cycle(sources, states, http, healths)
        second = _cycle(sources, states, http, healths)
        http.close()

    # the good sources are unaffected: full first cycle, then cheap conditional GETs
    assert len(first["bbc-africa"].items) == 20 and len(first["allafrica"].items) == 12
    assert second["bbc-africa"].not_modified and second["allafrica"].not_modified
    assert healths["bbc-africa"].healthy and healths["bbc-africa"].consecutive_failures == 0

    faulty, health = first["faulty"], healths["faulty"]
    if fault.error:
        assert not faulty.ok and re.search(fault.error, faulty.error), faulty.error
        assert health.consecutive_failures == 2 and health.last_error == second["faulty"].error
        assert health.last_success is None
        if fault.retry_after is not None:
            assert faulty.retry_after == fault.retry_after
            assert next_delay(300, health, retry_after=faulty.retry_after) >= fault.retry_after
    else:
        assert faulty.ok, faulty.error
        assert len(faulty.items) == fault.items
        assert health.healthy and health.consecutive_failures == 0 and health.last_success
        if fault.check:
            fault.check(faulty)

    # nothing twice: within a result, and across the two cycles
    for result in first.values():
        guids = [i.guid for i in result.items]
        assert len(guids) == len(set(guids))
    seen = {(r.source_id, i.guid) for r in first.values() for i in r.items}
    again = {(r.source_id, i.guid) for r in second.values() for i in r.items}
    assert again <= seen


def test_fault_suite_covers_at_least_twenty_behaviours():
    assert len({f.name for f in FAULTS}) >= 20
