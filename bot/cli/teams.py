"""`teams`: each team's live watch (the YAML seed plus changes made in Slack), mutes, history."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from bot.cli.context import pass_ctx

if TYPE_CHECKING:
    from bot.config import Team
    from bot.services import Services
    from bot.store import TeamChange


@click.command("teams")
@click.option("--team", "team_name", metavar="NAME", help="Only this team.")
@click.option("--history", is_flag=True, help="Show every change made from Slack (who, when, what).")
@pass_ctx
def teams(ctx, team_name: str | None, history: bool) -> None:
    """Team watches as the pipeline uses them: teams.yaml with Slack changes applied.

    Names added in Slack are marked with *, names removed in Slack are listed after "removed".
    Example: python -m bot teams --team sahel-desk --history
    """
    from bot.config import unknown_team
    from bot.watches import effective_teams

    services: Services = ctx.services()
    try:
        live = effective_teams(services.config.teams, services.store.team_changes())
        if team_name is not None and not any(t.name == team_name for t in live):
            raise click.BadParameter(unknown_team(team_name, (t.name for t in live)), param_hint="--team")
        for team in live:
            if team_name in (None, team.name):
                click.echo("\n".join(team_lines(services, team, history=history)) + "\n")
    finally:
        services.store.close()


def team_lines(services: Services, team: Team, *, history: bool) -> list[str]:
    from bot.clock import utcnow
    from bot.watches import WATCH_FIELDS, change_line, same_name, until_words

    seed = services.config.team(team.name)
    changes = services.store.team_changes(team.name)
    lines = [f"{team.name} → {team.channel}" + (f"  ({len(changes)} changes from Slack)" if changes else "")]
    for field in WATCH_FIELDS.values():
        now_names = getattr(team.watch, field)
        was = getattr(seed.watch, field) if seed else []
        shown = [n + ("" if any(same_name(n, w) for w in was) else "*") for n in now_names]
        removed = [w for w in was if not any(same_name(w, n) for n in now_names)]
        line = f"  {field}: {', '.join(shown) or '(none)'}"
        lines.append(line + (f"  — removed in Slack: {', '.join(removed)}" if removed else ""))
    lines.append(f"  require: {team.watch.require}")
    lines.append(f"  topics: {team.watch.topics}")
    if team.watch.exclude:
        lines.append(f"  exclude: {', '.join(team.watch.exclude)}")
    mutes = services.store.active_mutes(team.name, now=utcnow())
    for m in mutes:
        lines.append(f"  muted: {m.kind} {m.value} {until_words(m.until)} (by {m.created_by or '?'})")
    if history:
        lines += ["  history:"] + (
            [f"    {change_line(c)}" for c in _newest_first(changes)] or ["    no changes from Slack"]
        )
    return lines


def _newest_first(changes: list[TeamChange]) -> list[TeamChange]:
    return sorted(changes, key=lambda c: c.id or 0, reverse=True)
