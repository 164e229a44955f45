"""Input lines with a length cap, read without holding more than the cap in memory.

A JSON-lines command reads one line at a time; a single 100 MB line (no newline) used to be
read whole and parsed, growing the process to gigabytes. Here a line longer than the cap stops
the input at that line: the lines before it are processed and written, then the command says
which line and exits 2.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, AnyStr

MAX_LINE = 1 << 20  # 1 MiB: a long article is 50 KB of text; a line this long is not an item


class BoundedLines:
    """Iterate a stream's lines; stop at the first longer than `limit` and keep it in `error`."""

    def __init__(self, stream: IO[AnyStr], *, limit: int = MAX_LINE):
        self.stream, self.limit = stream, limit
        self.error: str | None = None

    def __iter__(self) -> Iterator[AnyStr]:
        line_no = 0
        while True:
            line = self.stream.readline(self.limit + 1)  # a cap-long line plus its newline fits
            if not line:
                return
            line_no += 1
            if len(line) > self.limit and line[-1:] not in ("\n", b"\n"):
                self.error = (
                    f"line {line_no} is longer than {self.limit:,} bytes; "
                    "each line must hold one item (split or shorten it)"
                )
                return
            yield line
