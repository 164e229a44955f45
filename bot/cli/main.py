"""Command line: `python -m bot <command> --help`. A thin layer over the library.

This module builds the group, registers every module's commands and maps errors to exit
codes; the commands themselves live in the other bot/cli modules.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from bot import __version__
from bot.cli import logs
from bot.cli.context import Context
from bot.cli.match import COMMANDS as MATCH_COMMANDS
from bot.cli.ops import COMMANDS as OPS_COMMANDS
from bot.cli.run import COMMANDS as RUN_COMMANDS
from bot.cli.sources import sources
from bot.cli.stories import cluster
from bot.cli.teams import teams
from bot.errors import ConfigError, StoreError

EXIT_RUNTIME, EXIT_USAGE = 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_dir",
    type=click.Path(path_type=Path),
    envvar="LOOKOUT_CONFIG",
    default=Path("config"),
    show_default=True,
    help="Folder with sources.yaml and teams.yaml (and any regions/groups/places.yaml overrides).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log debug detail to stderr.")
@click.version_option(__version__, prog_name="lookout")
@click.pass_context
def cli(ctx: click.Context, config_dir: Path, verbose: bool) -> None:
    """Lookout: conflict and security news, matched to teams, posted to Slack."""
    logs.configure(verbose=verbose)
    ctx.obj = Context(config_dir, verbose)


# Each command comes from the bot/cli module that defines it; --help lists them by name.
for _command in (*RUN_COMMANDS, *MATCH_COMMANDS, *OPS_COMMANDS, cluster, sources, teams):
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
