"""ReliefWeb and GDELT adapters against local servers speaking their JSON formats."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from bot.config import SourceConfig, Watch
from bot.fetch.gdelt import queries
from bot.fetch.http import Limits, SafeHttp
from bot.fetch.reliefweb import report_url
from bot.fetch.source import FetchState, fetch
from tests import sources_fakes as fk
from tests.news import jsonl

HTTP = SafeHttp(limits=Limits(total_timeout=5), resolver=fk.fake_resolver({}))


def _reliefweb_answer(entries):
    """The shape of GET /v2/reports with fields[include][] (ids are strings, dates ISO)."""
    return {
        "time": 12,
        "href": "https://api.reliefweb.int/v2/reports",
        "totalCount": len(entries),
        "count": len(entries),
        "data": [
            {
                "id": str(4100000 + n),
                "score": 1,
                "href": f"https://api.reliefweb.int/v2/reports/{4100000 + n}",
                "fields": {
                    "title": e["title"],
                    "body": f"<p>{e['description']}</p>",
                    "url_alias": f"https://reliefweb.int/report/world/{4100000 + n}",
                    "date": {"created": e["date_published"], "original": e["date_published"]},
                    "language": [{"id": 267, "name": "English", "code": "en"}],
                    "country": [{"iso3": "mli", "name": "Mali"}],
                },
            }
            for n, e in enumerate(entries)
        ],
    }


def test_reliefweb_url_filters_by_country_and_theme():
    url = report_url(
        "https://api.reliefweb.int/v2/reports",
        {
            "appname": "acme-lookout-x1",
            "countries": ["MLI", "bfa"],
            "themes": ["Peace and Security"],
            "limit": 20,
        },
    )
    q = parse_qs(urlsplit(url).query)
    assert q["appname"] == ["acme-lookout-x1"] and q["limit"] == ["20"]
    assert q["filter[conditions][0][field]"] == ["country.iso3"]
    assert q["filter[conditions][0][value][]"] == ["mli", "bfa"]
    assert q["filter[conditions][1][field]"] == ["theme.name"]
    assert q["filter[conditions][1][value][]"] == ["Peace and Security"]
    assert q["sort[]"] == ["date.created:desc"]


def test_reliefweb_reports_become_items_with_full_text():
    entries = jsonl("allafrica.jsonl")[:12]
    body = json.dumps(_reliefweb_answer(entries)).encode()
    with fk.serve({"/v2/reports": fk.feed(body, content_type="application/json")}) as web:
        source = SourceConfig(
            id="rw",
            kind="reliefweb",
            url=web.url("/v2/reports"),
            allow_private=True,
            params={"countries": ["mli"]},
        )
        result = fetch(source, FetchState(), http=HTTP)
    assert result.ok, result.error
    assert [i.title for i in result.items] == [" ".join(e["title"].split()) for e in entries]
    first = result.items[0]
    assert first.guid == "reliefweb:4100000" and first.language == "en"
    assert first.text and "<p>" not in first.text and first.published.tzinfo is not None


def test_reliefweb_refusal_is_a_clear_error():
    with fk.serve({"/v2/reports": fk.status(403, body=b'{"error": "AccessDenied"}')}) as web:
        source = SourceConfig(id="rw", kind="reliefweb", url=web.url("/v2/reports"), allow_private=True)
        result = fetch(source, FetchState(), http=HTTP)
    assert not result.ok and "HTTP 403" in result.error


def test_gdelt_one_query_per_watch_deduplicated():
    watches = [
        Watch(regions=["Sahel", "Burkina Faso"], groups=["JNIM"]),
        Watch(regions=["Sahel", "Burkina Faso"], groups=["JNIM"]),
        Watch(keywords=["kidnapping"]),
        Watch(regions=["ML"]),
    ]  # too short: skipped
    assert queries({"extra": "sourcelang:english"}, watches) == [
        '(Sahel OR "Burkina Faso" OR JNIM) sourcelang:english',
        "kidnapping sourcelang:english",
    ]
    assert queries({"query": "Mopti"}, watches) == ["Mopti"]


def test_gdelt_article_lists_merge_into_items():
    entries = jsonl("bbc-africa.jsonl")[:6]
    rows = [
        {
            "url": e["link"],
            "url_mobile": "",
            "title": e["title"],
            "seendate": e["date_published"][:19].replace("-", "").replace(":", "") + "Z",
            "socialimage": "",
            "domain": "bbc.com",
            "language": "English",
            "sourcecountry": "United Kingdom",
        }
        for e in entries
    ]
    seen_queries = []

    def answer(h):
        q = parse_qs(urlsplit(h.path).query)
        seen_queries.append(q["query"][0])
        assert q["mode"] == ["artlist"] and q["format"] == ["json"]
        part = rows[:4] if "JNIM" in q["query"][0] else rows[2:]  # overlapping answers
        fk.send(h, 200, json.dumps({"articles": part}).encode(), "application/json", {})

    watches = [Watch(groups=["JNIM"]), Watch(keywords=["kidnapping"])]
    with fk.serve({"/api/v2/doc/doc": answer}) as web:
        source = SourceConfig(id="gd", kind="gdelt", url=web.url("/api/v2/doc/doc"), allow_private=True)
        result = fetch(source, FetchState(), http=HTTP, watches=watches)
    assert result.ok, result.error
    assert seen_queries == ["JNIM", "kidnapping"]
    assert [i.url for i in result.items] == [e["link"] for e in entries]
    assert all(i.language == "en" and i.published.tzinfo for i in result.items)


def test_gdelt_plain_text_error_and_empty_answer():
    routes = {
        "/err": fk.feed(b"Your search contained a phrase that was too short.", content_type="text/html"),
        "/empty": fk.feed(b"", content_type="application/json"),
    }
    with fk.serve(routes) as web:
        bad = SourceConfig(
            id="gd", kind="gdelt", url=web.url("/err"), allow_private=True, params={"query": "Mali"}
        )
        empty = SourceConfig(
            id="gd2", kind="gdelt", url=web.url("/empty"), allow_private=True, params={"query": "Mali"}
        )
        r_bad, r_empty = fetch(bad, FetchState(), http=HTTP), fetch(empty, FetchState(), http=HTTP)
    assert not r_bad.ok and "other than JSON" in r_bad.error
    assert r_empty.ok and r_empty.items == ()


def test_gdelt_without_watches_asks_nothing():
    source = SourceConfig(id="gd", kind="gdelt", url="https://api.gdeltproject.org/api/v2/doc/doc")
    with fk.ConnectLog.record() as connects:
        result = fetch(source, FetchState(), http=HTTP)
    assert result.ok and result.items == () and connects == []
