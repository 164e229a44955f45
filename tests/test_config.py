"""What check-config says about sources.yaml and teams.yaml: one test per bad case, each
asserting the exact message (file, line, whose, what, in words), as Alertmanager's config
tests do. A case that passed here used to kill the worker, or was silently ignored."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot import config
from bot.config import parse_duration
from bot.configfiles import yamlfile
from bot.errors import ConfigError

SOURCES = """\
sources:
  - id: bbc-africa
    kind: rss
    url: https://feeds.bbci.co.uk/news/world/africa/rss.xml
    interval: 5m
"""
TEAMS = """\
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


def write(tmp_path: Path, sources: str = SOURCES, teams: str = TEAMS) -> Path:
    (tmp_path / "sources.yaml").write_text(sources)
    (tmp_path / "teams.yaml").write_text(teams)
    return tmp_path


def problems(tmp_path: Path, **files: str) -> list[str]:
    """Every problem, with the folder name taken off so the messages read as in a config/."""
    with pytest.raises(ConfigError) as e:
        config.load(write(tmp_path, **files), vocabulary=Words())
    return [p.replace(f"{tmp_path}/", "") for p in e.value.problems]


def test_good_config_loads(tmp_path):
    cfg = config.load(write(tmp_path), vocabulary=Words())
    assert cfg.sources[0].interval == 300
    assert cfg.teams[0].watch.require == "any"
    assert cfg.team("sahel-desk").channel == "#sahel-alerts"


# ---- the worker would die on these ------------------------------------------------------------


def test_cron_hour_out_of_range(tmp_path):
    assert problems(tmp_path, teams=TEAMS + "    digest: {cron: '0 25 * * *'}\n") == [
        'teams.yaml:5: team "sahel-desk": digest.cron: "0 25 * * *" cannot run: '
        "hour 25 is out of range (0–23)"
    ]


def test_cron_with_four_fields(tmp_path):
    assert problems(tmp_path, teams=TEAMS + "    digest: {cron: '0 7 * *'}\n") == [
        'teams.yaml:5: team "sahel-desk": digest.cron: "0 7 * *" has 4 fields; a cron schedule has 5 '
        '(minute hour day-of-month month day-of-week), such as "0 7 * * *"'
    ]


def test_cron_that_never_runs(tmp_path):
    assert problems(tmp_path, teams=TEAMS + "    digest: {cron: '0 7 31 2 *'}\n") == [
        'teams.yaml:5: team "sahel-desk": digest.cron: "0 7 31 2 *" never runs: no date matches it'
    ]


def test_cron_with_a_bad_weekday(tmp_path):
    assert problems(tmp_path, teams=TEAMS + "    digest: {cron: '0 7 * * mon-xyz'}\n") == [
        'teams.yaml:5: team "sahel-desk": digest.cron: "0 7 * * mon-xyz" cannot run: '
        'the day of week field "mon-xyz" is not valid (invalid weekday name "xyz")'
    ]


def test_cron_that_passes_is_what_the_digests_schedule():
    from bot.digest.schedule import trigger_for

    digest = config.Digest(cron="30 6 * * 1-5", timezone="Africa/Bamako")
    assert str(trigger_for(digest)) == str(config.cron_trigger("30 6 * * 1-5", "Africa/Bamako"))
    assert "day_of_week='mon-fri'" in repr(trigger_for(digest))


def test_unknown_time_zone(tmp_path):
    assert problems(tmp_path, teams=TEAMS + "    digest: {timezone: Mars/Olympus}\n") == [
        'teams.yaml:5: team "sahel-desk": digest.timezone: unknown time zone "Mars/Olympus"; '
        "use an IANA name such as Africa/Bamako"
    ]


# ---- watches that could never fire ------------------------------------------------------------


def test_empty_watch(tmp_path):
    teams = TEAMS.replace("{regions: [Sahel], groups: [JNIM]}", "{}")
    assert problems(tmp_path, teams=teams) == [
        'teams.yaml:4: team "sahel-desk": watch: nothing to watch, so no alert could ever come; '
        "list regions, groups or keywords"
    ]


