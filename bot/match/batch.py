"""Many JSON lines through one function, in input order: inline for a short input, over forked
worker processes for a long one (the `match` command's throughput on a machine with several
cores). Workers are forked after the index is loaded, so they share it and load nothing; at
most a few chunks are in flight, so memory stays bounded whatever the input's length.
"""

from __future__ import annotations

import gc
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain, islice
from multiprocessing import get_context

CHUNK = 400  # lines per task: tens of milliseconds of work, so passing it costs little


class LineError(Exception):
    """An input line that cannot be read; the lines before it were written."""

    def __init__(self, line_no: int, message: str):
        super().__init__(line_no, message)  # both in args: a worker's error is pickled to the parent
        self.line_no, self.message = line_no, message

    def __str__(self) -> str:
        return f"stdin line {self.line_no}: {self.message}"


Render = Callable[[bytes, int], bytes]  # one input line and its number → its output line


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run(
    lines: Iterable[bytes],
    render: Render,
    write: Callable[[bytes], object],
    *,
    workers: int,
    chunk: int = CHUNK,
) -> None:
    """Renders every non-blank line and writes the outputs in input order. Raises LineError
    after writing the outputs of the lines before a bad one."""
    chunks = _chunks(lines, chunk)
    head = list(islice(chunks, 2))
    if len(head) < 2 or workers <= 1 or not hasattr(os, "fork"):  # a short input: no pool to start
        for part in chain(head, chunks):
            _write(render_chunk(render, *part), write)
        return
    _parallel(render, chain(head, chunks), write, workers)


def _parallel(render: Render, chunks: Iterator, write, workers: int) -> None:
    global _RENDER
    _RENDER = render
    gc.freeze()  # the loaded index stays in the parent's pages: no collection in a child copies it
    pending: deque[Future] = deque()
    ctx = get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_quiet) as pool:
        try:
            for part in chunks:
                pending.append(pool.submit(_work, *part))
                if len(pending) >= 2 * workers:
                    _write(pending.popleft().result(), write)
            while pending:
                _write(pending.popleft().result(), write)
        finally:
            for f in pending:
                f.cancel()
            _RENDER = None
            gc.unfreeze()


def _chunks(lines: Iterable[bytes], size: int) -> Iterator[tuple[list[bytes], int]]:
    """(lines, number of the first) for each run of `size` lines."""
    it = iter(lines)
    start = 1
    while part := list(islice(it, size)):
        yield part, start
        start += len(part)


def render_chunk(render: Render, lines: list[bytes], start: int) -> tuple[bytes, LineError | None]:
    """The outputs of a chunk's lines, joined; and the error that stopped it, if any."""
    out = []
    for n, line in enumerate(lines, start):
        if not line.strip():
            continue
        try:
            out.append(render(line, n))
        except LineError as e:
            return b"".join(out), e
    return b"".join(out), None


def _write(result: tuple[bytes, LineError | None], write) -> None:
    text, error = result
    if text:
        write(text)
    if error is not None:
        raise error


_RENDER: Render | None = None  # set in the parent before the workers are forked


def _work(lines: list[bytes], start: int) -> tuple[bytes, LineError | None]:
    assert _RENDER is not None
    return render_chunk(_RENDER, lines, start)


def _quiet() -> None:
    """Ctrl-C stops the parent, which stops the workers: no traceback from each of them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
