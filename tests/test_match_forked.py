"""The index build's forked part: its result comes back whole, and its failure is raised."""

from __future__ import annotations

import pytest

from bot.match.forked import forked


def test_forked_work_returns_its_bytes_after_the_block():
    ran = []
    with forked(lambda: b"x" * 200_000) as result:  # more than a pipe holds: the child waits
        ran.append(result.value)
    assert ran == [b""]
    assert result.value == b"x" * 200_000


def test_forked_work_that_fails_raises_after_the_block(capfd):
    ran = []
    failed = pytest.raises(OSError, match="forked part of the index build failed")
    with failed, forked(lambda: bytes(1 // 0)):
        ran.append(True)
    assert ran == [True]
    assert "ZeroDivisionError" in capfd.readouterr().err
