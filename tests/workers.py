"""Real `python -m bot` processes for the replica and shutdown tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.conftest import REPO, copy_config

TEAMS = """
teams:
  - {name: sahel, channel: "#sahel-alerts", watch: {regions: [Sahel]}}
  - {name: somalia, channel: "#somalia", watch: {regions: [Somalia]}}
"""
PLACES = [
    ("Mopti", "Mali", "JNIM"),
    ("Gao", "Mali", "JNIM"),
    ("Djibo", "Burkina Faso", "JNIM"),
    ("Baidoa", "Somalia", "al-Shabaab"),
    ("Kismayo", "Somalia", "al-Shabaab"),
    ("Tillaberi", "Niger", "Islamic State Sahel Province"),
]
ACTS = ["ambushed a convoy", "attacked a market", "stormed a police post", "kidnapped traders"]


def event_items(source: str, count: int) -> list[dict]:
    """Distinct events (different places, acts, tolls), each matching one team."""
    out = []
    for n in range(count):
        town, country, group = PLACES[n % len(PLACES)]
        act = ACTS[(n // len(PLACES)) % len(ACTS)]
        out.append(
            {
                "guid": f"{source}-{n}",
                "title": f"{group} fighters {act} near {town}, {country}",
                "description": f"Fighters from {group} {act} near {town} in {country}, killing "
                f"{n + 3} people, officials said. Reference {source}/{n}.",
                "link": f"https://news.example.org/{source}/{n}",
            }
        )
    return out


def setup_config(folder: Path, feed_urls: dict[str, str]) -> Path:
    """Sources polled every 2 s: a test waits at most that long for a new item to be seen."""
    lines = [
        f"  - {{id: {s}, kind: rss, url: '{u}', interval: 2, allow_private: true}}"
        for s, u in feed_urls.items()
    ]
    return copy_config(folder, teams=TEAMS, sources="sources:\n" + "\n".join(lines) + "\n")


def worker_env(*, db_url: str, slack_url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_", "LOOKOUT_"))}
    return env | {
        "DATABASE_URL": db_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_API_URL": slack_url,
        "LOOKOUT_DATA_DIR": str(data_dir),
        "LOOKOUT_LEASE_SECONDS": "20",  # the shortest allowed: a dead worker's claims expire soon
        "LOOKOUT_DELIVERY_EVERY": "1",
        "PYTHONPATH": str(REPO),
    }


def start(config: Path, env: dict, log: Path, *args: str) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "--config", str(config), *args],
            cwd=config,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(proc: subprocess.Popen) -> None:
    """Clean-up for every test: nothing we started outlives it."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def wait_until(predicate: Callable[[], bool], *, limit: float = 240, what: str = "condition") -> None:
    """Wait for a state, bounded (startup loads the gazetteer; a busy machine is slow)."""
    deadline = time.monotonic() + limit
    while not predicate():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.2)


def is_up(log: Path) -> bool:
    return "Lookout is up" in log.read_text(errors="replace")
