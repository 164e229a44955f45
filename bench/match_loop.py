"""The `match` command's line loop (`--jobs 1`: read, match, event stage, write) over the
first lines of the `match_e2e.py` corpus, in this process, between two marker calls, so that
callgrind counts the loop alone (start-up and index load left out): instructions are what
this shared machine measures the same whatever its load.

    valgrind --tool=callgrind --zero-before=os_getppid --dump-before=os_getpgrp \\
        python bench/match_loop.py [--lines 3000] [--passes 2] [--explain]
    callgrind_annotate callgrind.out.<pid>.1 | head    # the dump at the marker: the loop
    callgrind_annotate callgrind.out.<pid>.1 | grep "PROGRAM TOTALS"

Run with PYTHONPATH set to another checkout to count its code the same way. Without
valgrind it prints the loop's CPU time.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from match_e2e import corpus


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=3000)
    ap.add_argument("--passes", type=int, default=1, help="the same lines again: the 2nd pass is warm")
    ap.add_argument("--explain", action="store_true")
    ap.add_argument("--data-dir", type=Path, default=Path(os.environ.get("LOOKOUT_DATA_DIR", "data")))
    args = ap.parse_args()
    from bot.cli import match_lines
    from bot.event import default_vocabulary
    from bot.match.matcher import Matcher

    m = Matcher.load(Path("config"), args.data_dir)
    default_vocabulary()
    data = ("\n".join(corpus(args.lines)) + "\n").encode("utf-8") * args.passes
    stdin, stdout = sys.stdin, sys.stdout
    sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(open(os.devnull, "wb"), encoding="utf-8")  # noqa: SIM115
    started = time.process_time()
    os.getppid()  # callgrind: --zero-before=os_getppid
    match_lines.run(m, (), explain=args.explain, jobs=1)
    os.getpgrp()  # callgrind: --dump-before=os_getpgrp
    elapsed = time.process_time() - started
    sys.stdin, sys.stdout = stdin, stdout
    per_line = elapsed / args.lines / args.passes * 1e6
    print(f"{args.lines:,} lines × {args.passes}: {elapsed:.2f} s CPU ({per_line:.0f} µs a line)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
