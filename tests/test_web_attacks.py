"""The HTTP listener under attack, with real sockets against the real waitress server: idle
connections, oversized and trickled bodies."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
import requests

from bot.app.web import Limits, WebServer, wsgi_app

ANNOUNCE = b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n\r\n"


@pytest.fixture
def listener() -> Iterator[WebServer]:
    web = WebServer(
        wsgi_app(None, lambda: (True, {"ok": True})), host="127.0.0.1", port=0, limits=Limits(idle_timeout=1)
    ).start()
    yield web
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
