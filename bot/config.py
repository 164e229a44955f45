"""config/*.yaml and the shipped catalogues: models, loading, and errors that name file, field
path and value."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Protocol

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from bot.configfiles import yamlfile
from bot.configfiles.words import Wording, close_matches, describe, did_you_mean, kind, show, typos
from bot.configfiles.yamlfile import Problems
from bot.errors import ConfigError

if TYPE_CHECKING:
    from apscheduler.triggers.cron import CronTrigger

_DURATION = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION_HELP = "write seconds (300) or a number with s, m, h or d (5m, 1h, 2d)"


def parse_duration(value: Any) -> int:
    """Seconds from 300, "300", "5m", "1h", "2d"."""
    if isinstance(value, bool):
        raise ValueError(f"{show(value)} is not a duration; {_DURATION_HELP}")
    if isinstance(value, int):
        seconds = value
    else:
        m = _DURATION.match(str(value))
        if not m:
            raise ValueError(f"{show(value)} is not a duration; {_DURATION_HELP}")
        seconds = int(m.group(1)) * _UNITS[m.group(2)]
    if seconds <= 0:
        raise ValueError(f"a duration must be longer than zero, not {show(value)}")
    return seconds


Duration = Annotated[int, BeforeValidator(parse_duration)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


SourceKind = Literal["rss", "atom", "rdf", "jsonfeed", "reliefweb", "gdelt"]


class SourceConfig(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=64)
    kind: SourceKind
    url: str = Field(pattern=r"^https?://\S+$")
    interval: Duration = 300
    enabled: bool = True
    allow_private: bool = False  # only for feeds on this machine (demo, tests)
    fetch_article: bool = False  # fetch the page when the feed carries only a summary
    name: str | None = None  # human label, defaults to id
    params: dict[str, Any] = Field(default_factory=dict)  # adapter options (API queries)

    @property
    def label(self) -> str:
        return self.name or self.id


class Watch(Strict):
    regions: list[str] = Field(default_factory=list)  # any level: region, country, admin1, town
    groups: list[str] = Field(default_factory=list)  # canonical names, aliases or affiliations
    keywords: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)  # keywords that veto a match
    require: Literal["any", "region_and_group"] = "any"
    # security (default): places and groups fire only on security news (bot/event); all:
    # on any news about them. Keywords fire on any news: the team named the words it wants.
    topics: Literal["security", "all"] = "security"

    @property
    def is_empty(self) -> bool:
        return not (self.regions or self.groups or self.keywords)


class Digest(Strict):
    cron: str = "0 7 * * *"
    timezone: str = "UTC"

    @field_validator("cron")
    @classmethod
    def _runs(cls, v: str) -> str:
        cron_trigger(v)  # the worker schedules with the same call: what passes here runs there
        return v

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {show(v)}; use an IANA name such as Africa/Bamako") from None
        return v


_CRON_FIELDS = ("minute", "hour", "day", "month", "day_of_week")
_CRON_WORDS = {"day": "day of month", "day_of_week": "day of week"}
_CRON_RANGES = {"minute": "0–59", "hour": "0–23", "day": "1–31", "month": "1–12", "day_of_week": "0–7"}
_OUT_OF_RANGE = re.compile(r"the (?:first|last) value \((\d+)\) is (?:higher|lower) than the")


def cron_trigger(cron: str, timezone: str = "UTC") -> CronTrigger:
    """APScheduler's CronTrigger for a standard 5-field cron line (weekdays 0 and 7 are Sunday).
    ValueError, in words, when the line cannot run: a field out of range or a date that never
    comes (31 February)."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from apscheduler.triggers.cron import CronTrigger

    fields = cron.split()
    if len(fields) != 5:
        raise ValueError(
            f"{show(cron)} has {len(fields)} fields; a cron schedule has 5 "
            '(minute hour day-of-month month day-of-week), such as "0 7 * * *"'
        )
    values = dict(zip(_CRON_FIELDS, fields, strict=True))
    values["day_of_week"] = _dow_names(values["day_of_week"])
    try:
        trigger = CronTrigger(**values, timezone=ZoneInfo(timezone))
    except ValueError:
        raise ValueError(f"{show(cron)} cannot run: {_cron_problem(values, fields)}") from None
    if trigger.get_next_fire_time(None, datetime.now(UTC)) is None:
        raise ValueError(f"{show(cron)} never runs: no date matches it")
    return trigger


def _cron_problem(values: dict[str, str], written: list[str]) -> str:
    """Which field APScheduler refused, and why, in words."""
    from apscheduler.triggers.cron import CronTrigger

    for name, text in zip(_CRON_FIELDS, written, strict=True):
        try:
            CronTrigger(**{name: values[name]}, timezone="UTC")
        except ValueError as e:
            word = _CRON_WORDS.get(name, name)
            out_of_range = _OUT_OF_RANGE.search(str(e))
            if out_of_range:
                return f"{word} {out_of_range.group(1)} is out of range ({_CRON_RANGES[name]})"
            reason = str(e).split(": ", 1)[-1]
            return f"the {word} field {show(text)} is not valid ({reason[0].lower()}{reason[1:]})"
    return "APScheduler refused it"


