"""The command line: every command documents itself; `run` starts, serves /healthz, stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import click
import pytest
import requests
from click.testing import CliRunner

from bot.cli.main import cli
from tests.conftest import REPO, copy_config


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


@pytest.mark.parametrize(
    "path,command", list(all_commands(cli)), ids=lambda v: " ".join(v) if isinstance(v, tuple) else ""
)
def test_every_command_has_help(path, command):
    assert (command.help or "").strip(), f"{' '.join(path)} has no help text"
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_procfile_runs_real_commands():
    lines = dict(line.split(": ", 1) for line in (REPO / "Procfile").read_text().splitlines() if line)
    assert lines == {"web": "python -m bot web", "worker": "python -m bot worker"}
    for cmd in lines.values():
        assert cmd.split()[-1] in cli.commands


def test_progress_bars_stay_out_of_logs(capsys):
    from bot.match.matcher import build_progress

    assert list(build_progress(range(3))) == [0, 1, 2]
    assert capsys.readouterr().err == ""  # stderr is not a terminal here, as in a log file


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_run_serves_healthz_and_stops_on_sigterm(tmp_path, feeds, data_dir):
    url = feeds.put("/feed.xml", "<rss version='2.0'><channel><title>t</title></channel></rss>")
    config = copy_config(
        tmp_path / "config",
        sources=(f"sources:\n  - {{id: local, kind: rss, url: '{url}', allow_private: true}}\n"),
    )
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    env |= {
        "PORT": str(port),
        "LOOKOUT_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(REPO),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'lookout.db'}",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "--config", str(config), "run"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        health = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                health = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                if health.status_code == 200:  # 503 "starting" until the services are ready
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.3)
        assert health is not None and health.status_code == 200, proc.stderr.read() if proc.poll() else ""
        assert health.json()["ok"] is True
        deadline = time.monotonic() + 30
        while feeds.hits.get("/feed.xml", 0) == 0 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert feeds.hits.get("/feed.xml", 0) >= 1  # the scheduler polled the source
        for _ in range(3):  # a supervisor that repeats itself: still one clean exit
            proc.send_signal(signal.SIGTERM)
            time.sleep(0.05)
        assert proc.wait(timeout=60) == 0  # a clean exit; how fast is measured in bench/
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