def test_watch_of_only_excluded_words(tmp_path):
    teams = TEAMS.replace("{regions: [Sahel], groups: [JNIM]}", "{exclude: [football]}")
    assert problems(tmp_path, teams=teams) == [
        'teams.yaml:4: team "sahel-desk": watch: nothing to watch, so no alert could ever come; '
        "list regions, groups or keywords"
    ]


def test_require_both_with_no_groups(tmp_path):
    teams = TEAMS.replace("groups: [JNIM]}", "require: region_and_group}")
    assert problems(tmp_path, teams=teams) == [
        'teams.yaml:4: team "sahel-desk": watch.require: region_and_group needs regions and groups, '
        "and this watch has no groups"
    ]


def test_unknown_region_suggests_a_name(tmp_path):
    assert problems(tmp_path, teams=TEAMS.replace("[Sahel]", "[Sahell]")) == [
        'teams.yaml:4: team "sahel-desk": watch.regions: unknown region "Sahell"; did you mean "Sahel"?'
    ]


def test_unknown_group(tmp_path):
    assert problems(tmp_path, teams=TEAMS.replace("[JNIM]", "[JNM]")) == [
        'teams.yaml:4: team "sahel-desk": watch.groups: unknown group "JNM"'
    ]


# ---- shapes, in words -------------------------------------------------------------------------


def test_watch_written_as_a_list(tmp_path):
    teams = TEAMS.replace("{regions: [Sahel], groups: [JNIM]}", "[Sahel, JNIM]")
    assert problems(tmp_path, teams=teams) == [
        'teams.yaml:4: team "sahel-desk": watch: must be a mapping such as '
        "{regions: [Sahel], groups: [JNIM]}, not a list"
    ]


def test_regions_written_as_text(tmp_path):
    assert problems(tmp_path, teams=TEAMS.replace("[Sahel]", "Sahel")) == [
        'teams.yaml:4: team "sahel-desk": watch.regions: must be a list such as [Sahel, Mali], '
        'not the text "Sahel"'
    ]


def test_channel_with_a_space(tmp_path):
    assert problems(tmp_path, teams=TEAMS.replace('"#sahel-alerts"', "sahel alerts")) == [
        'teams.yaml:3: team "sahel-desk": channel: "sahel alerts" is not a channel: '
        'write "#name" (lower case, no spaces) or an id such as C0123ABCD'
    ]


def test_team_name_with_a_space(tmp_path):
    assert problems(tmp_path, teams=TEAMS.replace("sahel-desk", "sahel desk")) == [
        'teams.yaml:2: team "sahel desk": name: "sahel desk" is not a name: '
        "use letters, digits and . _ -, starting with a letter or digit"
    ]


def test_misspelt_field_suggests_the_field_once(tmp_path):
    assert problems(tmp_path, teams=TEAMS.replace("channel:", "chanel:")) == [
        'teams.yaml:3: team "sahel-desk": unknown field "chanel"; did you mean "channel"?'
    ]


def test_unknown_field_lists_the_fields(tmp_path):
    assert problems(tmp_path, teams=TEAMS + "    colour: red\n") == [
        'teams.yaml:5: team "sahel-desk": unknown field "colour"; '
        "the fields are name, channel, watch, mode, digest"
    ]


def test_misspelt_watch_field(tmp_path):
    assert problems(tmp_path, teams=TEAMS.replace("groups:", "grups:")) == [
        'teams.yaml:4: team "sahel-desk": watch: unknown field "grups"; did you mean "groups"?'
    ]


def test_missing_watch(tmp_path):
    assert problems(tmp_path, teams="teams:\n  - name: sahel-desk\n    channel: '#sahel-alerts'\n") == [
        'teams.yaml:2: team "sahel-desk": watch is missing'
    ]


def test_mode_misspelt(tmp_path):
    assert problems(tmp_path, teams=TEAMS + "    mode: realtme\n") == [
        'teams.yaml:5: team "sahel-desk": mode: "realtme" is not one of realtime, digest, both; '
        'did you mean "realtime"?'
    ]


