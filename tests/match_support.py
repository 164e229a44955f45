"""One matcher for all matching tests: the index is built once into a shared temp folder
(keyed by a hash of its inputs, so a stale one is rebuilt) and reused across test modules."""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path

from bot.match.matcher import Matcher

REPO = Path(__file__).resolve().parents[1]
INDEX_DIR = Path(
    os.environ.get("LOOKOUT_TEST_DATA_DIR") or Path(tempfile.gettempdir()) / "lookout-test-index"
)


@cache
def matcher() -> Matcher:
    return Matcher.load(REPO / "config", INDEX_DIR)
