"""The HTTP listener under attack, with real sockets against the real waitress server: idle
connections, oversized and trickled bodies, unsigned and malformed Slack requests, and what
they may write to the log."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import logging
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from urllib.parse import quote

import pytest
import requests

from bot.app.web import Limits, WebServer, wsgi_app
from bot.cli import logs
from bot.slack.app import build_app
from bot.slack.signature import RefusalLog
from tests.slack_requests import SECRET, signed

ANNOUNCE = b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n\r\n"


@pytest.fixture
def listener() -> Iterator[WebServer]:
    web = WebServer(
        wsgi_app(None, lambda: (True, {"ok": True})), host="127.0.0.1", port=0, limits=Limits(idle_timeout=1)
    ).start()
    yield web
    web.stop()


@pytest.fixture
def slack_url(make_services) -> Iterator[str]:
    """The real Bolt app behind the real listener."""
    services = make_services()
    bolt = build_app(services.settings, services)
    app = wsgi_app(lambda: bolt, lambda: (True, {}), signing_secret=SECRET)
    web = WebServer(app, host="127.0.0.1", port=0).start()
    yield f"http://127.0.0.1:{web.port}/slack/events"
    web.stop()


def connect(web: WebServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", web.port), timeout=5)


def read_all(sock: socket.socket, *, within: float) -> bytes:
    """What the server sends until it closes the connection (bounded by `within` seconds)."""
    sock.settimeout(within)
    out = b""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            break
        if not chunk:
            break
        out += chunk
    return out


def test_idle_connections_announcing_bodies_do_not_lock_out_healthz(listener):
    with ExitStack() as stack:
        for _ in range(150):  # more than waitress's default 100 connections
            sock = stack.enter_context(connect(listener))
            sock.sendall(ANNOUNCE % 1000)  # a body that never comes
        r = requests.get(f"http://127.0.0.1:{listener.port}/healthz", timeout=3)
        assert r.status_code == 200


SERVE_WITH_FEW_DESCRIPTORS = """
import logging, resource, sys, time
resource.setrlimit(resource.RLIMIT_NOFILE, (256, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
logging.basicConfig(level=logging.WARNING)
from bot.app.web import WebServer, wsgi_app
web = WebServer(wsgi_app(None, lambda: (True, {})), host="127.0.0.1", port=0).start()
print(web.port, flush=True)
sys.stdin.readline()
web.stop()
"""


def test_more_connections_than_descriptors_do_not_spin_the_log(tmp_path):
    """On waitress's connection limit alone, a process out of file descriptors logged a
    traceback for every failed accept(), thousands a second."""
    log = tmp_path / "server.log"
    with log.open("w") as err:
        server = subprocess.Popen(
            [sys.executable, "-c", SERVE_WITH_FEW_DESCRIPTORS],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
    try:
        port = int(server.stdout.readline())
        with ExitStack() as stack:
            for _ in range(300):  # more than 256 descriptors
                sock = stack.enter_context(socket.create_connection(("127.0.0.1", port), timeout=5))
                sock.sendall(ANNOUNCE % 10)
            time.sleep(2)
        server.communicate("stop\n", timeout=10)
    finally:
        server.kill()
    assert "accept() threw" not in log.read_text()


def test_a_connection_that_stops_sending_is_closed_without_an_answer(listener):
    with connect(listener) as sock:
        sock.sendall(ANNOUNCE % 100 + b"partial")
        started = time.monotonic()
        assert read_all(sock, within=6) == b""  # cut, never answered as if complete
        assert time.monotonic() - started < 5


def test_a_body_over_the_cap_is_refused_before_it_is_sent(listener):
    with connect(listener) as sock:
        sock.sendall(ANNOUNCE % (50 * 1024 * 1024))  # and not one byte of it
        assert read_all(sock, within=3).startswith(b"HTTP/1.1 413 ")


def test_a_chunked_body_is_cut_at_the_cap(listener):
    with connect(listener) as sock:
        sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"%x\r\n%s\r\n" % (64 * 1024, b"x" * 64 * 1024)
        with contextlib.suppress(OSError):  # the server may close before all of it is sent
            for _ in range(16):  # 1 MiB in all, twice the cap
                sock.sendall(chunk)
        try:
            answer = read_all(sock, within=3)
        except ConnectionResetError:  # closed with our unread bytes still in its buffer
            answer = b"reset"
        assert answer.startswith(b"HTTP/1.1 413 ") or answer == b"reset"


# ---- the signature comes first ------------------------------------------------------------------

FORGED = "x\n2026-01-01 00:00:00,000 CRITICAL bot: forged line"


def post(url: str, body: bytes | str, headers: dict) -> requests.Response:
    return requests.post(url, data=body, headers=headers, timeout=5)


def test_a_non_numeric_timestamp_is_refused_not_an_error(slack_url, caplog):
    body = "command=/lookout&text=help"
    r = post(slack_url, body, signed(body) | {"X-Slack-Request-Timestamp": "soon"})
    assert r.status_code == 401
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR or rec.exc_info]


@pytest.mark.parametrize(
    "body, ctype",
    [
        (b'{"type": "event_callback", "event": ', "application/json"),  # malformed JSON
        (b"payload=%7B%22type%22%3A", "application/x-www-form-urlencoded"),  # malformed payload
        (b"\xff\xfe not UTF-8", "application/json"),
    ],
)
def test_unsigned_malformed_bodies_are_refused_unparsed(slack_url, caplog, body, ctype):
    caplog.set_level(logging.DEBUG)
    r = post(
        slack_url,
        body,
        {"Content-Type": ctype, "X-Slack-Signature": "v0=00", "X-Slack-Request-Timestamp": "1"},
    )
    assert r.status_code == 401
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR or rec.exc_info]


def test_a_refused_request_is_one_short_line_without_its_body(slack_url, caplog):
    caplog.set_level(logging.DEBUG)
    body = "command=/lookout&text=" + FORGED
    assert post(slack_url, body, signed(body, secret="wrong")).status_code == 401
    assert "forged" not in caplog.text and "/lookout" not in caplog.text
    [line] = [rec.getMessage() for rec in caplog.records if "refused" in rec.getMessage()]
    assert len(line) < 120 and "\n" not in line


def test_a_flood_of_unsigned_requests_writes_one_line(slack_url, caplog):
    caplog.set_level(logging.DEBUG)
    with requests.Session() as session:
        for i in range(50):
            r = session.post(slack_url, data=f"n={i}", headers={"X-Slack-Signature": "v0=1"}, timeout=5)
            assert r.status_code == 401
    assert len([rec for rec in caplog.records if "refused" in rec.getMessage()]) == 1


def test_a_signed_body_near_the_cap_is_served(slack_url, fake_slack):
    """400 KB: more than a real message shortcut, and past the 64 KiB held in RAM (a temp file)."""
    reply = quote(fake_slack.response_url("big"), safe="")
    head = f"command=/lookout&user_id=U1&channel_id=C0SAHEL001&trigger_id=big&response_url={reply}&text="
    body = head + "%C3%A9" * 68_000
    assert len(body) > 400_000
    assert post(slack_url, body, signed(body)).status_code == 200


def test_a_signed_body_that_is_not_utf8_is_a_bad_request(slack_url, caplog):
    body, stamp = b"\xff\xfe", str(int(time.time()))
    mac = hmac.new(SECRET.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    r = post(slack_url, body, {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": "v0=" + mac})
    assert r.status_code == 400
    assert not [rec for rec in caplog.records if rec.exc_info]


def test_refusals_are_counted_into_the_next_line(caplog):
    now = [0.0]
    refusals = RefusalLog(window=60, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING):
        for t in (0, 1, 2, 59, 61):
            now[0] = t
            refusals.refused("bad signature", "192.0.2.1")
    assert [r.getMessage() for r in caplog.records] == [
        "refused a Slack request from 192.0.2.1: bad signature",
        "refused a Slack request from 192.0.2.1: bad signature (3 more refused in the last 60 s)",
    ]


# ---- one record, one line -------------------------------------------------------------------------


def test_text_from_outside_cannot_forge_a_log_line():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(logs.FORMAT))
    handler.addFilter(logs.OneLine())
    logger = logging.getLogger("tests.forge")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("no team %s", FORGED + "\x1b[2J\u202e")
        try:
            raise ValueError("bad input " + FORGED)
        except ValueError:
            logger.exception("/lookout %s failed", "where\r\n" + FORGED)
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert not [line for line in lines if line.startswith("2026-01-01")]  # no forged line
    assert "\x1b" not in stream.getvalue() and "\u202e" not in stream.getvalue()
    assert lines[0].endswith("no team x\\n2026-01-01 00:00:00,000 CRITICAL bot: forged line\\x1b[2J\\u202e")
    assert "ERROR tests.forge: /lookout where\\r\\nx\\n2026-01-01" in lines[1]
    assert lines[2] == "Traceback (most recent call last):"  # the traceback keeps its own lines
    assert lines[-1] == "ValueError: bad input x\\n2026-01-01 00:00:00,000 CRITICAL bot: forged line"
