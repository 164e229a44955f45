"""The HTTP listener: real signed requests to the running app; /healthz."""

from __future__ import annotations

import time
from urllib.parse import urlencode

import pytest
import requests

from bot.app.web import WebServer, wsgi_app
from bot.services import Services
from bot.slack.app import build_app
from tests.slack_requests import SECRET, signed, wait_for


@pytest.fixture
def server(make_services):
    services: Services = make_services()
    app = build_app(services.settings, services)
    web = WebServer(
        wsgi_app(lambda: app, lambda: (True, {"ok": True}), signing_secret=SECRET), host="127.0.0.1", port=0
    ).start()
    yield f"http://127.0.0.1:{web.port}", services
    web.stop()


def command(fake_slack, text: str) -> str:
    return urlencode(
        {
            "command": "/lookout",
            "text": text,
            "user_id": "U1",
            "channel_id": "C0SAHEL001",
            "team_id": "T1",
            "response_url": fake_slack.response_url(),
            "trigger_id": "t",
        }
    )


def test_healthz(server):
    base, _ = server
    r = requests.get(base + "/healthz", timeout=5)
    assert r.status_code == 200 and r.json()["ok"] is True


def test_signed_command_is_answered(server, fake_slack):
    base, _ = server
    body = command(fake_slack, "help")
    r = requests.post(base + "/slack/events", data=body, headers=signed(body), timeout=5)
    assert r.status_code == 200
    responses = wait_for(lambda: fake_slack.responses)
    assert responses and "/lookout help" in str(responses[0])


@pytest.mark.parametrize(
    "headers",
    [
        lambda body: signed(body, secret="wrong-secret"),
        lambda body: signed(body, ts=int(time.time()) - 6 * 60),  # stale: replay protection
        lambda body: {"Content-Type": "application/x-www-form-urlencoded"},
    ],
)
def test_unsigned_bad_or_stale_requests_get_401(server, fake_slack, headers):
    base, _ = server
    body = command(fake_slack, "help")
    r = requests.post(base + "/slack/events", data=body, headers=headers(body), timeout=5)
    assert r.status_code == 401
    time.sleep(0.2)
    assert fake_slack.responses == []


def test_unknown_path_is_404(server):
    base, _ = server
    assert requests.get(base + "/admin", timeout=5).status_code == 404
