"""`--config DIR` before or after the command name, for every command that reads the config
folder: a folder of broken files proves which folder each placement picked."""

from __future__ import annotations

import io
import os
import signal
import socket
import sys

import click
import pytest

from bot.cli.main import cli, main
from tests.conftest import REPO

# Each command that reads the config folder, with the arguments it needs to get that far.
COMMANDS = {
    "check-config": [],
    "poll": ["--once"],
    "run": [],
    "worker": [],
    "web": [],
    "demo": [],
    "status": [],
    "prune": ["--dry-run"],
    "report": ["--team", "sahel-desk", "--out", "{tmp}/chart.png"],
    "sources": [],
    "teams": [],
    "match": [],
    "where": ["Mopti"],
    "who": ["JNIM"],
    "gazetteer import": [
        str(REPO / "tests" / "fixtures" / "geonames" / "BF.txt"),
        "--data-dir",
        "{tmp}/data",
    ],
    "cluster": [],
}


def test_the_table_names_every_command():
    names = set()
    for name, command in cli.commands.items():
        names |= {f"{name} {sub}" for sub in command.commands} if isinstance(command, click.Group) else {name}
    assert names == set(COMMANDS)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def broken(tmp_path, monkeypatch):
    """A config folder whose every file is broken YAML, and an environment that touches
    nothing outside tmp_path."""
    folder = tmp_path / "broken-config"
    folder.mkdir()
    for name in ("sources.yaml", "teams.yaml", "groups.yaml"):
        (folder / name).write_text(f"{name.split('.')[0]}: [\n")
    for name in list(os.environ):
        if name.startswith(("SLACK_", "LOOKOUT_", "DATABASE_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'lookout.db'}")
    monkeypatch.setenv("LOOKOUT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PORT", str(_free_port()))
    monkeypatch.chdir(tmp_path)
    # run, worker and web install SIGTERM/SIGINT handlers before their config fails: give
    # pytest its own back.
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    yield folder
    for sig, handler in handlers.items():
        signal.signal(sig, handler)


@pytest.mark.parametrize("placement", ["before", "after"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_config_is_taken_before_or_after_the_command(
    command, placement, broken, tmp_path, monkeypatch, capsys
):
    args = [a.format(tmp=tmp_path) for a in COMMANDS[command]]
    given = ["--config", str(broken)]
    argv = [*given, *command.split(), *args] if placement == "before" else [*command.split(), *args, *given]
    monkeypatch.setattr(sys, "argv", ["lookout", *argv])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))  # match and cluster read it
    with pytest.raises(SystemExit) as e:
        main()
    err = capsys.readouterr().err
    assert e.value.code == 2, err
    assert str(broken) in err  # the broken folder was read, wherever --config stood
    assert "No such option" not in err
