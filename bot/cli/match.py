"""`match`, `where`, `who` and `gazetteer import`: the matcher from the command line."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.cli.context import config_option, context_of

if TYPE_CHECKING:
    from bot.match.matcher import Matcher

EXIT_RUNTIME, EXIT_USAGE = 1, 2

_data_dir = click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    envvar="LOOKOUT_DATA_DIR",
    default=None,
    help="Where the gazetteer index and imported dumps live (default: data/ beside the config folder).",
)


def _fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _resolve_data_dir(ctx: click.Context, given: Path | None) -> Path:
    return given or context_of(ctx).settings.lookout_data_dir


def _matcher(ctx: click.Context, data_dir: Path | None) -> Matcher:
    from bot.errors import ConfigError
    from bot.match.matcher import Matcher

    config_dir = context_of(ctx).config_dir
    data_dir = _resolve_data_dir(ctx, data_dir)
    try:
        return Matcher.load(config_dir, data_dir)
    except ConfigError as e:
        _fail(str(e), EXIT_USAGE)
    except OSError as e:
        _fail(f"cannot use data dir {data_dir}: {e}", EXIT_RUNTIME)
    raise AssertionError("unreachable")


@click.command("match")
@config_option
@_data_dir
@click.option(
    "--explain", is_flag=True, help="Add why each mention was kept and which team watches fire (teams.yaml)."
)
@click.option(
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    help="Worker processes for a long input (default 0: one per usable CPU; 1: none).",
)
@click.pass_context
def match_cmd(ctx: click.Context, data_dir: Path | None, explain: bool, jobs: int) -> None:
    """JSON lines {"id", "text"} on stdin → mentions as JSON lines on stdout, same order."""
    m = _matcher(ctx, data_dir)
    teams = _teams(context_of(ctx).config_dir) if explain else ()
    from bot.cli import match_lines
    from bot.match.batch import LineError

    try:
        error = match_lines.run(m, teams, explain=explain, jobs=jobs)
    except LineError as e:
        _fail(str(e), EXIT_USAGE)
    if error:
        _fail(f"stdin {error}", EXIT_USAGE)


def _teams(config_dir: Path):
    """The teams whose watches --explain tries (none without a teams.yaml), read with the same
    caps and words as every config file: a plain yaml load let nested aliases run for minutes."""
    from bot.config import load_teams
    from bot.errors import ConfigError

    if not (config_dir / "teams.yaml").exists():
        return ()
    try:
        return load_teams(config_dir)
    except ConfigError as e:
        _fail(str(e), EXIT_USAGE)
    return ()


@click.command("where")
@click.argument("name")
@config_option
@_data_dir
@click.pass_context
def where_cmd(ctx: click.Context, name: str, data_dir: Path | None) -> None:
    """Print the places called NAME: admin1, country and the regions they roll up into."""
    found = _matcher(ctx, data_dir).where(name)
    if not found:
        _fail(
            f"no place called {name!r} in the gazetteer (add it to places.yaml in the config folder, "
            "or import a GeoNames dump with `gazetteer import`)",
            EXIT_RUNTIME,
        )
    for p in found:
        admin1 = f"{p.admin1}, " if p.admin1 and p.admin1 != p.name else ""
        regions = ", ".join(p.regions) or "no macro-region"
        pop = f", pop. {p.population:,}" if p.population else ""
        coords = f" at {p.lat:.2f}, {p.lon:.2f}" if p.lat or p.lon else ""
        click.echo(f"{p.name}: {admin1}{p.country_name} ({p.country}){coords}{pop} — {regions}")


@click.command("who")
@click.argument("name")
@config_option
@_data_dir
@click.pass_context
def who_cmd(ctx: click.Context, name: str, data_dir: Path | None) -> None:
    """Print the armed group known as NAME: canonical name, aliases, affiliation, countries."""
    from bot.match.vocabulary import Vocabulary

    # The catalogue is in the index's tables: no need for the 68 MB name automaton.
    vocabulary = Vocabulary.load(context_of(ctx).config_dir, _resolve_data_dir(ctx, data_dir))
    g = vocabulary.catalogue.find(name) if vocabulary else _matcher(ctx, data_dir).who(name)
    if g is None:
        _fail(f"no group called {name!r} in the group catalogue (groups.yaml)", EXIT_RUNTIME)
    click.echo(g.label)
    # The catalogue keeps case variants ("l'Islam", "l'islam") for the scan; a reader needs one.
    aliases: dict[str, str] = {}
    for a in g.aliases:
        aliases.setdefault(a.casefold(), a)
    click.echo(f"  aliases: {', '.join(aliases.values()) or '-'}")
    click.echo(f"  countries: {', '.join(g.countries) or '-'}")


@click.group("gazetteer")
def gazetteer() -> None:
    """Manage the place gazetteer (GeoNames data, CC BY 4.0)."""


@gazetteer.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@config_option
@_data_dir
@click.pass_context
def import_cmd(ctx: click.Context, files: tuple[Path, ...], data_dir: Path | None) -> None:
    """Add GeoNames files and rebuild the index: country dumps (e.g. ML.txt: populated places and
    administrative divisions ADM1–ADM3) and the code lists admin2Codes.txt / admin1CodesASCII.txt."""
    data_dir = _resolve_data_dir(ctx, data_dir)
    counts = [(f, _check_dump(f)) for f in files]  # check all first: a bad file changes nothing
    target = data_dir / "geonames"
    target.mkdir(parents=True, exist_ok=True)
    for f, _ in counts:
        shutil.copyfile(f, target / f.name)
    m = _matcher(ctx, data_dir)
    for f, n in counts:
        click.echo(f"imported {n} from {f.name}")
    click.echo(f"index: {len(m.index.p_name):,} places in {data_dir / 'gazetteer'}")


def _check_dump(path: Path) -> str:
    """What the file holds, in words ("10,132 places and 95 administrative divisions")."""
    from bot.match.gazetteer import code_rows, dump_rows, file_kind

    try:
        kind = file_kind(path)
        if kind != "dump":
            n = sum(1 for _ in code_rows(path))
            return f"{n:,} {kind} names"
        places = divisions = 0
        for row in dump_rows(path):
            places += row.level == 0
            divisions += row.level > 0
        return f"{places:,} places and {divisions:,} administrative divisions"
    except FileNotFoundError:
        _fail(f"{path}: file not found", EXIT_USAGE)
    except (ValueError, UnicodeDecodeError) as e:
        _fail(f"{path}: not a GeoNames country dump or code list: {e}", EXIT_USAGE)
    return ""


COMMANDS = (match_cmd, where_cmd, who_cmd, gazetteer)
