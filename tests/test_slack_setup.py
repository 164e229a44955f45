"""Start-up against Slack: a wrong token stops the start with what to do (exit 2), an
unreachable Slack does not, and Bolt starts without its "token will be unused" warning."""

from __future__ import annotations

import logging
import socket
import sys

import pytest

from bot.app.build import check_slack_tokens
from bot.cli.main import main
from bot.errors import ConfigError
from bot.settings import Settings
from bot.slack.app import build_app


def settings(fake_slack, **values) -> Settings:
    return Settings(**({"slack_bot_token": "xoxb-test", "slack_api_url": fake_slack.base_url} | values))


def test_a_good_token_passes_with_one_auth_test(fake_slack):
    check_slack_tokens(settings(fake_slack))
    assert len(fake_slack.calls_to("auth.test")) == 1


def test_a_refused_token_stops_the_start(fake_slack):
    fake_slack.fail("auth.test", error="invalid_auth")
    with pytest.raises(ConfigError) as e:
        check_slack_tokens(settings(fake_slack))
    assert e.value.problems == [
        "SLACK_BOT_TOKEN was refused by Slack (invalid_auth): copy the Bot User OAuth Token again "
        "(OAuth & Permissions on your app's page at api.slack.com/apps); reinstall the app if it was removed"
    ]


def test_the_app_token_in_the_bot_token_variable(fake_slack):
    with pytest.raises(ConfigError) as e:
        check_slack_tokens(settings(fake_slack, slack_bot_token="xapp-1-A0-123"))
    assert e.value.problems == [
        "SLACK_BOT_TOKEN starts with 'xapp-', not 'xoxb-': use the Bot User OAuth Token "
        "(OAuth & Permissions on your app's page at api.slack.com/apps)"
    ]
    assert fake_slack.calls_to("auth.test") == []


def test_the_bot_token_in_the_app_token_variable(fake_slack):
    with pytest.raises(ConfigError) as e:
        check_slack_tokens(settings(fake_slack, slack_app_token="xoxb-test"))
    assert e.value.problems == [
        "SLACK_APP_TOKEN starts with 'xoxb-', not 'xapp-': use an app-level token with connections:write "
        "(Basic Information on your app's page at api.slack.com/apps)"
    ]


def test_slack_unreachable_is_not_a_token_problem(caplog):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}/api/"
    with caplog.at_level(logging.WARNING, logger="bot.app.build"):
        check_slack_tokens(Settings(slack_bot_token="xoxb-test", slack_api_url=closed))
    assert "Slack is unreachable at start" in caplog.text


def test_no_token_no_call(fake_slack):
    check_slack_tokens(Settings(slack_bot_token=None, slack_api_url=fake_slack.base_url))
    assert fake_slack.calls_to("auth.test") == []


def test_a_bad_token_exits_2_from_the_command_line(tmp_path, fake_slack, data_dir, monkeypatch, capsys):
    (tmp_path / "sources.yaml").write_text("sources: []\n")
    (tmp_path / "teams.yaml").write_text("teams: []\n")
    fake_slack.fail("auth.test", error="token_revoked")
    for name, value in {
        "SLACK_BOT_TOKEN": "xoxb-old",
        "SLACK_API_URL": fake_slack.base_url,
        "LOOKOUT_DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'lookout.db'}",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "argv", ["lookout", "--config", str(tmp_path), "poll", "--once"])
    with pytest.raises(SystemExit) as e:
        main()
    assert e.value.code == 2
    assert "SLACK_BOT_TOKEN was refused by Slack (token_revoked)" in capsys.readouterr().err


def test_bolt_starts_without_warnings_even_with_the_token_in_the_environment(
    make_services, fake_slack, monkeypatch, caplog
):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")  # Bolt reads it itself, as in production
    services = make_services(teams="teams: []\n", sources="sources: []\n")
    with caplog.at_level(logging.WARNING):
        app = build_app(services.settings, services)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("slack_bolt")] == []
    assert app.client.base_url == fake_slack.base_url  # Bolt's client goes where ours go
    assert app.client.token == "xoxb-test"
