"""Who may change a team from Slack, and the one change log that records every change (watch,
mute, digest set, digest now) with its user: real signed `/lookout` requests to the app."""

from __future__ import annotations

import pytest

from bot.digest.schedule import job_name
from tests.test_slash_commands import SAHEL, SOMALIA, running_bot


@pytest.fixture
def bot(make_services, fake_slack, db_url):
    yield from running_bot(make_services, fake_slack, db_url)


def log_of(bot, team: str) -> list[tuple[str, str, str, str]]:
    return [(c.user_id, c.action, c.kind, c.value) for c in bot.services.store.team_changes(team)]


def test_digest_now_for_another_team_is_refused_and_posts_nothing(bot):
    # U2 is in the Somalia channel only; before the fix this posted into #sahel-alerts.
    answer = bot.command("digest now team:sahel-desk", user="U2", channel=SOMALIA)
    assert "Only members of #sahel-alerts" in answer["text"] and "Nothing was changed" in answer["text"]
    assert bot.fake.posts("#sahel-alerts") == [] and bot.fake.posts(SAHEL) == []
    assert bot.services.store.job_runs(job_name("sahel-desk")) == []
    assert log_of(bot, "sahel-desk") == []


def test_digest_set_for_another_team_is_refused(bot):
    answer = bot.command("digest set daily 06:00 team:sahel-desk", user="U2", channel=SOMALIA)
    assert "Only members of #sahel-alerts" in answer["text"]
    assert bot.services.store.digest_settings() == {} and log_of(bot, "sahel-desk") == []


def test_admins_may_ask_any_team_for_a_digest_and_are_audited(bot):
    answer = bot.command("digest now team:somalia-desk", user="UADMIN", channel=SAHEL)
    assert answer["text"].startswith("Digest posted"), answer["text"]
    assert log_of(bot, "somalia-desk") == [("UADMIN", "digest", "now", "")]


def test_every_change_from_slack_is_one_log_shown_by_watch_history(bot):
    bot.command("watch add keyword ambush")
    bot.command("mute group JNIM for 2h")
    bot.command("digest set weekly mon 06:30 Europe/Paris")
    assert bot.command("digest now")["text"].startswith("Digest posted")
    assert log_of(bot, "sahel-desk") == [
        ("U1", "add", "keyword", "ambush"),
        ("U1", "mute", "group", "JNIM"),
        ("U1", "digest", "set", "30 6 * * mon Europe/Paris"),
        ("U1", "digest", "now", ""),
    ]
    lines = bot.command("watch history")["text"].splitlines()
    assert lines[1].endswith("<@U1>: digest now") and "digest set 30 6 * * mon Europe/Paris" in lines[2]
    assert "muted group JNIM" in lines[3] and "added keyword ambush" in lines[4]


def test_a_digest_more_often_than_hourly_is_refused(bot):
    for cron in ("* * * * *", "*/30 * * * *", "0,45 7 * * *", "0,50 7 * * mon"):
        answer = bot.command(f'digest set cron "{cron}" UTC')
        assert "a digest runs at most once an hour" in answer["text"], answer["text"]
        assert "Nothing was changed" in answer["text"] and answer["response_type"] == "ephemeral"
    assert bot.services.store.digest_settings() == {} and log_of(bot, "sahel-desk") == []


def test_an_hourly_digest_is_allowed(bot):
    answer = bot.command('digest set cron "0 * * * *" Africa/Bamako')
    assert "digest is now cron" in answer["text"], answer["text"]
    assert bot.services.store.digest_settings() == {"sahel-desk": ("0 * * * *", "Africa/Bamako")}
