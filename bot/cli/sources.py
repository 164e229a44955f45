"""`python -m bot sources`: a table of source health, from the store."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click

from bot.cli.context import pass_ctx

if TYPE_CHECKING:
    from bot.fetch.health import HealthRow

COLUMNS = ("SOURCE", "KIND", "STATE", "FAILS", "HTTP", "LAST OK", "ITEMS", "NEXT POLL", "LAST ERROR")


@click.command("sources")
@click.option("--unhealthy", is_flag=True, help="Only sources that are failing or unhealthy.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
@click.option("--check", is_flag=True, help="Exit 1 when any enabled source is unhealthy (for monitoring).")
@pass_ctx
def sources(ctx, unhealthy: bool, as_json: bool, check: bool) -> None:
    """Health of every source (sources.yaml and Slack's changes): last success, failures, last
    error, next poll."""
    from bot.config import load as load_config
    from bot.fetch.changes import SCOPE as SOURCE_SCOPE
    from bot.fetch.changes import effective_sources
    from bot.fetch.health import health_rows
    from bot.store import Store

    cfg = load_config(ctx.config_dir)
    store = Store.open(ctx.settings.db_url, wait_seconds=ctx.settings.lookout_db_wait_seconds)
    try:
        live = effective_sources(cfg.sources, store.team_changes(scope=SOURCE_SCOPE))
        rows = health_rows(store.source_states(), live)
    finally:
        store.close()
    if unhealthy:
        rows = [r for r in rows if r.health.consecutive_failures or not r.health.healthy]
    now = datetime.now(UTC)
    if as_json:
        for row in rows:
            click.echo(json.dumps(_as_dict(row)))
    else:
        _print_table([_cells(r, now) for r in rows])
    sick = [r.id for r in rows if r.enabled and not r.health.healthy]
    if sick:
        click.echo(
            f"{len(sick)} unhealthy: {', '.join(sick)} — check the LAST ERROR column; "
            "fix the URL or set enabled: false",
            err=True,
        )
        if check:
            sys.exit(1)


def _state(row: HealthRow) -> str:
    if not row.enabled:
        return "disabled"
    if row.last_attempt is None:
        return "never polled"
    if not row.health.healthy:
        return "UNHEALTHY"
    return "failing" if row.health.consecutive_failures else "ok"


def _cells(row: HealthRow, now: datetime) -> tuple[str, ...]:
    h = row.health
    return (
        row.id,
        row.kind,
        _state(row),
        str(h.consecutive_failures),
        str(h.last_status or "-"),
        _ago(h.last_success, now),
        str(h.items_seen),
        _until(row.next_poll_at, now) if row.enabled else "-",
        (h.last_error or "")[:60],
    )


def _print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(c), *(len(r[i]) for r in rows)) if rows else len(c) for i, c in enumerate(COLUMNS)]
    for line in (COLUMNS, *rows):
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())


def _ago(when: datetime | None, now: datetime) -> str:
    return "never" if when is None else f"{_span((now - when).total_seconds())} ago"


def _until(when: datetime | None, now: datetime) -> str:
    if when is None or when <= now:
        return "due"
    return f"in {_span((when - now).total_seconds())}"


def _span(seconds: float) -> str:
    seconds = max(0, int(seconds))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _as_dict(row: HealthRow) -> dict:
    h = row.health
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    return {
        "id": row.id,
        "kind": row.kind,
        "enabled": row.enabled,
        "state": _state(row),
        "healthy": h.healthy,
        "consecutive_failures": h.consecutive_failures,
        "last_status": h.last_status,
        "last_success": iso(h.last_success),
        "last_error": h.last_error,
        "items_seen": h.items_seen,
        "last_attempt": iso(row.last_attempt),
        "next_poll_at": iso(row.next_poll_at),
    }