def test_team_without_a_name_is_named_by_position(tmp_path):
    assert problems(tmp_path, teams=TEAMS + "  - channel: '#x'\n    watch: {keywords: [kidnapping]}\n") == [
        "teams.yaml:5: team #2: name is missing"
    ]


def test_duplicate_team_names(tmp_path):
    assert problems(tmp_path, teams=TEAMS + TEAMS.removeprefix("teams:\n")) == [
        'teams.yaml:5: team "sahel-desk": the name is already used by the team on line 2'
    ]


def test_duplicate_key(tmp_path):
    assert problems(tmp_path, teams=TEAMS + "    channel: '#other'\n") == [
        'teams.yaml:5: the key "channel" is written twice in one mapping '
        "(first on line 3; YAML would keep only the last)"
    ]


def test_every_problem_at_once_in_line_order(tmp_path):
    teams = (
        TEAMS.replace("{regions: [Sahel], groups: [JNIM]}", "{}")
        + "  - name: other\n    channel: sahel alerts\n    watch: {regions: [Sahell]}\n"
        + "    digest: {cron: '0 25 * * *'}\n"
    )
    sources = SOURCES.replace("kind: rss", "kind: telegram")
    assert problems(tmp_path, teams=teams, sources=sources) == [
        'sources.yaml:3: source "bbc-africa": kind: "telegram" is not one of '
        "rss, atom, rdf, jsonfeed, reliefweb, gdelt",
        'teams.yaml:4: team "sahel-desk": watch: nothing to watch, so no alert could ever come; '
        "list regions, groups or keywords",
        'teams.yaml:6: team "other": channel: "sahel alerts" is not a channel: '
        'write "#name" (lower case, no spaces) or an id such as C0123ABCD',
        'teams.yaml:7: team "other": watch.regions: unknown region "Sahell"; did you mean "Sahel"?',
        'teams.yaml:8: team "other": digest.cron: "0 25 * * *" cannot run: hour 25 is out of range (0–23)',
    ]


# ---- the file itself ----------------------------------------------------------------------------


def test_yaml_syntax_error_names_the_line(tmp_path):
    assert problems(tmp_path, teams="teams:\n  - name: [unclosed\n") == [
        "teams.yaml:3: YAML syntax error: did not find expected ',' or ']' "
        "(in the [ list ] that starts on line 2)"
    ]


def test_yaml_tags_are_refused(tmp_path):
    assert problems(tmp_path, teams="teams: !!python/object/apply:os.system [ls]\n") == [
        "teams.yaml:1: the YAML tag !!python/object/apply:os.system is not allowed "
        "(plain values, lists and mappings only)"
    ]


def test_empty_file(tmp_path):
    assert problems(tmp_path, teams="") == [
        'teams.yaml:1: the file is empty; write the list of teams under "teams:"'
    ]


def test_misspelt_top_level_field(tmp_path):
    assert problems(tmp_path, teams=TEAMS.replace("teams:", "team:")) == [
        'teams.yaml:1: unknown field "team"; did you mean "teams"?'
    ]


def test_teams_not_a_list(tmp_path):
    assert problems(tmp_path, teams="teams:\n  name: sahel-desk\n") == [
        'teams.yaml:1: teams: must be a list of teams, each starting with "- name:", not a mapping'
    ]


def test_missing_file(tmp_path):
    (tmp_path / "sources.yaml").write_text(SOURCES)
    with pytest.raises(ConfigError) as e:
        config.load(tmp_path)
    assert e.value.problems == [f"{tmp_path}/teams.yaml: file not found"]


def test_missing_config_folder(tmp_path):
    with pytest.raises(ConfigError) as e:
        config.load(tmp_path / "nowhere")
    assert e.value.problems == [
        f"{tmp_path}/nowhere: config folder not found; run Lookout from the folder that holds it, "
        "or give --config DIR (or LOOKOUT_CONFIG)"
    ]


# ---- limits: a file that would take minutes is refused in one line -------------------------------


def test_file_too_large(tmp_path):
    sources = SOURCES + "# " + "x" * yamlfile.MAX_BYTES + "\n"
    assert problems(tmp_path, sources=sources) == [
        f"sources.yaml: {len(sources):,} bytes is too large for a config file (at most 1,000,000)"
    ]


