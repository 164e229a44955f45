"""`match`, `where`, `who` and `gazetteer import`: the matcher from the command line."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import click
import orjson

from bot.cli.lines import BoundedLines
from bot.config import load_teams
from bot.errors import ConfigError
from bot.event import classify, topics
from bot.match import batch
from bot.match.focus import explain as focus_explain
from bot.match.gazetteer import code_rows, dump_rows, file_kind
from bot.match.matcher import Matcher
from bot.match.output import Lines
from bot.models import NO_EVENT, Event
from bot.settings import Settings

EXIT_RUNTIME, EXIT_USAGE = 1, 2

_data_dir = click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    envvar="LOOKOUT_DATA_DIR",
    default=None,
    help="Where the gazetteer index and imported dumps live (default: data/ beside the config folder).",
)
_config = click.option(
    "--config",
    "config_opt",
    type=click.Path(path_type=Path),
    default=None,
    help="Config folder (default: the main --config, $LOOKOUT_CONFIG or config/).",
)


def _fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _config_dir(ctx: click.Context, given: Path | None) -> Path:
    if given is not None:
        return given
    parent = getattr(ctx.find_root().obj, "config_dir", None)
    if parent is not None:
        return parent
    import os

    return Path(os.environ.get("LOOKOUT_CONFIG", "config"))


def _resolve_data_dir(ctx: click.Context, config_opt: Path | None, given: Path | None) -> Path:
    return given or Settings(lookout_config=_config_dir(ctx, config_opt)).lookout_data_dir


def _matcher(ctx: click.Context, config_opt: Path | None, data_dir: Path | None) -> Matcher:
    config_dir = _config_dir(ctx, config_opt)
    data_dir = _resolve_data_dir(ctx, config_opt, data_dir)
    try:
        return Matcher.load(config_dir, data_dir)
    except ConfigError as e:
        _fail(str(e), EXIT_USAGE)
    except OSError as e:
        _fail(f"cannot use data dir {data_dir}: {e}", EXIT_RUNTIME)
    raise AssertionError("unreachable")


@click.command("match")
@_config
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
def match_cmd(
    ctx: click.Context, config_opt: Path | None, data_dir: Path | None, explain: bool, jobs: int
) -> None:
    """JSON lines {"id", "text"} on stdin → mentions as JSON lines on stdout, same order."""
    m = _matcher(ctx, config_opt, data_dir)
    teams = _teams(_config_dir(ctx, config_opt)) if explain else ()

    lines = Lines()
    classify("")  # the event vocabulary is read here, once, not in each forked worker

    def render(line: bytes, line_no: int) -> bytes:
        item_id, text, source_country = _read_line(line, line_no)
        mentions, resolved = m.resolved(text, source_country)
        event = classify(text, mentions, explain=explain)
        if not explain:
            try:
                return lines.line(item_id, mentions, extra=_event_field(event))
            except TypeError:  # an id orjson cannot write: json below writes it
                pass
        out = mentions.to_json(item_id)
        if explain:
            out["explain"] = _explain(m, mentions, resolved, teams, text)
        _add_event(out, event, teams)
        return _dumps(out)

    reader = BoundedLines(getattr(sys.stdin, "buffer", None) or sys.stdin)
    stdin = (line if isinstance(line, bytes) else line.encode("utf-8") for line in reader)
    stdout = getattr(sys.stdout, "buffer", None)
    write = stdout.write if stdout is not None else (lambda b: sys.stdout.write(b.decode("utf-8")))
    try:
        batch.run(stdin, render, write, workers=jobs or batch.usable_cpus())
    except batch.LineError as e:
        _fail(str(e), EXIT_USAGE)
    if reader.error:
        _fail(f"stdin {reader.error}", EXIT_USAGE)


def _read_line(line: bytes, line_no: int) -> tuple[object, str, str | None]:
    try:
        row = orjson.loads(line)
        if isinstance(row, dict) and isinstance(row.get("id"), float):
            row = json.loads(line)  # orjson reads an integer beyond 64 bits as a float: echo it exactly
    except orjson.JSONDecodeError:  # what orjson refuses (NaN, lone surrogates), json may read
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise batch.LineError(line_no, f"not JSON ({getattr(e, 'msg', None) or e.reason})") from None
    if not isinstance(row, dict) or not isinstance(row.get("text"), str):
        raise batch.LineError(line_no, 'expected an object with a string "text"')
    source_country = row.get("source_country")
    return row.get("id"), row["text"], source_country if isinstance(source_country, str) else None


_NOT_SECURITY = Event(False, NO_EVENT)
_NOT_SECURITY_FIELD = b',"event":' + orjson.dumps(_NOT_SECURITY.to_json())


def _event_field(event: Event) -> bytes:
    """',"event":{...}' for a match line; the same bytes for every item that is not security
    news (most of them), made once."""
    if not event.security and event.kind == NO_EVENT and not event.evidence:
        return _NOT_SECURITY_FIELD
    return b',"event":' + orjson.dumps(event.to_json())


def _dumps(out: dict) -> bytes:
    """One output line (orjson: a tenth of json's time; json for what orjson refuses, such as an
    id beyond 64-bit integers)."""
    try:
        return orjson.dumps(out, option=orjson.OPT_APPEND_NEWLINE)
    except TypeError:
        return (json.dumps(out, ensure_ascii=False) + "\n").encode("utf-8")


def _teams(config_dir: Path):
    """The teams whose watches --explain tries (none without a teams.yaml), read with the same
    caps and words as every config file: a plain yaml load let nested aliases run for minutes."""
    if not (config_dir / "teams.yaml").exists():
        return ()
    try:
        return load_teams(config_dir)
    except ConfigError as e:
        _fail(str(e), EXIT_USAGE)
    return ()


def _explain(m: Matcher, mentions, resolved, teams, text: str) -> dict:
    fired = [tm for t in teams if (tm := m.match(t, mentions, text))]
    d = mentions.dateline
    return {
        "focus": focus_explain(resolved) if resolved else {"countries": [], "votes": []},
        "dateline": f"filed from {d.name} ({d.country}); not counted as a place" if d else None,
        "places": [f"{p.name} ({p.admin1}, {p.country}): {p.reason}" for p in mentions.places],
        "groups": [g.reason for g in mentions.groups],
        "teams": [{"team": tm.team, "reasons": list(tm.reasons)} for tm in fired],
    }


def _add_event(out: dict, event: Event, teams) -> None:
    """The event stage's verdict (issue 16): the `event` field; with --explain, why (not) an
    event, and whether each team whose watch fires gets a card under its `topics` setting."""
    out["event"] = event.to_json()
    if "explain" in out:
        out["explain"]["event"] = event.reason
        watches = {t.name: t.watch for t in teams}
        for fired in out["explain"]["teams"]:
            reasons = topics.card_reasons(watches[fired["team"]], tuple(fired["reasons"]), event)
            fired["card"] = reasons is not None
            fired["reasons"] = list(reasons or fired["reasons"])


@click.command("where")
@click.argument("name")
@_config
@_data_dir
@click.pass_context
def where_cmd(ctx: click.Context, name: str, config_opt: Path | None, data_dir: Path | None) -> None:
    """Print the places called NAME: admin1, country and the regions they roll up into."""
    found = _matcher(ctx, config_opt, data_dir).where(name)
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
@_config
@_data_dir
@click.pass_context
def who_cmd(ctx: click.Context, name: str, config_opt: Path | None, data_dir: Path | None) -> None:
    """Print the armed group known as NAME: canonical name, aliases, affiliation, countries."""
    g = _matcher(ctx, config_opt, data_dir).who(name)
    if g is None:
        _fail(f"no group called {name!r} in the group catalogue (groups.yaml)", EXIT_RUNTIME)
    click.echo(g.label)
    click.echo(f"  aliases: {', '.join(g.aliases) or '-'}")
    click.echo(f"  countries: {', '.join(g.countries) or '-'}")


@click.group("gazetteer")
def gazetteer() -> None:
    """Manage the place gazetteer (GeoNames data, CC BY 4.0)."""


@gazetteer.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@_config
@_data_dir
@click.pass_context
def import_cmd(
    ctx: click.Context, files: tuple[Path, ...], config_opt: Path | None, data_dir: Path | None
) -> None:
    """Add GeoNames files and rebuild the index: country dumps (e.g. ML.txt: populated places and
    administrative divisions ADM1–ADM3) and the code lists admin2Codes.txt / admin1CodesASCII.txt."""
    data_dir = _resolve_data_dir(ctx, config_opt, data_dir)
    counts = [(f, _check_dump(f)) for f in files]  # check all first: a bad file changes nothing
    target = data_dir / "geonames"
    target.mkdir(parents=True, exist_ok=True)
    for f, _ in counts:
        shutil.copyfile(f, target / f.name)
    m = _matcher(ctx, config_opt, data_dir)
    for f, n in counts:
        click.echo(f"imported {n} from {f.name}")
    click.echo(f"index: {len(m.index.p_name):,} places in {data_dir / 'gazetteer'}")


def _check_dump(path: Path) -> str:
    """What the file holds, in words ("10,132 places and 95 administrative divisions")."""
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
