"""Running Lookout: check-config, poll, run, worker, web and demo."""

from __future__ import annotations

import sys
import time

import click

from bot.cli.context import Context, pass_ctx


@click.command("check-config")
@pass_ctx
def check_config(ctx: Context) -> None:
    """Validate the config folder; exit 0 when it is good, 2 with one line per problem."""
    from bot.app.build import checked_config

    cfg = checked_config(ctx.settings, ctx.config_dir)
    enabled = sum(s.enabled for s in cfg.sources)
    click.echo(
        f"{ctx.config_dir}: OK — {len(cfg.sources)} sources ({enabled} enabled), {len(cfg.teams)} teams"
    )
    for team in cfg.teams:  # what fires each watch (issue 16: security news by default)
        click.echo(f"  team {team.name}: topics: {team.watch.topics}, require: {team.watch.require}")


@click.command()
@click.option(
    "--once",
    "once",
    flag_value=True,
    default=True,
    help="One cycle over every enabled source, deliver, then exit (the default).",
)
@click.option(
    "--forever", "once", flag_value=False, help="Repeat the cycle every --every seconds until interrupted."
)
@click.option(
    "--every",
    default=60,
    show_default=True,
    type=click.IntRange(5, 86400),
    help="Seconds between cycles with --forever.",
)
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Only this source (repeatable).")
@pass_ctx
def poll(ctx: Context, once: bool, every: int, source_ids: tuple[str, ...]) -> None:
    """Fetch → match → post, ignoring poll intervals."""
    from bot import pipeline
    from bot.app.build import build_delivery, build_poster

    services = ctx.services()
    services.store.hold_single_process_lock()
    chosen = _select_sources(services, source_ids)
    delivery = build_delivery(services, build_poster(ctx.settings))
    while True:
        report = pipeline.poll(services, chosen, force=True)
        sent = delivery.drain()
        # Each source's error was logged once as it happened: the summary only counts them.
        click.echo(
            f"polled {report.polled} sources ({report.not_modified} unchanged, "
            f"{len(report.errors)} failed): {report.new_items} new items, "
            f"{report.alerts} alerts queued, {sent.sent} posted, {sent.failed} failed",
            err=True,
        )
        if once:
            _finish_once(services, report)
            return
        time.sleep(every)


def _finish_once(services, report) -> None:
    """Say what is left in the outbox (alerts waiting out a retry, or beyond what one run
    drains), and fail when no source could be read: a cron job must see that."""
    from bot.clock import utcnow

    queued = services.store.queue_status(utcnow()).pending
    if queued:
        them = "it" if queued == 1 else "them"
        click.echo(f"{queued} alert{'s' * (queued != 1)} still queued, the worker will send {them}", err=True)
    if report.polled and len(report.errors) == report.polled:
        click.echo(f"every source failed ({report.polled})", err=True)
        sys.exit(1)


def _select_sources(services, source_ids: tuple[str, ...]):
    if not source_ids:
        return None
    known = {s.id: s for s in services.sources()}
    unknown = [i for i in source_ids if i not in known]
    if unknown:
        raise click.BadParameter(
            f"unknown source {unknown[0]!r} (known: {', '.join(sorted(known))})", param_hint="--source"
        )
    return [known[i] for i in source_ids]


@click.command()
@pass_ctx
def run(ctx: Context) -> None:
    """Everything in one process: scheduler, delivery and the Slack listener."""
    from bot.app.serve import serve

    serve(ctx.settings, ctx.services, worker=True, listener=True)


@click.command()
@pass_ctx
def worker(ctx: Context) -> None:
    """Scheduler and delivery alone (the Procfile's worker line)."""
    from bot.app.serve import serve

    serve(ctx.settings, ctx.services, worker=True, listener=False)


@click.command()
@pass_ctx
def web(ctx: Context) -> None:
    """The Slack listener alone: HTTP on $PORT (or Socket Mode), with /healthz."""
    from bot.app.serve import serve

    serve(ctx.settings, ctx.services, worker=False, listener=True)


@click.command()
@click.option(
    "--db",
    "db_url",
    default=None,
    metavar="URL",
    help="Database for the demo (default: a fresh temporary SQLite file).",
)
@pass_ctx
def demo(ctx: Context, db_url: str | None) -> None:
    """Serve the bundled sample feeds locally and run one real cycle against them."""
    from bot.app.demo import run_demo

    run_demo(ctx.settings, ctx.config_dir, db_url=db_url)


COMMANDS = (check_config, poll, run, worker, web, demo)
