"""Digest content for a fixture week: which stories, grouped how, totals, time-zone windows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient

from bot import clock, pipeline
from bot.deliver.digest_post import SlackDigestSender
from bot.digest.collect import Matched, collect, matched
from bot.digest.compose import send
from bot.digest.schedule import job_name, parse_schedule, schedule_for, schedules, trigger_for, window
from bot.event import classify
from bot.models import Admin1, Event, Item, Mentions, Place, Summary
from bot.services import Services
from bot.store import StoryRecord
from bot.stories.record import merge_mentions

TEAMS = """
teams:
  - name: sahel-desk
    channel: "#sahel-alerts"
    mode: digest
    watch: {regions: [Sahel], groups: [JNIM], exclude: [football]}
    digest: {cron: "0 7 * * *", timezone: Africa/Bamako}
  - name: paris-desk
    channel: "#aq-affiliates"
    mode: both
    watch: {regions: [Sahel]}
    digest: {cron: "0 7 * * *", timezone: Europe/Paris}
  - name: somalia
    channel: "#somalia"
    watch: {regions: [Somalia]}
"""

MON = datetime(2026, 11, 16, 7, 0, tzinfo=UTC)  # Bamako is UTC+0 all year


def put(
    services: Services,
    story_id: str,
    text: str,
    at: datetime,
    *,
    toll: str | None = None,
    source: str = "wire",
    event: Event | None = None,
) -> int:
    """Store one report as the pipeline would: real mentions from the matcher, processed at `at`."""
    store = services.store
    title = text.split(".")[0]
    item = Item(
        source_id=source,
        guid=f"{story_id}-{source}",
        url=f"https://news.example/{story_id}/{source}",
        title=title,
        summary=text,
        published=at,
    )
    [iid] = store.add_items([item], now=at)
    mentions = services.matcher.mentions(item.body)
    before = store.story(story_id)
    story = StoryRecord(
        id=story_id,
        title=before.title if before else title,
        first_item_id=before.first_item_id if before else iid,
        opened_at=before.opened_at if before else at,
        last_item_at=at,
        summary=before.summary if before else Summary((text,)),
        mentions=merge_mentions(before.mentions, mentions) if before else mentions,
        toll=toll or (before.toll if before else None),
        event=event or (before.event if before else None),
    )
    store.record_processed(iid, now=at, mentions=mentions, story=story, new_alerts=[])
    return iid


def fixture_week(services: Services) -> None:
    d = timedelta(days=1)
    put(
        services,
        "boulikessi",
        "JNIM claims attack on army base in Boulikessi, Mopti region. Thirty soldiers were killed.",
        MON + 1 * d,
        toll="30 soldiers killed",
    )
    put(
        services,
        "boulikessi",
        "Death toll in Boulikessi attack rises, JNIM says.",
        MON + 1 * d + timedelta(hours=3),
        toll="34 soldiers killed",
        source="radio",
    )
    put(
        services,
        "menaka",
        "Islamic State Sahel Province fighters ambush convoy near Menaka, Mali.",
        MON + 2 * d,
        toll="9 killed",
    )
    put(services, "sevare", "JNIM fighters attack checkpoint near Sevare in central Mali.", MON + 3 * d)
    put(
        services,
        "djibo",
        "Gunmen kill 12 villagers near Djibo in northern Burkina Faso.",
        MON + 4 * d,
        toll="12 villagers killed",
    )
    put(
        services,
        "tillaberi",
        "Aid workers kidnapped in Tillaberi region of Niger.",
        MON + 5 * d,
        toll="4 aid workers kidnapped",
    )
    put(services, "mogadishu", "Al-Shabaab bombing in Mogadishu kills 8.", MON + 2 * d, toll="8 killed")
    put(services, "football", "Football: Mali beat Burkina Faso in Africa Cup qualifier.", MON + 3 * d)
    put(services, "old", "JNIM fighters attack checkpoint near Sevare in central Mali again.", MON - 2 * d)


@pytest.fixture
def week(make_services, db_url) -> Services:
    services = make_services(teams=TEAMS, db_url=db_url)
    fixture_week(services)
    return services


def team(services: Services, name: str):
    return next(t for t in services.teams() if t.name == name)


def test_fixture_week_grouped_by_country_then_admin1_with_totals(week):
    content = collect(week, team(week, "sahel-desk"), MON, MON + timedelta(days=7))
    shape = [
        (c.name, [(a.name, [m.story.id for m in a.stories]) for a in c.areas]) for c in content.countries
    ]
    assert shape == [
        ("Mali", [("Mopti", ["boulikessi"]), ("Ménaka", ["menaka"]), ("", ["sevare"])]),
        ("Burkina Faso", [("Sahel", ["djibo"])]),
        ("Niger", [("Tillabéri", ["tillaberi"])]),
    ]  # no Somalia (not watched), no football (excluded), nothing from before the week
    assert content.count == 5
    assert content.tolls == {"killed": 34 + 9 + 12, "kidnapped": 4}  # the later, higher toll counts
    mali = content.countries[0]
    assert mali.tolls == {"killed": 43} and mali.areas[0].tolls == {"killed": 34}
    assert content.top_groups == (("JNIM", 2), ("Islamic State Sahel Province", 1))
    boulikessi = mali.areas[0].stories[0]
    assert boulikessi.sources == 2 and len(boulikessi.reported) == 2


def test_rendered_digest_escapes_and_names_everything(week):
    from zoneinfo import ZoneInfo

    from bot.deliver import render_digest

    content = collect(week, team(week, "sahel-desk"), MON, MON + timedelta(days=7))
    text, blocks = render_digest.digest(content, [], tz=ZoneInfo("Africa/Bamako"), cron="0 7 * * *")
    body = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert "*Mali* — 3 stories · at least 43 killed" in body
    assert "_Mopti_ — 1 story · at least 34 killed" in body
    title = "JNIM claims attack on army base in Boulikessi, Mopti region"
    assert f"<https://news.example/boulikessi/wire|{title}>" in body
    assert "*Most active groups:* JNIM (2), Islamic State Sahel Province (1)" in body
    assert text.startswith(
        "Lookout digest for sahel-desk: 5 stories, at least 55 killed, at least 4 kidnapped"
    )
    assert len(blocks) <= 50


def test_window_follows_the_team_zone_across_dst(make_services, db_url):
    """Europe/Paris goes to summer time on 29 March 2026: that day's 07:00 digest covers 23 hours."""
    services = make_services(teams=TEAMS, db_url=db_url)
    paris = team(services, "paris-desk")
    schedule = schedule_for(services, paris)
    trigger = trigger_for(schedule)
    fired = clock.latest_fire(trigger, datetime(2026, 3, 29, 5, 0, 40, tzinfo=UTC))
    assert fired == datetime(2026, 3, 29, 5, 0, tzinfo=UTC)  # 07:00 CEST
    since, until = window(services, paris.name, fired, schedule)
    assert since == datetime(2026, 3, 28, 6, 0, tzinfo=UTC)  # 07:00 CET the day before
    text = "JNIM fighters attack checkpoint near Sevare in central Mali."
    for sid, at in [
        ("before", since - timedelta(minutes=1)),
        ("first", since),
        ("last", until - timedelta(minutes=1)),
        ("after", until),
    ]:
        put(services, sid, f"{sid}: {text}", at)
    got = [m.story.id for m in matched(services, paris, since, until)]
    assert got == ["first", "last"]
    # Back to winter time on 25 October: that digest covers 25 hours.
    autumn = clock.latest_fire(trigger, datetime(2026, 10, 25, 6, 30, tzinfo=UTC))
    assert autumn == datetime(2026, 10, 25, 6, 0, tzinfo=UTC)
    assert autumn - clock.previous_fire(trigger, autumn) == timedelta(hours=25)


