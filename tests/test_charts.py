"""Charts: a valid PNG of the expected size, with the expected series, for Slack's preview."""

from __future__ import annotations

import io
from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

from PIL import Image

from bot.digest import charts
from bot.digest.collect import matched
from tests.test_digest import MON, TEAMS, fixture_week, team

SPAN = tuple(date(2026, 11, 1) + timedelta(days=i) for i in range(14))


def png_info(data: bytes) -> tuple[tuple[int, int], list[str]]:
    img = Image.open(io.BytesIO(data))
    img.verify()  # a broken PNG raises here
    img = Image.open(io.BytesIO(data))
    series = img.info["Description"].removeprefix("series: ")
    return img.size, [s for s in series.split("; ") if s]


def test_series_fold_the_tail_into_other():
    points = [(f"C{i}", SPAN[i % 14]) for i in range(10) for _ in range(10 - i)]
    series = charts.series_per_day([*points, ("C0", date(2026, 10, 1))], SPAN)
    assert list(series) == [f"C{i}" for i in range(7)] + ["Other"]
    assert sum(series["C0"]) == 10  # the point outside the span is not counted
    assert sum(series["Other"]) == 3 + 2 + 1
    assert sum(map(sum, series.values())) == sum(range(1, 11))


def test_nine_labels_or_fewer_are_all_named():
    points = [(f"C{i}", SPAN[0]) for i in range(8)]
    assert list(charts.series_per_day(points, SPAN)) == sorted(f"C{i}" for i in range(8))


def test_chart_png_size_and_series(make_services):
    services = make_services(teams=TEAMS)
    fixture_week(services)
    sahel = team(services, "sahel-desk")
    end = MON + timedelta(days=7)
    stories = matched(services, sahel, end - timedelta(days=14), end)
    chart = charts.stories_chart(services, sahel, stories, days=14, end=end, tz=ZoneInfo("Africa/Bamako"))
    size, series = png_info(chart.png)
    assert size == (1200, 675)
    assert series == ["Mali", "Burkina Faso", "Niger"] == list(chart.series)
    assert chart.total == 5 + 1  # the week's five and the one from the week before
    assert chart.days[-1] == date(2026, 11, 23)
    assert sum(chart.series["Mali"]) == 4
    by_group = charts.stories_chart(services, sahel, stories, days=30, end=end, tz=UTC, by="group")
    assert png_info(by_group.png)[1] == ["JNIM", "No group named", "Islamic State Sahel Province"]
    assert len(by_group.days) == 30


def test_empty_chart_is_still_a_readable_png():
    png = charts.render(SPAN, {}, title="nothing")
    assert png_info(png) == ((1200, 675), [])


def test_many_series_render_with_distinct_colours():
    points = [(f"Country {i}", SPAN[i]) for i in range(12)]
    series = charts.series_per_day(points, SPAN)
    size, names = png_info(charts.render(SPAN, series, title="twelve"))
    assert size == (1200, 675) and len(names) == 8 and names[-1] == "Other"
    assert len(set(charts.PALETTE)) == len(charts.PALETTE) == 8
