"""Operator commands: `status`, `report` (a digest chart as a PNG, offline), `prune`."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from bot.cli.context import pass_ctx


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON.")
@pass_ctx
def status(ctx, as_json: bool) -> None:
    """Sources, last cycle, items and alerts per hour, the outbox, leases, digests, pruning."""
    from bot.ops import status as ops

    services = _without_matcher(ctx)
    try:
        st = ops.status(services)
    finally:
        services.store.close()
    if as_json:
        click.echo(json.dumps(asdict(st), default=str, indent=2))
    else:
        click.echo(ops.status_text(st))


@click.command()
@click.option("--team", "team_name", required=True, metavar="NAME", help="Team whose watch picks stories.")
@click.option(
    "--days", default=30, show_default=True, type=click.IntRange(1, 366), help="Days shown, ending today."
)
@click.option(
    "--by",
    type=click.Choice(["country", "group"]),
    default="country",
    show_default=True,
    help="Stack stories by country or by armed group.",
)
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="PNG file to write."
)
@pass_ctx
def report(ctx, team_name: str, days: int, by: str, out: Path) -> None:
    """Write a team's stories-per-day chart as a PNG and print its weekly trend."""
    from bot.clock import utcnow
    from bot.config import unknown_team
    from bot.digest import charts, trends
    from bot.digest.collect import matched
    from bot.digest.schedule import schedule_for

    if not out.parent.is_dir():
        raise click.BadParameter(f"folder {str(out.parent)!r} does not exist", param_hint="--out")
    services = ctx.services()
    try:
        team = next((t for t in services.teams() if t.name == team_name), None)
        if team is None:
            raise click.BadParameter(
                unknown_team(team_name, (t.name for t in services.teams())), param_hint="--team"
            )
        schedule = schedule_for(services, team)
        tz = ZoneInfo(schedule.timezone if schedule else "UTC")
        now = utcnow()
        click.echo(f"matching {days} days of stories against {team.name}'s watch…", err=True)
        stories = matched(services, team, now - timedelta(days=max(days, 14)), now)
        chart = charts.stories_chart(services, team, stories, days=days, end=now, tz=tz, by=by)
        trend = trends.weekly(services, team, now, stories)
    finally:
        services.store.close()
    out.write_bytes(chart.png)
    click.echo(
        f"{out}: {chart.total} stories in {len(chart.series)} series ({', '.join(chart.series) or 'none'})"
    )
    for row in trend:
        click.echo(
            f"{row.region}: {row.this_week} this week, {row.last_week} last week ({row.change})"
            + (f"; newly active: {', '.join(row.new_groups)}" if row.new_groups else "")
        )


@click.command()
@click.option(
    "--older-than",
    "older_than",
    default=None,
    metavar="AGE",
    help="Age such as 90d or 2160h (default: LOOKOUT_RETENTION_DAYS, 90 days).",
)
@click.option("--dry-run", is_flag=True, help="Count what would go; delete nothing.")
@pass_ctx
def prune(ctx, older_than: str | None, dry_run: bool) -> None:
    """Delete items, stories and alerts older than the retention age (open threads are kept)."""
    from bot.config import parse_duration
    from bot.ops import retention

    age = None
    if older_than is not None:
        try:
            age = timedelta(seconds=parse_duration(older_than))
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--older-than") from None
    services = _without_matcher(ctx)
    try:
        result = retention.prune(services, older_than=age, dry_run=dry_run)
    finally:
        services.store.close()
    verb = "would remove" if dry_run else "removed"
    counts = ", ".join(f"{n} {what}" for what, n in result["removed"].items())
    click.echo(f"{verb} {counts} (older than {result['before']})")


def _without_matcher(ctx):
    """Services for commands that never match text: they start in a second, and work even
    when the gazetteer index is missing or being rebuilt (when an operator needs status most)."""
    from bot import config as config_mod
    from bot.services import Services
    from bot.store import Store

    cfg = config_mod.load(ctx.config_dir)  # watch names are not checked against the gazetteer
    return Services(
        settings=ctx.settings,
        config=cfg,
        store=Store.open(ctx.settings.db_url, wait_seconds=ctx.settings.lookout_db_wait_seconds),
        matcher=None,  # type: ignore[arg-type]
    )


COMMANDS = (status, report, prune)
