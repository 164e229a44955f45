"""The README tells the truth: its samples are what the code prints, every setting is listed,
every file it names exists, and it stays short enough to read (internals live in docs/)."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot import config
from bot.app.demo import run_demo
from bot.cli.match import where_cmd, who_cmd
from bot.errors import ConfigError
from bot.settings import Settings
from tests.conftest import REPO
from tests.match_support import INDEX_DIR, matcher

README = (REPO / "README.md").read_text(encoding="utf-8")


def blocks() -> list[str]:
    return re.findall(r"^```[a-z]*\n(.*?)^```", README, flags=re.S | re.M)


def sample(first_line: str) -> list[str]:
    """The lines of the README's code block that starts with `first_line`."""
    found = [b for b in blocks() if b.startswith(first_line)]
    assert len(found) == 1, f"no README block starts with {first_line!r}"
    return found[0].rstrip("\n").split("\n")


def test_short_enough_to_read():
    assert len(README.encode()) <= 15 * 1024


TEST_COMMAND = (
    "python3 -m venv .venv && .venv/bin/pip install -q -c constraints.txt -e '.[test]' "
    "&& .venv/bin/python -m pytest"
)


def test_the_two_commands_are_unchanged():
    assert (
        "python3 -m venv .venv && .venv/bin/pip install -q -c constraints.txt -e . "
        "&& .venv/bin/python -m bot demo"
    ) in README
    assert TEST_COMMAND in README


def test_ci_runs_the_readme_test_command_and_ruff_only():
    lines = [line for line in (REPO / ".ci" / "run").read_text().splitlines() if line and line[0] != "#"]
    assert lines[-1] == TEST_COMMAND
    others = " ".join(lines[:-1])
    assert "ruff check bot tests bench" in others and "ruff format --check bot tests bench" in others
    assert "pytest" not in others


def test_constraints_pin_every_dependency():
    """A dependency added to pyproject.toml without a pin would install whatever is newest."""
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    pinned = {
        canonical(line.split("==")[0])
        for line in (REPO / "constraints.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    missing = [d for d in wanted if canonical(re.split(r"[\[<>=!~ ;]", d, maxsplit=1)[0]) not in pinned]
    assert missing == []


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower().strip()


def test_every_setting_is_listed():
    missing = [name.upper() for name in Settings.model_fields if f"`{name.upper()}`" not in README]
    assert missing == []


def test_every_file_it_names_exists():
    named = set(re.findall(r"\]\(((?!https?:|#)[^)#]+)", README))
    named |= set(
        re.findall(r"`((?:bot|docs|config|tests|bench|examples)/[\w./-]*|manifest\.yaml|Procfile)`", README)
    )
    missing = sorted(p for p in named if not (REPO / p).exists())
    assert missing == []


def test_no_machine_specific_paths():
    assert not re.search(r"/work/|/root/|/home/\w|/tmp/", README)


def test_the_demo_sample_is_what_the_demo_prints(capsys):
    settings = Settings(slack_bot_token=None, lookout_data_dir=INDEX_DIR)
    matcher()  # the shared test index
    run_demo(settings, REPO / "config", db_url=None)
    printed = capsys.readouterr().out.split("\n")
    lines = sample("── sahel-desk → #sahel-alerts ──")
    # Each README line is a line of the demo's output, in the same order (the README leaves
    # out the card's summary sentences).
    at = 0
    for line in lines:
        assert line in printed[at:], f"the demo does not print {line!r} here"
        at = printed.index(line, at) + 1


@pytest.mark.parametrize("command,name", [(where_cmd, "Boulikessi"), (who_cmd, "GSIM")])
def test_the_look_up_samples_are_what_the_commands_print(command, name):
    lines = sample("$ lookout where Boulikessi")
    prompts = [i for i, line in enumerate(lines) if line.startswith("$ ")] + [len(lines)]
    expected = {
        lines[start].removeprefix("$ lookout "): lines[start + 1 : end] for start, end in pairwise(prompts)
    }
    matcher()
    out = CliRunner().invoke(command, [name, "--config", str(REPO / "config"), "--data-dir", str(INDEX_DIR)])
    assert out.exit_code == 0, out.output
    assert out.output.rstrip("\n").split("\n") == expected[f"{command.name} {name}"]


def test_the_check_config_sample_is_what_check_config_says(tmp_path, monkeypatch):
    [quoted] = re.findall(r"`(config/teams\.yaml:\d+: [^`]+)`", README)
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "sources.yaml").write_text("sources: []\n")
    (folder / "teams.yaml").write_text(
        "teams:\n  - name: sahel-desk\n    channel: '#sahel-alerts'\n    watch: {regions: [Sahel]}\n"
        "    digest: {cron: '0 25 * * *', timezone: Africa/Bamako}\n"
    )
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as e:
        config.load(Path("config"))
    assert e.value.problems == [quoted]
