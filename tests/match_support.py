"""One matcher for all matching tests: the index is built once into a shared temp folder
(keyed by a hash of its inputs, so a stale one is rebuilt) and reused across test modules
and across pytest-xdist workers: the first to arrive builds it under a file lock, the others
wait for it."""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from bot.match import index as gindex
from bot.match.index import imported_dumps
from bot.match.matcher import Matcher

REPO = Path(__file__).resolve().parents[1]
INDEX_DIR = Path(
    os.environ.get("LOOKOUT_TEST_DATA_DIR") or Path(tempfile.gettempdir()) / "lookout-test-index"
)


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """One process at a time in `folder` (across xdist workers and parallel runs)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield


def ensure_index(config_dir: Path = REPO / "config", data_dir: Path = INDEX_DIR) -> None:
    """Build the index for these inputs unless it is there (cheap when it is)."""
    with locked(data_dir):
        path = gindex.cache_path(data_dir, gindex.input_hash(config_dir, imported_dumps(data_dir)))
        if not gindex.is_built(path):
            Matcher.load(config_dir, data_dir)


@cache
def matcher() -> Matcher:
    ensure_index()
    return Matcher.load(REPO / "config", INDEX_DIR)


def import_dumps(files: list[Path], data_dir: Path) -> tuple[Matcher, str]:
    """`gazetteer import` of these dumps into a folder of their own (from scratch), as a user
    runs it; the matcher on the result and the command's output."""
    from click.testing import CliRunner

    from bot.cli.match import gazetteer

    args = ["import", *map(str, files), "--config", str(REPO / "config"), "--data-dir", str(data_dir)]
    with locked(data_dir):  # another xdist worker may be importing into the same folder
        shutil.rmtree(data_dir / "geonames", ignore_errors=True)
        out = CliRunner().invoke(gazetteer, args)
        assert out.exit_code == 0, out.output
        return Matcher.load(REPO / "config", data_dir), out.output