def test_nested_aliases_are_refused_at_once(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in "bcdefghij":  # nine more levels: 10**10 values once expanded
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [{', '.join([f'*{previous}'] * 10)}]")
    started = time.monotonic()
    found = problems(tmp_path, sources="\n".join(lines) + "\n")
    assert found == ["sources.yaml: aliases expand this file to more than 100,000 values"]
    assert time.monotonic() - started < 10  # it took 22 s to forever before the cap


def test_alias_to_itself(tmp_path):
    assert problems(tmp_path, teams="teams: &t [*t]\n") == ["teams.yaml:1: an alias refers to itself"]


def test_aliases_that_repeat_a_list_are_fine(tmp_path):
    teams = "sahel: &sahel [Sahel, Mali]\n" + TEAMS.replace("[Sahel]", "*sahel")
    assert problems(tmp_path, teams=teams) == ['teams.yaml:1: unknown field "sahel"']


# ---- sources.yaml -------------------------------------------------------------------------------


def test_unknown_source_kind(tmp_path):
    assert problems(tmp_path, sources=SOURCES.replace("kind: rss", "kind: telegram")) == [
        'sources.yaml:3: source "bbc-africa": kind: "telegram" is not one of '
        "rss, atom, rdf, jsonfeed, reliefweb, gdelt"
    ]


def test_interval_that_is_not_a_duration(tmp_path):
    assert problems(tmp_path, sources=SOURCES.replace("5m", "soon")) == [
        'sources.yaml:5: source "bbc-africa": interval: "soon" is not a duration; '
        "write seconds (300) or a number with s, m, h or d (5m, 1h, 2d)"
    ]


def test_interval_of_zero(tmp_path):
    assert problems(tmp_path, sources=SOURCES.replace("5m", "0")) == [
        'sources.yaml:5: source "bbc-africa": interval: a duration must be longer than zero, not 0'
    ]


def test_url_without_a_scheme(tmp_path):
    """The URL is not repeated: it may carry a password or a key, and errors go to logs."""
    for wrong in ("feeds", "ftp://reader:hunter2@feeds"):
        assert problems(tmp_path, sources=SOURCES.replace("https://feeds", wrong)) == [
            'sources.yaml:4: source "bbc-africa": url: the value is not a '
            "web address: it must start with http:// or https:// and have no spaces"
        ]


def test_enabled_that_is_not_a_bool(tmp_path):
    assert problems(tmp_path, sources=SOURCES + "    enabled: maybe\n") == [
        'sources.yaml:6: source "bbc-africa": enabled: must be true or false, not the text "maybe"'
    ]


def test_source_id_with_capitals(tmp_path):
    assert problems(tmp_path, sources=SOURCES.replace("bbc-africa", "BBC Africa")) == [
        'sources.yaml:2: source "BBC Africa": id: "BBC Africa" is not an id: '
        "use lower-case letters, digits and . _ -, starting with a letter or digit"
    ]


def test_params_written_as_a_list(tmp_path):
    assert problems(tmp_path, sources=SOURCES + "    params: [appname]\n") == [
        'sources.yaml:6: source "bbc-africa": params: must be a mapping of the adapter\'s options, '
        "such as {appname: lookout}, not a list"
    ]


def test_duplicate_source_ids(tmp_path):
    assert problems(tmp_path, sources=SOURCES + SOURCES.removeprefix("sources:\n")) == [
        'sources.yaml:6: source "bbc-africa": the id is already used by the source on line 2'
    ]


@pytest.mark.parametrize(
    "value,seconds", [(300, 300), ("300", 300), ("5m", 300), ("1h", 3600), ("2d", 172800)]
)
def test_durations(value, seconds):
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("value", ["0", -5, "5 minutes", True, "1w"])
def test_bad_durations(value):
    with pytest.raises(ValueError):
        parse_duration(value)


def test_a_team_named_on_the_command_line_suggests_the_closest():
    assert config.unknown_team("sahel-dsk", ["sahel-desk", "somalia-desk"]) == (
        'unknown team "sahel-dsk"; did you mean "sahel-desk"? (teams: sahel-desk, somalia-desk)'
    )
