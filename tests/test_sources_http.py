"""SafeHttp against local servers: politeness, limits, and the address guard."""

from __future__ import annotations

import time

import pytest

from bot.errors import FetchError
from bot.fetch.http import USER_AGENT, Limits, SafeHttp, parse_retry_after
from tests.sources_fakes import (
    ConnectLog,
    fake_resolver,
    feed,
    gzip_bomb,
    gzipped,
    huge,
    redirect,
    serve,
    status,
    trickle,
    unaccepting_port,
)

BODY = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
FAST = Limits(connect_timeout=0.5, read_timeout=1.0, total_timeout=1.5, max_bytes=256 * 1024)


@pytest.fixture
def http():
    client = SafeHttp(limits=FAST, resolver=fake_resolver({}))
    yield client
    client.close()


def test_user_agent_and_conditional_get(http):
    with serve({"/f": feed(BODY, etag='"abc"')}) as web:
        first = http.get(web.url("/f"), allow_private=True)
        again = http.get(web.url("/f"), allow_private=True, etag=first.headers["etag"])
    assert first.status == 200 and first.body == BODY
    assert again.status == 304 and again.body == b""
    assert web.user_agents == [USER_AGENT, USER_AGENT] and "Lookout/" in USER_AGENT


def test_gzip_body_is_decoded(http):
    with serve({"/f": gzipped(BODY)}) as web:
        assert http.get(web.url("/f"), allow_private=True).body == BODY


def test_gzip_bomb_stops_at_the_cap_after_decompression(http):
    with (
        serve({"/bomb": gzip_bomb(50 * 1024 * 1024)}) as web,
        pytest.raises(FetchError, match="after decompression"),
    ):
        http.get(web.url("/bomb"), allow_private=True)


def test_huge_body_is_cut(http):
    with serve({"/big": huge(20 * 1024 * 1024)}) as web, pytest.raises(FetchError, match="larger than"):
        http.get(web.url("/big"), allow_private=True)


@pytest.mark.parametrize("length", [True, False], ids=["content-length", "until-close"])
def test_trickling_server_is_cut_off_at_the_total_deadline(http, length):
    """Without a Content-Length the cut looks like the end of the body: still too slow."""
    with serve({"/slow": trickle(BODY * 10, every=0.1, length=length)}) as web:
        started = time.monotonic()
        with pytest.raises(FetchError, match="too slow"):
            http.get(web.url("/slow"), allow_private=True)
    assert time.monotonic() - started < FAST.total_timeout + 1.0


def test_connect_timeout(http):
    with unaccepting_port() as port:
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"timed out|too slow"):
            http.get(f"http://127.0.0.1:{port}/f", allow_private=True)
    assert time.monotonic() - started < FAST.total_timeout + 1.0


def test_redirect_chain_followed_and_loop_refused(http):
    routes = {
        "/a": redirect("/b", 301),
        "/b": redirect("/c", 302),
        "/c": feed(BODY),
        "/x": redirect("/y"),
        "/y": redirect("/x"),
    }
    with serve(routes) as web:
        assert http.get(web.url("/a"), allow_private=True).url == web.url("/c")
        with pytest.raises(FetchError, match="redirect loop"):
            http.get(web.url("/x"), allow_private=True)


def test_redirect_limit(http):
    routes = {f"/r{i}": redirect(f"/r{i + 1}") for i in range(10)}
    with serve(routes) as web:
        with pytest.raises(FetchError, match="more than 5 redirects"):
            http.get(web.url("/r0"), allow_private=True)
        assert web.hits["/r6"] == 0


def test_retry_after_seconds_and_date():
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412400.0) == 80
    assert parse_retry_after("soon") is None
    assert parse_retry_after("999999999") == 24 * 3600


def test_429_carries_retry_after(http):
    with serve({"/f": status(429, {"Retry-After": "30"})}) as web, pytest.raises(FetchError) as e:
        http.get(web.url("/f"), allow_private=True)
    assert e.value.status == 429 and e.value.retry_after == 30


@pytest.mark.parametrize(
    "address",
    [
        "169.254.169.254",
        "10.0.0.1",
        "127.0.0.1",
        "::1",
        "::ffff:192.168.1.1",
        "100.64.0.1",
        "0.0.0.0",
        # 6to4 (2002::/16) carries an IPv4 address: these are 127.0.0.1, 169.254.0.1, 192.168.1.1
        "2002:7f00:1::",
        "2002:a9fe:1::1",
        "2002:c0a8:101::",
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "fec0::1",  # IPv6 site-local: not in Python's is_private
    ],
)
def test_public_looking_name_resolving_inside_is_refused_before_connecting(address):
    http = SafeHttp(limits=FAST, resolver=fake_resolver({"news.example.com": address}))
    with ConnectLog.record() as connects, pytest.raises(FetchError, match="refused"):
        http.get("http://news.example.com/feed.xml")
    assert connects == []


