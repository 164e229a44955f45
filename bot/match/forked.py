"""Part of the index build run in a forked child, beside the rest: the build is single-threaded
Python, and a second core (or a second share of a busy one) takes this part off its path."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Result:
    value: bytes = b""


@contextmanager
def forked(work: Callable[[], bytes]) -> Iterator[Result]:
    """Run `work` in a forked child while the block runs; after it, `.value` is what the work
    returned. The child leaves by os._exit (no exit handlers of the parent run twice); its
    memory goes with it. OSError if it failed (it says why on stderr)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        code = 1
        try:
            with os.fdopen(write, "wb") as out:
                out.write(work())
            code = 0
        except BaseException as e:
            os.write(2, f"index build, forked part: {type(e).__name__}: {e}\n".encode())
        finally:
            os._exit(code)
    os.close(write)
    result = Result()
    try:
        yield result
    finally:
        with os.fdopen(read, "rb") as f:  # the child may wait on a full pipe until this reads
            result.value = f.read()
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status):
            raise OSError("a forked part of the index build failed (its error is above)")
