"""Secrets in a feed URL stay out of errors, logs, the database, the CLI, Slack and the ops channel;
the real URL is still what is fetched."""

from __future__ import annotations

import json
import logging
from http.server import BaseHTTPRequestHandler

import pytest
from click.testing import CliRunner

from bot import pipeline
from bot.app.build import build_delivery, build_poster
from bot.cli.main import cli
from bot.fetch.redact import redact
from bot.ops.status import status, status_text
from bot.slack.cmd_sources import sources_text
from tests import sources_fakes as fk

SECRETS = ("hunter2", "S3CRETKEY", "T0KENVALUE", "SIGVALUE")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("http://reader:hunter2@h/feed.xml", "http://***@h/feed.xml"),
        ("https://h/f?api_key=a&page=2&APIKEY=b", "https://h/f?api_key=***&page=2&APIKEY=***"),
        (
            "https://h/f?Token=a;sig=b&signature=c&key=d",
            "https://h/f?Token=***;sig=***&signature=***&key=***",
        ),
        ("https://h/f?password=a&q=mali#top", "https://h/f?password=***&q=mali#top"),
        (
            "https://h/s3?X-Amz-Signature=a&access_token=b",
            "https://h/s3?X-Amz-Signature=***&access_token=***",
        ),
        (
            "redirect loop: http://h/?key=1 -> http://u:p@h/?key=2",
            "redirect loop: http://h/?key=*** -> http://***@h/?key=***",
        ),
        ("url: /feed?api_key=a (Caused by x)", "url: /feed?api_key=*** (Caused by x)"),
        ("http://h/a@b?page=2 and someone@example.org", "http://h/a@b?page=2 and someone@example.org"),
        ("HTTP 404 Not Found from https://h/feed?q=key", "HTTP 404 Not Found from https://h/feed?q=key"),
    ],
)
def test_redact(text, expected):
    assert redact(text) == expected


def _recording(seen: list[tuple[str, str | None]]):
    """A feed host that remembers what it was asked for, and fails."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        seen.append((h.path, h.headers.get("Authorization")))
        fk.send(h, 500, b"down", "text/plain", {})

    return handle


def test_feed_url_secrets_appear_nowhere_but_on_the_wire(make_services, fake_slack, caplog, tmp_path):
    seen: list[tuple[str, str | None]] = []
    with fk.serve({"/feed": _recording(seen)}) as web:
        url = web.url("/feed?api_key=S3CRETKEY&Token=T0KENVALUE&sig=SIGVALUE&page=1")
        url = url.replace("http://", "http://reader:hunter2@")
        sources = f"sources:\n  - {{id: keyed, kind: rss, url: '{url}', allow_private: true}}\n"
        services = make_services(sources=sources, lookout_ops_channel="#ops")
        build_delivery(services, build_poster(services.settings))  # wires the ops channel reporter
        with caplog.at_level(logging.INFO):
            for _ in range(3):  # the third failure makes it unhealthy: an ops message
                report = pipeline.poll(services, force=True)

    # the real URL was fetched, with its credentials (basic auth) and its key
    path, auth = seen[0]
    assert "api_key=S3CRETKEY" in path and auth and auth.startswith("Basic ")
    [state] = services.store.source_states()
    assert not state.healthy and "HTTP 500" in state.last_error
    assert "api_key=***" in state.last_error and "***@" in state.last_error
    ops = [c.params.get("text", "") for c in fake_slack.calls_to("chat.postMessage")]
    assert any("unhealthy" in text for text in ops)
    db = tmp_path / "lookout.db"
    cli_table = CliRunner().invoke(cli, ["--config", str(tmp_path / "config"), "sources"], env=_db(db))
    cli_json = CliRunner().invoke(
        cli, ["--config", str(tmp_path / "config"), "sources", "--json"], env=_db(db)
    )
    assert json.loads(cli_json.stdout)["last_error"] == state.last_error
    shown = {
        "fetch error": report.errors["keyed"],
        "log": caplog.text,
        "database": state.last_error,
        "ops channel": "\n".join(ops),
        "sources command": cli_table.output + cli_json.output,
        "/lookout sources": sources_text(services),
        "status": status_text(status(services)),
    }
    for where, text in shown.items():
        assert not [s for s in SECRETS if s in text], (where, text)


def _db(path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite:///{path}"}


def test_an_error_stored_before_redaction_is_redacted_when_shown(make_services, tmp_path):
    services = make_services(sources="sources:\n  - {id: old, kind: rss, url: 'https://h/f'}\n")
    raw = "HTTP 500 from http://reader:hunter2@h/f?api_key=S3CRETKEY"
    services.store.ensure_sources(["old"])
    services.store.record_health({"old": {"last_error": raw, "consecutive_failures": 3, "healthy": False}})
    env = _db(tmp_path / "lookout.db")
    cli_out = CliRunner().invoke(cli, ["--config", str(tmp_path / "config"), "sources", "--json"], env=env)
    for text in (sources_text(services), status_text(status(services)), cli_out.output):
        assert "api_key=***" in text and not [s for s in SECRETS if s in text], text
