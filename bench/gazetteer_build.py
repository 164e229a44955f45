"""The first index build as a user runs it: `python -m bot gazetteer import` of the shared
GeoNames files into an empty data dir, in fresh processes: wall clock, CPU time (the command's
own, which a busy machine disturbs much less; best of the runs) and peak memory (the most seen),
then the built index's load in a fresh process (its CPU time includes the interpreter's start).
With `--before DIR` (a checkout of earlier code) both take turns in one run.

    python bench/gazetteer_build.py [--before DIR] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LOOKOUT_SHARED_DIR") or ROOT.parent / "shared")

_LOAD = """
import sys
from pathlib import Path
from bot.match.matcher import Matcher
Matcher.load(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def _run(cmd: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall clock, CPU time and peak memory (MB) of one command, from its own resource usage."""
    with tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - t
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            err.seek(0)
            sys.exit(f"{cmd[1:4]} in {cwd} failed: {err.read().decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def import_run(code: Path, dumps: list[Path]) -> dict[str, float]:
    """One `gazetteer import` of `dumps` with the code in `code`, into an empty data dir, then
    one load of the index it built."""
    with tempfile.TemporaryDirectory() as data:
        cmd = [sys.executable, "-m", "bot", "gazetteer", "import", *map(str, dumps), "--data-dir", data]
        wall, cpu, peak = _run(cmd, code)
        _, load_cpu, load_peak = _run([sys.executable, "-c", _LOAD, str(code / "config"), data], code)
    return {"wall": wall, "cpu": cpu, "peak": peak, "load_cpu": load_cpu, "load_peak": load_peak}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", type=Path, help="a checkout of earlier code, run in turn with this one")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    dumps = sorted((SHARED / "data" / "geonames").glob("*.txt"))
    if not dumps:
        print(f"no GeoNames files under {SHARED}/data/geonames", file=sys.stderr)
        return 2
    codes = {"after": ROOT} | ({"before": args.before.resolve()} if args.before else {})
    found: dict[str, list[dict]] = {name: [] for name in codes}
    for _ in range(args.runs):
        for name, code in codes.items():
            found[name].append(import_run(code, dumps))
    load = os.getloadavg()[0]
    print(f"`gazetteer import` of {len(dumps)} files, best of {args.runs}; load average {load:.1f}")
    print("| code | wall clock | CPU time | peak memory | then a load: CPU, peak |")
    print("|---|---|---|---|---|")
    for name, runs in found.items():
        best = {k: min(r[k] for r in runs) for k in runs[0]}
        most = {k: max(r[k] for r in runs) for k in runs[0]}
        print(
            f"| {name} | {best['wall']:.1f} s | {best['cpu']:.1f} s | {most['peak']:.0f} MB | "
            f"{best['load_cpu']:.2f} s, {most['load_peak']:.0f} MB |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
