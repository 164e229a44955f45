"""Config errors name the file, the field path and the bad value; each bad case is a test."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import config
from bot.config import parse_duration
from bot.errors import ConfigError

GOOD_SOURCES = """
sources:
  - id: bbc-africa
    kind: rss
    url: https://feeds.bbci.co.uk/news/world/africa/rss.xml
    interval: 5m
"""
GOOD_TEAMS = """
teams:
  - name: sahel-desk
    channel: "#sahel-alerts"
    watch: {regions: [Sahel], groups: [JNIM]}
"""


class Words:
    """A vocabulary with a fixed set of names (what the matcher provides in production)."""

    regions = {"Sahel", "Mali"}
    groups = {"JNIM", "al-Qaeda"}

    def region_suggestions(self, name: str) -> list[str] | None:
        return None if name in self.regions else [r for r in self.regions if r[:3] == name[:3]]

    def group_suggestions(self, name: str) -> list[str] | None:
        return None if name in self.groups else []


def write(tmp_path: Path, sources: str = GOOD_SOURCES, teams: str = GOOD_TEAMS) -> Path:
    (tmp_path / "sources.yaml").write_text(sources)
    (tmp_path / "teams.yaml").write_text(teams)
    return tmp_path


def problems(tmp_path: Path, **files: str) -> list[str]:
    with pytest.raises(ConfigError) as e:
        config.load(write(tmp_path, **files), vocabulary=Words())
    return e.value.problems


def test_good_config_loads(tmp_path):
    cfg = config.load(write(tmp_path), vocabulary=Words())
    assert cfg.sources[0].interval == 300
    assert cfg.teams[0].watch.require == "any"
    assert cfg.team("sahel-desk").channel == "#sahel-alerts"


def test_unknown_region_names_path_and_suggests(tmp_path):
    teams = GOOD_TEAMS.replace("[Sahel]", "[Sahell]")
    assert problems(tmp_path, teams=teams) == [
        f"{tmp_path}/teams.yaml: teams[0].watch.regions[0]: unknown region 'Sahell' (did you mean 'Sahel'?)"
    ]


def test_unknown_field_is_an_error(tmp_path):
    teams = GOOD_TEAMS.replace("watch:", "colour: red\n    watch:")
    assert problems(tmp_path, teams=teams) == [f"{tmp_path}/teams.yaml: teams[0].colour: unknown field"]


def test_bad_values_name_the_value(tmp_path):
    sources = GOOD_SOURCES.replace("kind: rss", "kind: telegram").replace("5m", "soon")
    found = problems(tmp_path, sources=sources)
    assert any("sources[0].kind" in p and "'telegram'" in p for p in found)
    assert any("sources[0].interval" in p and "'soon'" in p for p in found)


def test_missing_field_and_bad_channel(tmp_path):
    teams = "teams:\n  - name: x\n    channel: sahel alerts\n"
    found = problems(tmp_path, teams=teams)
    assert f"{tmp_path}/teams.yaml: teams[0].watch: required field is missing" in found
    assert any(
        p.startswith(f"{tmp_path}/teams.yaml: teams[0].channel:") and "'sahel alerts'" in p for p in found
    )


def test_duplicate_ids_rejected(tmp_path):
    sources = GOOD_SOURCES + GOOD_SOURCES.split("sources:")[1]
    assert any("duplicate name 'bbc-africa'" in p for p in problems(tmp_path, sources=sources))


def test_invalid_yaml_names_line(tmp_path):
    found = problems(tmp_path, teams="teams:\n  - name: [unclosed\n")
    assert found[0].startswith(f"{tmp_path}/teams.yaml: line ")
    assert "invalid YAML" in found[0]


def test_missing_file(tmp_path):
    (tmp_path / "sources.yaml").write_text(GOOD_SOURCES)
    with pytest.raises(ConfigError) as e:
        config.load(tmp_path)
    assert e.value.problems == [f"{tmp_path}/teams.yaml: file not found"]


def test_bad_timezone_in_digest(tmp_path):
    teams = GOOD_TEAMS + "    digest: {cron: '0 7 * * *', timezone: Mars/Olympus}\n"
    assert any("unknown time zone 'Mars/Olympus'" in p for p in problems(tmp_path, teams=teams))


@pytest.mark.parametrize(
    "value,seconds", [(300, 300), ("300", 300), ("5m", 300), ("1h", 3600), ("2d", 172800)]
)
def test_durations(value, seconds):
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("value", ["0", -5, "5 minutes", True, "1w"])
def test_bad_durations(value):
    with pytest.raises(ValueError):
        parse_duration(value)
