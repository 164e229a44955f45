"""One matcher for all matching tests: the index is built once into a shared temp folder
(keyed by a hash of its inputs, so a stale one is rebuilt) and reused across test modules
and across pytest-xdist workers: the first to arrive builds it under a file lock, the others
wait for it."""

from __future__ import annotations

import fcntl
import os
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
