"""Article text: extraction from real-looking pages, and enrichment through fetch()."""

from __future__ import annotations

from bot.config import SourceConfig
from bot.fetch.article import extract_article
from bot.fetch.http import Limits, SafeHttp
from bot.fetch.source import FetchState, fetch
from tests import sources_fakes as fk
from tests.news import jsonl

HTTP = SafeHttp(limits=Limits(total_timeout=5), resolver=fk.fake_resolver({}))


def _page(entry: dict, *, canonical: str, paragraphs: int = 6) -> bytes:
    body = "".join(
        f"<p>{entry['description']} Paragraph {n} adds detail on the events, "
        f"the toll and what officials said.</p>"
        for n in range(paragraphs)
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>{entry["title"]} - BBC News</title>'
        f'<link rel="canonical" href="{canonical}">'
        f'<meta property="article:published_time" content="{entry["date_published"]}">'
        "</head><body><header><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></header>"
        f"<main><article><h1>{entry['title']}</h1>{body}</article></main>"
        "<aside>Most read: unrelated story one, unrelated story two</aside>"
        "<footer>Copyright 2025. Cookies. Privacy.</footer></body></html>"
    ).encode()


def test_main_text_without_navigation_canonical_and_date():
    entry = jsonl("bbc-africa.jsonl")[0]
    page = _page(entry, canonical=entry["link"])
    article = extract_article(page, url=entry["link"] + "?at_medium=RSS")
    assert article is not None
    assert entry["description"] in article.text and "Paragraph 5" in article.text
    assert "Most read" not in article.text and "Cookies" not in article.text
    assert article.canonical_url == entry["link"]
    assert article.published is not None and article.published.tzinfo is not None


def test_canonical_on_another_site_is_ignored():
    entry = jsonl("bbc-africa.jsonl")[1]
    article = extract_article(
        _page(entry, canonical="https://evil.example.net/x"), url="https://www.bbc.com/news/articles/abc"
    )
    assert article is not None and article.canonical_url is None


def test_fetch_article_sources_get_text_only_for_new_items():
    entries = jsonl("bbc-africa.jsonl")[:3]
    with fk.serve() as web:
        routes = web.routes
        local = [dict(e, link=web.url(f"/article/{n}")) for n, e in enumerate(entries)]
        routes["/feed"] = fk.feed(fk.rss_from_entries(local))
        for n, e in enumerate(local):
            routes[f"/article/{n}"] = fk.feed(
                _page(e, canonical=e["link"]), content_type="text/html", etag=None
            )
        source = SourceConfig(id="bbc", kind="rss", url=web.url("/feed"), fetch_article=True)
        known = {local[0]["link"] + "#0"}
        result = fetch(source, FetchState(), http=_public(web), is_new=lambda sid, guid: guid not in known)
    assert result.ok, result.error
    first, *rest = result.items
    assert first.text == "" and web.hits["/article/0"] == 0
    assert all("Paragraph 3" in i.text for i in rest)
    assert web.hits["/article/1"] == 1 and web.hits["/article/2"] == 1


def test_article_links_into_private_networks_are_not_fetched():
    body = fk.rss_from_entries(
        [
            {
                "title": "t",
                "description": "d",
                "link": "http://169.254.169.254/latest/meta-data/",
                "date_published": "2025-02-13T01:35:51+00:00",
            }
        ]
    )
    http = SafeHttp(
        limits=Limits(total_timeout=5), resolver=fk.fake_resolver({"news.example.com": "127.0.0.1"})
    )
    with fk.serve({"/feed": fk.feed(body)}) as web:
        exempt = SafeHttp(
            limits=http.limits,
            resolver=fk.fake_resolver({"news.example.com": "127.0.0.1"}),
            exempt=frozenset({("127.0.0.1", web.port)}),
        )
        source = SourceConfig(
            id="s", kind="rss", url=web.url("/feed", "news.example.com"), fetch_article=True
        )
        with fk.ConnectLog.record() as connects:
            result = fetch(source, FetchState(), http=exempt)
    assert result.ok and result.items[0].text == ""
    assert all(addr[0] != "169.254.169.254" for addr in connects)


def test_pages_that_fail_leave_the_feed_item_as_it_was():
    entry = jsonl("bbc-africa.jsonl")[0]
    with fk.serve({}) as web:
        local = dict(entry, link=web.url("/missing"))
        web.routes["/feed"] = fk.feed(fk.rss_from_entries([local]))
        source = SourceConfig(id="s", kind="rss", url=web.url("/feed"), fetch_article=True)
        result = fetch(source, FetchState(), http=_public(web))
    assert result.ok and result.items[0].summary and result.items[0].text == ""
    assert web.hits["/missing"] == 1


def test_allow_private_covers_the_feed_not_its_article_links():
    """A local feed (allow_private) whose items link to another local service and to cloud
    metadata: the feed is read, no link is followed."""
    entry = jsonl("bbc-africa.jsonl")[0]
    with fk.serve({"/admin": fk.feed(_page(entry, canonical="x"), content_type="text/html")}) as other:
        links = [other.url("/admin"), "http://169.254.169.254/latest/meta-data/"]
        body = fk.rss_from_entries([dict(entry, link=link, title=f"t{n}") for n, link in enumerate(links)])
        with fk.serve({"/feed": fk.feed(body)}) as web:
            source = SourceConfig(
                id="s", kind="rss", url=web.url("/feed"), allow_private=True, fetch_article=True
            )
            with fk.ConnectLog.record() as connects:
                result = fetch(source, FetchState(), http=HTTP)
        assert result.ok, result.error
        assert [i.text for i in result.items] == ["", ""]
        assert other.hits["/admin"] == 0
        assert all(addr[0] != "169.254.169.254" for addr in connects)


def _public(web: fk.FakeWeb) -> SafeHttp:
    """A client that treats the fake server as a public host, as the internet would be."""
    exempt = frozenset({("127.0.0.1", web.port)})
    return SafeHttp(limits=HTTP.limits, resolver=fk.fake_resolver({}), exempt=exempt)