def test_digest_is_posted_with_chart_and_next_one_starts_where_it_ended(week, fake_slack):
    sender = SlackDigestSender(WebClient(token="xoxb-test", base_url=fake_slack.base_url))
    sahel = team(week, "sahel-desk")
    schedule = schedule_for(week, sahel)
    until = MON + timedelta(days=7)
    result = send(week, sender, sahel, since=MON, until=until, digest=schedule)
    assert result["stories"] == 5 and result["chart_series"] == 3
    [msg] = fake_slack.top_level("#sahel-alerts")[:1]
    assert msg["metadata"]["event_type"] == "lookout_digest"
    assert "Mali" in str(msg["blocks"]) and "Somalia" not in str(msg["blocks"])
    [complete] = fake_slack.calls_to("files.completeUploadExternal")
    assert complete.params["channel_id"] == "C0SAHEL001"
    [png] = fake_slack.uploads.values()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")

    # Recorded as a run, the next window starts at its end.
    week.store.claim_job(job_name(sahel.name), "t1", owner="test", now=until)
    week.store.finish_job(job_name(sahel.name), "t1", status="done", now=until, detail=result)
    since, _ = window(week, sahel.name, until + timedelta(days=1), schedule)
    assert since == until


def test_digest_mode_team_gets_no_card_both_mode_gets_both(make_services, db_url):
    services = make_services(teams=TEAMS, db_url=db_url)
    now = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    services.store.add_items(
        [
            Item(
                source_id="wire",
                guid="a",
                url="https://news.example/a",
                title="JNIM claims attack on army base in Boulikessi, Mopti region",
                summary="Thirty soldiers were killed.",
                published=now,
            )
        ],
        now=now,
    )
    pipeline.process_pending(services, now=now)
    queued = services.store.claim_alerts(owner="t", now=now, lease=timedelta(minutes=1))
    assert {a.team for a in queued} == {"paris-desk"}  # sahel-desk (digest mode) gets none
    [found] = matched(services, team(services, "sahel-desk"), now, now + timedelta(seconds=1))
    assert found.story.title.startswith("JNIM claims attack")


