"""Digest charts: stories per day, stacked by country (or group), as a PNG for Slack.

Made for Slack's preview: 1200×675 px (16:9, Slack's in-message preview keeps it whole),
large type, at most eight series in the Okabe–Ito palette (distinguishable with the
common colour-vision deficiencies), the rest folded into "Other" in grey. Uses
matplotlib's object API (no pyplot): no global state, safe in scheduler threads.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Literal

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.config import Team
from bot.services import Services

# Okabe & Ito (2008), black last; "Other" is grey so it never reads as a country.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
OTHER_COLOUR = "#9E9E9E"
MAX_SERIES = 7  # named series; the rest become "Other" (eight bars' colours at most)
SIZE_INCHES, DPI = (8.0, 4.5), 150
By = Literal["country", "group"]


@dataclass(frozen=True)
class Chart:
    png: bytes
    title: str
    days: tuple[date, ...]
    series: dict[str, tuple[int, ...]]  # label → stories per day, in legend order

    @property
    def total(self) -> int:
        return sum(sum(v) for v in self.series.values())


def stories_chart(
    services: Services,
    team: Team,
    stories: Sequence,
    *,
    days: int,
    end: datetime,
    tz: tzinfo,
    by: By = "country",
) -> Chart:
    """Stories per day (by the day each story opened, in the team's time zone)."""
    last = end.astimezone(tz).date()
    span = tuple(last - timedelta(days=days - 1 - i) for i in range(days))
    labels = [_label(services, m, by) for m in stories]
    opened = [m.story.opened_at.astimezone(tz).date() for m in stories]
    series = series_per_day(list(zip(labels, opened, strict=True)), span)
    what = "country" if by == "country" else "armed group"
    title = f"{team.name}: stories per day by {what}, last {days} days"
    return Chart(render(span, series, title=title), title, span, series)


def _label(services: Services, m, by: By) -> str:
    if by == "group":
        return m.groups[0] if m.groups else "No group named"
    return services.matcher.country_name(m.country) if m.country else "No country named"


def series_per_day(points: list[tuple[str, date]], span: Sequence[date]) -> dict[str, tuple[int, ...]]:
    """Counts per label per day; the biggest labels named, the rest summed as "Other"."""
    inside = [(label, d) for label, d in points if span and span[0] <= d <= span[-1]]
    totals = Counter(label for label, _ in inside)
    ranked = sorted(totals, key=lambda k: (-totals[k], k))
    named = ranked if len(ranked) <= MAX_SERIES + 1 else ranked[:MAX_SERIES]
    index = {d: i for i, d in enumerate(span)}
    series: dict[str, list[int]] = {label: [0] * len(span) for label in named}
    for label, d in inside:
        key = label if label in series else "Other"
        series.setdefault(key, [0] * len(span))[index[d]] += 1
    return {k: tuple(v) for k, v in series.items()}


def render(span: Sequence[date], series: dict[str, tuple[int, ...]], *, title: str) -> bytes:
    fig = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    x = list(range(len(span)))
    bottom = [0] * len(span)
    for i, (label, counts) in enumerate(series.items()):
        colour = OTHER_COLOUR if label == "Other" else PALETTE[i % len(PALETTE)]
        ax.bar(
            x, counts, bottom=bottom, color=colour, label=label, width=0.8, edgecolor="white", linewidth=0.6
        )
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    _axes(ax, span, title, empty=not series)
    # Room above the tallest bar; a quiet fortnight still gets a scale of a few stories.
    ax.set_ylim(0, max(3, max(bottom, default=0)) * 1.08)
    if series:
        ax.legend(
            loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=12, reverse=True
        )  # top of the stack first, as the bars read
    out = io.BytesIO()
    # The series names travel in the PNG's text chunk: a reader (or a test) can see them.
    fig.savefig(
        out,
        format="png",
        dpi=DPI,
        facecolor="white",
        metadata={"Title": title, "Description": "series: " + "; ".join(series)},
    )
    return out.getvalue()


def _axes(ax, span: Sequence[date], title: str, *, empty: bool) -> None:
    ax.set_title(title, fontsize=15, loc="left", pad=10)
    ax.set_ylabel("Stories", fontsize=13)
    ax.set_xlabel("Day (team time zone)", fontsize=12)
    step = max(1, len(span) // 7)  # about seven date labels, whatever the range
    ticks = list(range(0, len(span), step))
    ax.set_xticks(ticks, [span[i].strftime("%d %b") for i in ticks], fontsize=12)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(axis="y", labelsize=12)
    ax.set_xlim(-0.6, len(span) - 0.4)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.8)
    ax.set_axisbelow(True)
    if empty:
        ax.text(
            0.5,
            0.5,
            "No matching stories in this period",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=14,
            color="#555555",
        )