def _dow_names(field: str) -> str:
    """Standard cron counts weekdays from Sunday = 0 (and 7); APScheduler 3 from Monday = 0.
    Day numbers become names, which both read the same way ("1-5" → "mon-fri")."""
    names = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
    return re.sub(
        r"(?<![/\d])\d+", lambda m: names[int(m.group())] if int(m.group()) < 8 else m.group(), field
    )


class Team(Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)
    channel: str = Field(pattern=r"^(#[a-z0-9_-]{1,80}|[CG][A-Z0-9]{6,})$")
    watch: Watch
    mode: Literal["realtime", "digest", "both"] = "realtime"
    digest: Digest | None = None


class SourcesFile(Strict):
    sources: list[SourceConfig]

    @field_validator("sources")
    @classmethod
    def _unique_ids(cls, v: list[SourceConfig]) -> list[SourceConfig]:
        _reject_duplicates(s.id for s in v)
        return v


class TeamsFile(Strict):
    teams: list[Team]

    @field_validator("teams")
    @classmethod
    def _unique_names(cls, v: list[Team]) -> list[Team]:
        _reject_duplicates(t.name for t in v)
        return v


def _reject_duplicates(names: Iterable[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValueError(f"duplicate name {name!r}")
        seen.add(name)


class Vocabulary(Protocol):
    """What config validation needs from the matcher: known names and suggestions."""

    def region_suggestions(self, name: str) -> list[str] | None:
        """None when `name` is a known region, country, admin1 or place; else close names."""

    def group_suggestions(self, name: str) -> list[str] | None:
        """None when `name` is a known group, alias or affiliation; else close names."""


@dataclass(frozen=True)
class Config:
    dir: Path
    sources: tuple[SourceConfig, ...]
    teams: tuple[Team, ...]

    def team(self, name: str) -> Team | None:
        return next((t for t in self.teams if t.name == name), None)


def load(config_dir: Path, vocabulary: Vocabulary | None = None) -> Config:
    """Read and validate sources.yaml and teams.yaml; ConfigError lists every problem found,
    each as "file:line: whose: what, in words". Watch names are checked when `vocabulary` is
    given (it needs the gazetteer index)."""
    if not config_dir.is_dir():
        raise ConfigError(
            [
                f"{config_dir}: config folder not found; run Lookout from the folder that holds it, "
                "or give --config DIR (or LOOKOUT_CONFIG)"
            ]
        )
    problems: list[str] = []
    sources = _read_list(config_dir / "sources.yaml", _SOURCES, problems)
    teams = _read_list(config_dir / "teams.yaml", _TEAMS, problems, vocabulary)
    if problems:
        raise ConfigError(problems)
    assert sources is not None and teams is not None
    return Config(dir=config_dir, sources=tuple(sources), teams=tuple(teams))


def load_teams(config_dir: Path) -> tuple[Team, ...]:
    """teams.yaml alone, checked as `load` checks it (without the watch names' vocabulary)."""
    problems: list[str] = []
    teams = _read_list(config_dir / "teams.yaml", _TEAMS, problems)
    if problems:
        raise ConfigError(problems)
    assert teams is not None
    return tuple(teams)


def unknown_team(name: str, teams: Iterable[str]) -> str:
    """'unknown team "sahel-dsk"; did you mean "sahel-desk"? (teams: …)', wherever one is named."""
    names = list(teams)
    return f"unknown team {show(name)}{did_you_mean(name, names)} (teams: {', '.join(names) or 'none'})"


def read_yaml(path: Path) -> Any:
    """Parse one YAML file (size and alias caps); ConfigError names the file and line."""
    doc = yamlfile.read(path)
    if doc.problems:
        raise ConfigError([text for _, text in doc.problems])
    return doc.data


# ---- sources.yaml and teams.yaml: every problem, in words, in line order ----------------------


@dataclass(frozen=True)
class _ListFile:
    key: str  # the file's one top-level field
    model: type[Strict]
    noun: str  # one item, in messages
    name_field: str  # the item's unique name
    wording: Wording


_SOURCES = _ListFile(
    "sources",
    SourceConfig,
    "source",
    "id",
    Wording(
        forms={
            "id": "is not an id: use lower-case letters, digits and . _ -, starting with a letter or digit",
            "url": "is not a web address: it must start with http:// or https:// and have no spaces",
        },
        mappings={
            "SourceConfig": "a mapping with id:, kind: and url:",
            "params": "a mapping of the adapter's options, such as {appname: lookout}",
        },
        unshown=frozenset({"url"}),
    ),
)
_TEAMS = _ListFile(
    "teams",
    Team,
    "team",
    "name",
    Wording(
        forms={
            "name": "is not a name: use letters, digits and . _ -, starting with a letter or digit",
            "channel": 'is not a channel: write "#name" (lower case, no spaces) or an id such as C0123ABCD',
        },
        mappings={
            "Team": "a mapping with name:, channel: and watch:",
            "Watch": "a mapping such as {regions: [Sahel], groups: [JNIM]}",
            "Digest": 'a mapping such as {cron: "0 7 * * *", timezone: Africa/Bamako}',
        },
        lists={"regions": "[Sahel, Mali]", "groups": "[JNIM, al-Shabaab]", "keywords": "[kidnapping]"},
    ),
)


def _read_list(path: Path, spec: _ListFile, problems: list[str], vocabulary: Vocabulary | None = None):
    """The items of one file, or None when it has any problem (added to `problems`)."""
    try:
        doc = yamlfile.read(path)
    except ConfigError as e:
        problems += e.problems
        return None
    found = Problems(doc)
    rows = _top_list(found, spec)
    items = []
    for i, row in enumerate(rows):
        try:
            items.append((i, spec.model.model_validate(row)))
        except ValidationError as e:
            errors = e.errors(include_url=False)
            misspelt = typos(errors, spec.model)
            for err in errors:
                if err["type"] != "missing" or tuple(err["loc"]) not in misspelt:
                    text = describe(err, spec.model, spec.wording)
                    found.add((spec.key, i, *err["loc"]), text, _who(spec, i, row))
    _duplicates(found, spec, rows)
    if spec is _TEAMS:  # also the watches of teams with other problems: every problem at once
        for i, row in enumerate(rows):
            watch = _valid_watch(row)
            if watch is not None:
                _watch_problems(found, i, _who(spec, i, row), watch, vocabulary)
    problems += found.texts()
    return None if found else [item for _, item in items]


def _top_list(found: Problems, spec: _ListFile) -> list:
    """The file's list of items; the file's own shape checked."""
    data, key = found.doc.data, spec.key
    extras = [extra for extra in data if extra != key] if isinstance(data, dict) else []
    for extra in extras:
        found.add((extra,), f"unknown field {show(extra)}{did_you_mean(str(extra), [key])}")
    if not isinstance(data, dict) or key not in data:
        if not any(close_matches(str(extra), [key]) for extra in extras):
            start = "is empty" if data is None else f'has no "{key}:"'
            found.add((), f'the file {start}; write the list of {key} under "{key}:"')
        return []
    if not isinstance(data[key], list):
        first = f"- {spec.name_field}:"
        found.add(
            (key,), f'{key}: must be a list of {key}, each starting with "{first}", not {kind(data[key])}'
        )
        return []
    return data[key]


def _who(spec: _ListFile, i: int, row: Any) -> str:
    """'team "sahel-desk"', or 'team #2' when it has no name to show."""
    name = row.get(spec.name_field) if isinstance(row, dict) else None
    return f"{spec.noun} {show(name)}" if isinstance(name, str) and name else f"{spec.noun} #{i + 1}"


def _duplicates(found: Problems, spec: _ListFile, rows: list) -> None:
    first: dict[str, int] = {}
    for i, row in enumerate(rows):
        name = row.get(spec.name_field) if isinstance(row, dict) else None
        if not isinstance(name, str):
            continue
        loc = (spec.key, i, spec.name_field)
        if name in first:
            text = f"the {spec.name_field} is already used by the {spec.noun} on line {first[name]}"
            found.add(loc, text, f"{spec.noun} {show(name)}")
        first.setdefault(name, found.doc.line(loc))


def _valid_watch(row: Any) -> Watch | None:
    try:
        return Watch.model_validate(row["watch"])
    except (TypeError, KeyError, ValidationError):
        return None


def _watch_problems(found: Problems, i: int, who: str, w: Watch, vocabulary: Vocabulary | None) -> None:
    """Watches that cannot work: empty, a `require` they cannot meet, names nobody knows."""
    where = ("teams", i, "watch")
    if not (w.regions or w.groups or w.keywords):
        found.add(
            where,
            "watch: nothing to watch, so no alert could ever come; list regions, groups or keywords",
            who,
        )
    elif w.require == "region_and_group" and not (w.regions and w.groups):
        missing = "groups" if w.regions else "regions"
        text = f"watch.require: region_and_group needs regions and groups, and this watch has no {missing}"
        found.add((*where, "require"), text, who)
    if vocabulary is None:
        return
    for field_name, noun, suggest in (
        ("regions", "region", vocabulary.region_suggestions),
        ("groups", "group", vocabulary.group_suggestions),
    ):
        for j, name in enumerate(getattr(w, field_name)):
            close = suggest(name)
            if close is not None:
                hint = f"; did you mean {show(close[0])}?" if close else ""  # the matcher's closest
                found.add(
                    (*where, field_name, j), f"watch.{field_name}: unknown {noun} {show(name)}{hint}", who
                )
