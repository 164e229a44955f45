"""`/lookout digest`, `digest now`, `digest set …` through the dispatcher, against the fake Slack."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot import clock
from bot.digest.schedule import schedule_for, trigger_for
from bot.slack.commands import dispatch
from tests.test_digest import TEAMS, put


def say(services, text: str, channel: str = "C0SAHEL001"):
    return dispatch(services, {"text": text, "channel_id": channel, "user_id": "U123", "team_id": "T1"})


# The clock the commands read, at several times of day: just after the 07:00 Bamako digest (an
# item an hour old fell before it), mid-morning, the last minute of the day, and just past
# midnight. The answers must not depend on when the suite runs.
INSTANTS = [
    datetime(2026, 11, 18, 7, 30, tzinfo=UTC),
    datetime(2026, 11, 18, 10, 0, tzinfo=UTC),
    datetime(2026, 11, 18, 23, 59, tzinfo=UTC),
    datetime(2026, 11, 19, 0, 30, tzinfo=UTC),
]


@pytest.fixture(params=INSTANTS, ids=lambda t: t.strftime("%H%M"))
def services(request, make_services, fake_slack):
    fake_slack.members["C0SAHEL001"] = ["U123"]  # the caller may change the team's schedule
    s = make_services(teams=TEAMS)
    now = request.param
    s.clock = lambda: now
    text = "JNIM fighters attack checkpoint near Sevare in central Mali."
    put(s, "sevare", text, now - timedelta(minutes=20))
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


def test_show_counts_only_what_came_since_the_last_digest(services):
    now = services.clock()
    fired = clock.latest_fire(trigger_for(schedule_for(services, services.config.team("sahel-desk"))), now)
    earlier = "Gunmen kill 12 villagers near Djibo, Burkina Faso."
    put(services, "djibo", earlier, fired - timedelta(minutes=10))  # in the digest already sent
    answer = say(services, "digest")
    assert f"So far: 1 story since {fired:%a %d %b %H:%M} — Mali 1\n" in answer.text, answer.text


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