def test_literal_metadata_url_refused_before_connecting(http):
    with ConnectLog.record() as connects, pytest.raises(FetchError, match="cloud metadata"):
        http.get("http://169.254.169.254/latest/meta-data/")
    assert connects == []


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("169.254.169.254", None),
        ("[fd00:ec2::254]", None),
        ("metadata.google.internal", "169.254.169.254"),
        ("news.example.com", "::ffff:169.254.169.254"),
        ("news.example.com", "2002:a9fe:a9fe::"),
    ],
)
def test_cloud_metadata_is_refused_even_with_allow_private(host, address):
    http = SafeHttp(limits=FAST, resolver=fake_resolver({host: address} if address else {}))
    with ConnectLog.record() as connects, pytest.raises(FetchError, match="cloud metadata"):
        http.get(f"http://{host}/computeMetadata/v1/", allow_private=True)
    assert connects == []


def test_dns_failure_is_reported(http):
    with pytest.raises(FetchError, match="DNS"):
        http.get("http://feeds.nowhere.invalid/rss")


def test_redirect_into_the_private_network_is_refused_on_the_hop():
    """A 'public' host (the fake, exempted) redirects to a private service: never contacted."""
    with serve({"/secret": feed(b"internal")}) as internal:
        with serve({"/feed": redirect(internal.url("/secret"))}) as public:
            http = SafeHttp(
                limits=FAST,
                resolver=fake_resolver({"news.example.com": "127.0.0.1"}),
                exempt=frozenset({("127.0.0.1", public.port)}),
            )
            url = f"http://news.example.com:{public.port}/feed"
            with pytest.raises(FetchError, match="loopback"):
                http.get(url)
            assert public.hits["/feed"] == 1
            with ConnectLog.record() as connects, pytest.raises(FetchError, match="metadata"):
                public.routes["/feed"] = redirect("http://169.254.169.254/latest/meta-data/")
                http.get(url)
            assert ("169.254.169.254", 80) not in connects
        assert internal.hits["/secret"] == 0


def test_allow_private_reaches_the_local_network(http):
    with serve({"/f": feed(BODY)}) as web:
        with pytest.raises(FetchError, match="refused"):
            http.get(web.url("/f"))
        assert http.get(web.url("/f"), allow_private=True).status == 200


def test_allow_private_covers_the_configured_host_not_where_it_redirects(http):
    """A local feed may redirect within its own host:port; to another local service it may not."""
    with serve({"/secret": feed(b"internal")}) as internal:
        with serve({"/old": redirect("/f"), "/f": feed(BODY)}) as web:
            assert http.get(web.url("/old"), allow_private=True).status == 200
            web.routes["/old"] = redirect(internal.url("/secret"))
            with pytest.raises(FetchError, match="loopback"):
                http.get(web.url("/old"), allow_private=True)
        assert internal.hits["/secret"] == 0


def test_non_http_schemes_refused(http):
    for url in ("file:///etc/passwd", "gopher://127.0.0.1/", "ftp://example.com/x"):
        with pytest.raises(FetchError, match="only http and https"):
            http.get(url, allow_private=True)


def test_per_host_limit_bounds_concurrency():
    import threading

    live, peak, lock = [0], [0], threading.Lock()

    def slow(h):
        with lock:
            live[0] += 1
            peak[0] = max(peak[0], live[0])
        time.sleep(0.1)
        with lock:
            live[0] -= 1
        feed(BODY, etag=None)(h)

    http = SafeHttp(limits=Limits(per_host=2), resolver=fake_resolver({}))
    with serve({"/f": slow}) as web:
        threads = [
            threading.Thread(target=http.get, args=(web.url("/f"),), kwargs={"allow_private": True})
            for _ in range(8)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
    assert peak[0] == 2


@pytest.fixture
def tls_cert(tmp_path):
    import os
    import shutil
    import subprocess

    if not shutil.which("openssl"):
        if os.environ.get("CI"):
            pytest.fail("openssl is required in CI to make the test certificate")
        pytest.skip("openssl not installed")
    key, cert = tmp_path / "k.pem", tmp_path / "c.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return key, cert


def test_https_through_the_guard_verifies_certificates(tls_cert):
    import ssl

    key, cert = tls_cert
    with serve({"/f": feed(BODY)}) as web:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        web.server.socket = context.wrap_socket(web.server.socket, server_side=True)
        url = f"https://127.0.0.1:{web.port}/f"
        untrusting = SafeHttp(limits=FAST, resolver=fake_resolver({}))
        with pytest.raises(FetchError, match="TLS"):
            untrusting.get(url, allow_private=True)
        trusting = SafeHttp(limits=FAST, resolver=fake_resolver({}), ca_bundle=str(cert))
        assert trusting.get(url, allow_private=True).body == BODY
        assert trusting.get(url, allow_private=True).status == 200  # pooled TLS connection