def test_schedule_set_from_slack_overrides_yaml(week):
    sahel = team(week, "sahel-desk")
    assert schedule_for(week, sahel).cron == "0 7 * * *"
    week.store.set_digest_setting(
        "sahel-desk", cron="30 6 * * mon-fri", timezone="Africa/Bamako", by="U1", now=MON
    )
    assert schedule_for(week, sahel).cron == "30 6 * * mon-fri"
    assert set(schedules(week)) == {"sahel-desk", "paris-desk"}  # somalia: real time only


@pytest.mark.parametrize(
    "words, cron, zone",
    [
        ("daily 07:00 Africa/Bamako", "0 7 * * *", "Africa/Bamako"),
        ("weekly Monday 7:30 Europe/Paris", "30 7 * * mon", "Europe/Paris"),
        ("weekdays 06:15", "15 6 * * mon-fri", "UTC"),
        ('cron "0 7 * * 1-5" Europe/Paris', "0 7 * * 1-5", "Europe/Paris"),
    ],
)
def test_schedule_phrases(words, cron, zone):
    d = parse_schedule(words.split())
    assert (d.cron, d.timezone) == (cron, zone)


@pytest.mark.parametrize(
    "words, message",
    [
        ("daily 25:00", "not a time of day"),
        ("hourly 07:00", "I don't know the schedule"),
        ("daily 07:00 Mars/Olympus", "unknown time zone"),
        ("cron 61 7 * * *", "minute 61 is out of range"),
        ("weekly 07:00", "weekly needs a day"),
    ],
)
def test_bad_schedules_say_why(words, message):
    with pytest.raises(ValueError, match=message):
        parse_schedule(words.split())


def test_standard_cron_weekdays_count_from_sunday():
    from bot.config import Digest

    trigger = trigger_for(Digest(cron="0 7 * * 1", timezone="UTC"))
    first = trigger.get_next_fire_time(None, datetime(2026, 11, 25, tzinfo=UTC))
    assert first.strftime("%A") == "Monday"


def test_a_lost_chart_does_not_lose_or_repeat_the_digest(week, fake_slack):
    fake_slack.fail("files.getUploadURLExternal", error="not_allowed_token_type")
    sender = SlackDigestSender(WebClient(token="xoxb-test", base_url=fake_slack.base_url))
    sahel = team(week, "sahel-desk")
    result = send(
        week, sender, sahel, since=MON, until=MON + timedelta(days=7), digest=schedule_for(week, sahel)
    )
    assert result["stories"] == 5
    assert len([m for m in fake_slack.top_level("#sahel-alerts") if m.get("metadata")]) == 1
    assert fake_slack.uploads == {}


