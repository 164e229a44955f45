"""`/lookout digest`, `digest now`, `digest set …` through the dispatcher, against the fake Slack."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.digest.schedule import schedule_for
from bot.slack.commands import dispatch
from tests.test_digest import TEAMS, put


def say(services, text: str, channel: str = "C0SAHEL001"):
    return dispatch(services, {"text": text, "channel_id": channel, "user_id": "U123", "team_id": "T1"})


@pytest.fixture
def services(make_services, fake_slack):
    fake_slack.members["C0SAHEL001"] = ["U123"]  # the caller may change the team's schedule
    s = make_services(teams=TEAMS)
    put(
        s,
        "sevare",
        "JNIM fighters attack checkpoint near Sevare in central Mali.",
        datetime.now(UTC) - timedelta(hours=1),
    )
    return s


def test_set_needs_membership_of_the_team_channel(services, fake_slack):
    fake_slack.members["C0SAHEL001"] = ["U999"]
    answer = say(services, "digest set weekly mon 06:30 Europe/Paris")
    assert "Only members of #sahel-alerts" in answer.text and not answer.public
    assert "digest is" not in say(services, "digest").text or "weekly" not in say(services, "digest").text


def test_set_persists_the_schedule_and_says_when(services):
    answer = say(services, "digest set weekly mon 06:30 Europe/Paris")
    assert answer.public
    assert "*sahel-desk* digest is now every Mon at 06:30 (Europe/Paris); first one Mon" in answer.text
    sahel = services.config.team("sahel-desk")
    d = schedule_for(services, sahel)
    assert (d.cron, d.timezone) == ("30 6 * * mon", "Europe/Paris")
    assert services.store.digest_settings() == {"sahel-desk": ("30 6 * * mon", "Europe/Paris")}


def test_bad_schedule_changes_nothing(services):
    answer = say(services, "digest set daily 7pm Africa/Bamako")
    assert "not a time of day" in answer.text and "Nothing was changed" in answer.text
    assert services.store.digest_settings() == {}


def test_show_tells_schedule_and_what_is_waiting(services):
    answer = say(services, "digest")
    assert "daily at 07:00 (Africa/Bamako), mode `digest`" in answer.text
    assert "So far: 1 story since" in answer.text and "Mali 1" in answer.text


def test_now_posts_the_digest_once_and_moves_the_window(services, fake_slack):
    answer = say(services, "digest now")
    assert answer.text.startswith("Digest posted: 1 story.")
    [post] = [m for m in fake_slack.top_level("#sahel-alerts") if m.get("metadata")]
    assert "Sevare" in str(post["blocks"])
    assert len(fake_slack.uploads) == 1
    assert "So far: 0 stories since" in say(services, "digest").text


def test_channel_without_team_and_unknown_action(services):
    assert "No Lookout team posts in this channel" in say(services, "digest", channel="C0OPS00001").text
    assert "Usage: `/lookout digest" in say(services, "digest weekly").text
