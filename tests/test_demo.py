"""`python -m bot demo`, as the README's first command runs it: the bundled sample feeds,
served on 127.0.0.1, through the real pipeline, alerts printed to the console."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO
from tests.match_support import INDEX_DIR


def test_demo_serves_the_sample_feeds_and_prints_one_card_per_story_and_team(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    env |= {"LOOKOUT_DATA_DIR": str(INDEX_DIR), "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(REPO / "config"), "demo"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout + done.stderr
    assert "Demo: 7 items read from 2 feeds, 7 alerts posted" in out
    # The seed article reaches the Sahel desk once, as a card; its second report is a reply.
    assert out.count("── sahel-desk → #sahel-alerts ──") == 1
    assert "── sahel-desk → #sahel-alerts (thread" in out
    assert "toll rose: 40+ soldiers killed (was 30+ soldiers killed)" in out
