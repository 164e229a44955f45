"""`--help` starts in a blink: it loads none of the heavy libraries (timings are in
bench/startup.py; this checks the behaviour that makes them fast)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

HEAVY = (
    "pydantic",
    "pydantic_settings",
    "sqlalchemy",
    "alembic",
    "slack_sdk",
    "slack_bolt",
    "apscheduler",
    "ahocorasick",
    "wordfreq",
    "scipy",
    "numpy",
    "matplotlib",
    "trafilatura",
    "tqdm",
    "bot.config",
    "bot.match",
    "bot.store",
    "bot.stories",
)

# Every command's --help, in one fresh interpreter; prints the heavy modules it loaded.
PROBE = """
import sys
import click
from bot.cli.main import cli

def paths(group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from paths(command, (*prefix, name))

for path in [(), *paths(cli)]:
    try:
        cli.main([*path, "--help"], prog_name="lookout")
    except SystemExit:
        pass
heavy = sys.argv[1].split(",")
print(" ".join(sorted(m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy))))
"""


def test_help_loads_no_heavy_library():
    out = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(HEAVY)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "Usage: lookout" in out.stdout
    assert out.stdout.splitlines()[-1] == ""  # no heavy module was imported
