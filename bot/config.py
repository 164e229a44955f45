"""config/*.yaml: models, loading, and errors that name file, field path and value."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Protocol, TypeVar

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from bot.errors import ConfigError

_DURATION = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: Any) -> int:
    """Seconds from 300, "300", "5m", "1h", "2d"."""
    if isinstance(value, bool):
        raise ValueError(f"expected a duration such as 300, '5m' or '1h', got {value!r}")
    if isinstance(value, int):
        seconds = value
    else:
        m = _DURATION.match(str(value))
        if not m:
            raise ValueError(f"expected a duration such as 300, '5m' or '1h', got {value!r}")
        seconds = int(m.group(1)) * _UNITS[m.group(2)]
    if seconds <= 0:
        raise ValueError(f"must be positive, got {value!r}")
    return seconds


Duration = Annotated[int, BeforeValidator(parse_duration)]
M = TypeVar("M", bound=BaseModel)


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
    def _five_fields(cls, v: str) -> str:
        if len(v.split()) != 5:
            raise ValueError(f"expected a 5-field cron expression such as '0 7 * * *', got {v!r}")
        return v

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r} (use an IANA name such as Africa/Bamako)") from None
        return v


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
    """Read and validate config/; raise ConfigError listing every problem found."""
    problems: list[str] = []
    sources = _load_file(config_dir / "sources.yaml", SourcesFile, problems)
    teams = _load_file(config_dir / "teams.yaml", TeamsFile, problems)
    if teams is not None and vocabulary is not None:
        problems += _unknown_names(config_dir / "teams.yaml", teams.teams, vocabulary)
    if problems:
        raise ConfigError(problems)
    assert sources is not None and teams is not None
    return Config(dir=config_dir, sources=tuple(sources.sources), teams=tuple(teams.teams))


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; errors are ConfigError naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([f"{path}: file not found"]) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError([f"{path}: cannot read: {e}"]) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        where = getattr(e, "problem_mark", None)
        line = f" line {where.line + 1}" if where else ""
        raise ConfigError([f"{path}:{line}: invalid YAML: {getattr(e, 'problem', e)}"]) from None


def _load_file(path: Path, model: type[M], problems: list[str]) -> M | None:
    try:
        data = read_yaml(path)
        return model.model_validate(data)
    except ConfigError as e:
        problems += e.problems
    except ValidationError as e:
        problems += [_describe(path, err, data) for err in e.errors(include_url=False)]
    return None


def _describe(path: Path, err: dict, data: Any) -> str:
    loc = err["loc"]
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = "unknown field"
    elif err["type"] == "missing":
        msg = "required field is missing"
    elif "input" in err and err["type"] != "model_type":
        msg = f"{msg} (got {_short(err['input'])})"
    return f"{path}: {where or '(top level)'}: {msg}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _unknown_names(path: Path, teams: list[Team], vocabulary: Vocabulary) -> list[str]:
    problems = []
    for i, team in enumerate(teams):
        checks = [("regions", vocabulary.region_suggestions), ("groups", vocabulary.group_suggestions)]
        for field_name, suggest in checks:
            for j, name in enumerate(getattr(team.watch, field_name)):
                close = suggest(name)
                if close is None:
                    continue
                kind = field_name.rstrip("s")
                hint = f" (did you mean {' or '.join(repr(c) for c in close[:3])}?)" if close else ""
                problems.append(f"{path}: teams[{i}].watch.{field_name}[{j}]: unknown {kind} {name!r}{hint}")
    return problems
