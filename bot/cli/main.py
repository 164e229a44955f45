"""Command line: `python -m bot <command> --help`. A thin layer over the library."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import click

from bot import __version__
from bot.cli.match import COMMANDS as MATCH_COMMANDS
from bot.cli.ops import COMMANDS as OPS_COMMANDS
from bot.cli.sources import sources
from bot.cli.stories import cluster
from bot.cli.teams import teams
from bot.errors import ConfigError, StoreError
from bot.settings import Settings

EXIT_RUNTIME, EXIT_USAGE = 1, 2


class Context:
    def __init__(self, config_dir: Path, verbose: bool):
        self.settings = Settings()
        self.config_dir = config_dir
        self.verbose = verbose

    def services(self, **kw):
        from bot.app.build import build_services

        return build_services(self.settings, self.config_dir, **kw)


pass_ctx = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_dir",
    type=click.Path(path_type=Path),
    envvar="LOOKOUT_CONFIG",
    default=Path("config"),
    show_default=True,
    help="Folder with sources.yaml, teams.yaml, groups.yaml, regions.yaml.",
)
@click.option("-v", "--verbose", is_flag=True, help="Log debug detail to stderr.")
@click.version_option(__version__, prog_name="lookout")
@click.pass_context
def cli(ctx: click.Context, config_dir: Path, verbose: bool) -> None:
    """Lookout: conflict and security news, matched to teams, posted to Slack."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("apscheduler", "waitress", "urllib3", "trafilatura", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    ctx.obj = Context(config_dir, verbose)


@cli.command("check-config")
@pass_ctx
def check_config(ctx: Context) -> None:
    """Validate the config folder; exit 0 when it is good, 2 with one line per problem."""
    from bot.app.build import load_config, load_matcher

    cfg = load_config(ctx.settings, ctx.config_dir, load_matcher(ctx.settings, ctx.config_dir))
    enabled = sum(s.enabled for s in cfg.sources)
    click.echo(
        f"{ctx.config_dir}: OK — {len(cfg.sources)} sources ({enabled} enabled), {len(cfg.teams)} teams"
    )


@cli.command()
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
        click.echo(
            f"polled {report.polled} sources ({report.not_modified} unchanged, "
            f"{len(report.errors)} failed): {report.new_items} new items, "
            f"{report.alerts} alerts queued, {sent.sent} posted, {sent.failed} failed",
            err=True,
        )
        for source_id, error in report.errors.items():
            click.echo(f"  {source_id}: {error}", err=True)
        if once:
            return
        time.sleep(every)


def _select_sources(services, source_ids: tuple[str, ...]):
    if not source_ids:
        return None
    known = {s.id: s for s in services.config.sources}
    unknown = [i for i in source_ids if i not in known]
    if unknown:
        raise click.BadParameter(
            f"unknown source {unknown[0]!r} (known: {', '.join(sorted(known))})", param_hint="--source"
        )
    return [known[i] for i in source_ids]


@cli.command()
@pass_ctx
def run(ctx: Context) -> None:
    """Everything in one process: scheduler, delivery and the Slack listener."""
    from bot.app.serve import serve

    serve(ctx.settings, ctx.services(), worker=True, listener=True)


@cli.command()
@pass_ctx
def worker(ctx: Context) -> None:
    """Scheduler and delivery alone (the Procfile's worker line)."""
    from bot.app.serve import serve

    serve(ctx.settings, ctx.services(), worker=True, listener=False)


@cli.command()
@pass_ctx
def web(ctx: Context) -> None:
    """The Slack listener alone: HTTP on $PORT (or Socket Mode), with /healthz."""
    from bot.app.serve import serve

    serve(ctx.settings, ctx.services(), worker=False, listener=True)


@cli.command()
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


# Commands that live beside the library code they drive.
for _command in (*MATCH_COMMANDS, *OPS_COMMANDS, cluster, sources, teams):
    cli.add_command(_command)


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(EXIT_RUNTIME)
    except click.ClickException as e:
        e.show()
        sys.exit(EXIT_USAGE)
    except ConfigError as e:
        click.echo(str(e), err=True)
        sys.exit(EXIT_USAGE)
    except StoreError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(EXIT_RUNTIME)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as e:
        if logging.getLogger().isEnabledFor(logging.DEBUG):
            raise
        click.echo(f"error: {type(e).__name__}: {e} (run with -v for details)", err=True)
        sys.exit(EXIT_RUNTIME)