def test_a_chart_upload_that_breaks_unexpectedly_posts_the_digest_once(week, fake_slack, caplog):
    """The upload step fails with neither a Slack nor a network error (slack_sdk raises
    SlackRequestError when the upload host answers anything but 200 without an HTTP error):
    the text digest is out once, the run is done, and the next run starts where it ended
    instead of posting the same text again."""
    from bot.ops import metrics
    from bot.ops.digests import run_scheduled

    week.store.set_digest_setting("sahel-desk", cron="* * * * *", timezone="UTC", by="U1", now=MON)
    sender = SlackDigestSender(WebClient(token="xoxb-test", base_url=fake_slack.base_url))
    fake_slack.fail("upload", status=202, times=2)
    errors = lambda: metrics.ERRORS.labels("digest_chart")._value.get()  # noqa: E731
    before = errors()
    first_at = MON + timedelta(days=7, seconds=5)
    put(
        week,
        "late",
        "JNIM fighters attack a checkpoint near Sevare in central Mali.",
        MON + timedelta(days=7, seconds=-30),
    )
    for at in (first_at, first_at + timedelta(minutes=1)):
        week.clock = lambda at=at: at
        outcome = run_scheduled(week, sender, "sahel-desk")
        assert outcome.ran and outcome.ok, outcome.error
        assert outcome.detail["chart_error"].startswith("SlackRequestError: Failed to upload")
        metrics.record_job("digest", outcome.ok, outcome.detail)
    first, second = reversed(week.store.job_runs(job_name("sahel-desk"), status="done"))
    assert second.detail["since"] == first.detail["until"]  # the window moved on
    assert (first.detail["stories"], second.detail["stories"]) == (1, 0)
    digests = [m for m in fake_slack.top_level("#sahel-alerts") if m.get("metadata")]
    assert len(digests) == 2 and digests[0]["text"] != digests[1]["text"]
    assert errors() - before == 2  # one per digest that lost its chart
    warned = [r for r in caplog.records if "digest chart" in r.getMessage()]
    assert len(warned) == 2


def place(name: str, country: str) -> Place:
    return Place(name, country, None, None, None, (0, 0))


def test_a_story_is_filed_under_the_country_its_places_are_in():
    story = StoryRecord(
        id="s",
        title="t",
        first_item_id=1,
        opened_at=MON,
        last_item_at=MON,
        mentions=Mentions(
            countries=("US", "ML", "BF", "NE"),  # a US general citing deaths across the region
            places=(place("Boulikessi", "ML"), place("Timbuktu", "ML")),
            admin1=(Admin1("ML", "Mopti"), Admin1("ML", "Tombouctou")),
        ),
    )
    m = Matched(story, "https://news.example/s", 1, (MON,))
    assert (m.country, m.admin1) == ("ML", "Mopti")
    bare = Matched(StoryRecord("b", "t", 1, MON, MON, mentions=Mentions(countries=("NE", "ML"))), "", 1, ())
    assert (bare.country, bare.admin1) == ("NE", None)


DESKS = """
teams:
  - name: security-desk
    channel: "#sahel-alerts"
    mode: digest
    watch: {regions: [Sahel]}
    digest: {cron: "0 7 * * *", timezone: Africa/Bamako}
  - name: everything-desk
    channel: "#aq-affiliates"
    mode: digest
    watch: {regions: [Sahel], topics: all}
    digest: {cron: "0 7 * * *", timezone: Africa/Bamako}
  - name: festival-desk
    channel: "#somalia"
    mode: digest
    watch: {regions: [Sahel], keywords: [festival]}
    digest: {cron: "0 7 * * *", timezone: Africa/Bamako}
"""


def put_classified(services: Services, story_id: str, text: str, at: datetime) -> None:
    """One report stored as the pipeline stores it, with the event stage's verdict."""
    put(services, story_id, text, at, event=classify(text, services.matcher.mentions(text), "en"))


def test_a_digest_applies_the_team_topics(make_services, db_url):
    services = make_services(teams=DESKS, db_url=db_url)
    d = timedelta(days=1)
    put_classified(services, "raid", "Gunmen kill nine herders in a raid near Menaka in Mali.", MON + d)
    put_classified(
        services, "music", "A music festival opens in Segou, Mali, with bands from the region.", MON + d
    )
    put_classified(
        services, "market", "Grain prices rise at the market in Mopti, Mali, traders say.", MON + 2 * d
    )
    week = (MON, MON + 7 * d)

    def ids(name: str) -> set[str]:
        return {m.story.id for m in matched(services, team(services, name), *week)}

    assert ids("security-desk") == {"raid"}
    assert ids("everything-desk") == {"raid", "music", "market"}
    assert ids("festival-desk") == {"raid", "music"}  # its keyword asked for the festival
