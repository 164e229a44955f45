"""Size limits on every input: JSON lines for `match` and `cluster`, and YAML files, each refused
with one line and exit 2, fast, without reading the whole of what is too big."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from bot.cli.lines import MAX_LINE, BoundedLines
from bot.cli.match import match_cmd
from bot.cli.stories import cluster
from tests.match_support import INDEX_DIR, REPO, matcher

TOO_LONG = "line {n} is longer than 1,048,576 bytes; each line must hold one item (split or shorten it)"
GOOD = json.dumps({"id": "g", "title": "Clashes in Mopti", "text": "Clashes in Mopti."}) + "\n"


class EndlessLine(io.RawIOBase):
    """A stream of "x" with no newline, that fails the test once far too much was read."""

    def __init__(self, budget: int):
        self.read_bytes, self.budget = 0, budget

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self.read_bytes += len(buffer)
        assert self.read_bytes <= self.budget, f"read {self.read_bytes:,} bytes of one line"
        buffer[:] = b"x" * len(buffer)
        return len(buffer)


def test_a_line_longer_than_the_cap_is_not_read_whole():
    endless = EndlessLine(budget=4 * MAX_LINE)
    lines = BoundedLines(io.BufferedReader(_prefixed(endless)))
    assert list(lines) == [b"first\n"]
    assert (
        lines.error
        == f"line 2 is longer than {MAX_LINE:,} bytes; each line must hold one item (split or shorten it)"
    )
    assert endless.read_bytes <= MAX_LINE + 64 * 1024


def test_a_line_exactly_at_the_cap_is_read():
    line = b"x" * MAX_LINE
    lines = BoundedLines(io.BytesIO(line + b"\ny\n"))
    assert [len(x) for x in lines] == [MAX_LINE + 1, 2] and lines.error is None
    last = BoundedLines(io.BytesIO(b"y\n" + line))  # the last line, without a newline
    assert [len(x) for x in last] == [2, MAX_LINE] and last.error is None


def test_a_line_one_byte_over_the_cap_is_refused():
    lines = BoundedLines(io.BytesIO(b"ok\n" + b"x" * (MAX_LINE + 1) + b"\nafter\n"))
    assert list(lines) == [b"ok\n"] and "line 2 is longer" in (lines.error or "")


@pytest.fixture(scope="module")
def built_index():
    matcher()


def test_match_refuses_an_overlong_line_after_writing_the_lines_before(built_index):
    stdin = GOOD * 3 + '{"id": "big", "text": "' + "a" * (MAX_LINE + 10) + '"}\n' + GOOD
    out = CliRunner().invoke(
        match_cmd, ["--config", str(REPO / "config"), "--data-dir", str(INDEX_DIR)], stdin
    )
    assert out.exit_code == 2
    assert out.stderr.strip() == f"error: stdin {TOO_LONG.format(n=4)}"
    assert out.stdout.count('"id":"g"') == 3


def test_cluster_refuses_an_overlong_line_with_exit_2():
    stdin = GOOD * 2 + '{"id": "big", "title": "' + "a" * (MAX_LINE + 10) + '"}\n'
    out = CliRunner().invoke(cluster, ["--no-match"], input=stdin)
    assert out.exit_code == 2
    assert out.stderr.splitlines()[-1] == f"error: {TOO_LONG.format(n=3)}"
    assert out.stdout.count('"id": "g"') == 2


def _prefixed(endless: EndlessLine) -> io.RawIOBase:
    """b"first\\n", then the endless line."""

    class Prefixed(io.RawIOBase):
        head = b"first\n"

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            if self.head:
                n = min(len(buffer), len(self.head))
                buffer[:n], self.head = self.head[:n], self.head[n:]
                return n
            return endless.readinto(buffer)

    return Prefixed()


def _nested_aliases(levels: int) -> str:
    """Each level a list of ten aliases to the one before: 10**levels values once expanded."""
    lines = ["l0: &l0 [a, b, c, d, e, f, g, h, i, j]"]
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]" for n in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels", [8, 10])
def test_match_explain_refuses_nested_aliases_in_teams_at_once(tmp_path, built_index, levels):
    config = tmp_path / "config"
    config.mkdir()
    teams = (
        _nested_aliases(levels)
        + f"teams:\n  - name: t\n    channel: '#t'\n    watch: {{regions: *l{levels}}}\n"
    )
    (config / "teams.yaml").write_text(teams)
    started = time.monotonic()
    args = ["--config", str(config), "--data-dir", str(INDEX_DIR), "--explain"]
    out = CliRunner().invoke(match_cmd, args, GOOD)
    assert time.monotonic() - started < 10
    assert out.exit_code == 2
    assert (
        out.stderr.strip()
        == f"error: {config / 'teams.yaml'}: aliases expand this file to more than 100,000 values"
    )


def test_check_config_refuses_nested_aliases_and_huge_files_at_once(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "teams.yaml").write_text(_nested_aliases(9) + "teams: *l9\n")
    with (config / "sources.yaml").open("w") as f:  # 50 MB of well-formed sources
        row = "  - {id: a, kind: rss, url: 'https://example.org/feed'}\n"
        f.write("sources:\n" + row * (50_000_000 // len(row)))
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), "check-config"],
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LOOKOUT_DATA_DIR": str(INDEX_DIR)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert time.monotonic() - started < 20  # a new process on a busy machine; unbounded before
    assert out.returncode == 2
    assert out.stderr.splitlines() == [
        f"{config / 'sources.yaml'}: 50,000,001 bytes is too large for a config file (at most 1,000,000)",
        f"{config / 'teams.yaml'}: aliases expand this file to more than 100,000 values",
    ]
