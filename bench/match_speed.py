"""Matcher speed and size: throughput (MB/s of article text) against a raw scan of the same
names by the same library (pyahocorasick, the same automaton, every hit consumed, nothing
resolved), plus index build time and memory (in a fresh process), load time and memory.

Each measure is the best of several passes, taken in turn with the others (matcher, then each
raw scan, then again), so a busy neighbour on a shared machine slows them alike and the ratio
holds. The raw scan is measured three ways in the same run. The target's baseline is "fold + scan":
the names are stored as folded whole words (" Ségou " → " Segou "), so the library finds them
only in text folded the same way, and folding is the least any user of these names must do.
"lower-case + scan" (the earlier baseline) skips folding but then misses most names, since
the automaton is case-aware; "scan of pre-folded text" leaves folding out of the clock.

    python bench/match_speed.py [--data-dir DIR] [--skip-build]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("LOOKOUT_SHARED_DIR") or ROOT.parent / "shared")

_LOAD_PROBE = """
import gc, json, sys, time
from pathlib import Path
def status(key):  # VmHWM is this process's own peak: ru_maxrss would count the parent's fork
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1024
import bot.match.matcher
base = status("VmRSS")
t = time.perf_counter()
m = bot.match.matcher.Matcher.load(Path(sys.argv[1]), Path(sys.argv[2]))
load = time.perf_counter() - t
gc.collect()
print(json.dumps({"load_s": load, "rss_mb": status("VmRSS") - base,
                  "peak_mb": status("VmHWM") - base}))
"""


def corpus() -> list[str]:
    """Real texts: feed entries, dev headlines and the seed article."""
    texts = []
    for name in ("bbc-africa.jsonl", "allafrica.jsonl"):
        path = SHARED / "data" / "feeds" / name
        if path.exists():
            for line in path.open(encoding="utf-8"):
                row = json.loads(line)
                texts.append(f"{row['title']}\n{row['description']}")
    dev = SHARED / "data" / "dev" / "dev.jsonl"
    if dev.exists():
        texts += [json.loads(line)["text"] for line in dev.open(encoding="utf-8")]
    return texts + seed_article()


def seed_article() -> list[str]:
    """The one full-length article: real article text, less dense in names than headlines."""
    seed = SHARED / "examples" / "jnim-boulikessi.txt"
    return [seed.read_text(encoding="utf-8")] if seed.exists() else []


def best_rates(
    fns: dict[str, tuple], corpora: tuple[list[str], ...], rounds: int, repeats: int
) -> dict[str, list[float]]:
    """label → MB/s on each corpus: the best of `repeats` timed passes (each `rounds` times over
    the corpus), the functions taking turns. `fns`: label → (function, runs on pre-folded text)."""
    from bot.match.fold import Folded

    inputs = {
        label: [[Folded.of(x).text for x in c] if prefold else c for c in corpora]
        for label, (_, prefold) in fns.items()
    }
    best = {label: [float("inf")] * len(corpora) for label in fns}
    for _ in range(repeats):
        for label, (fn, _) in fns.items():
            for i, texts in enumerate(inputs[label]):
                t = time.perf_counter()
                for _ in range(rounds):
                    for text in texts:
                        fn(text)
                best[label][i] = min(best[label][i], time.perf_counter() - t)
    sizes = [sum(len(x.encode()) for x in c) * rounds for c in corpora]
    return {
        label: [size / s / 1e6 for size, s in zip(sizes, secs, strict=True)] for label, secs in best.items()
    }


def raw_scans(scanner, klen) -> dict[str, tuple]:
    """label → (function, whether it runs on pre-folded text)."""
    from bot.match.fold import Folded

    def lower(text: str) -> None:
        for _ in scanner.automaton.iter(text.lower()):
            pass

    def folded(text: str) -> None:
        scanner.scan(Folded.of(text).text, klen)

    def prefolded(text: str) -> None:
        scanner.scan(text, klen)

    return {
        "fold + scan (target baseline)": (folded, False),
        "lower-case + scan (earlier baseline)": (lower, False),
        "scan of pre-folded text": (prefolded, True),
    }


def load_probe(data_dir: Path, runs: int = 3) -> dict[str, float]:
    """Loading in fresh processes: the best time of `runs` and the most memory seen."""
    found = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", _LOAD_PROBE, str(ROOT / "config"), str(data_dir)],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            ).stdout
        )
        for _ in range(runs)
    ]
    return {
        "load_s": min(p["load_s"] for p in found),
        "rss_mb": max(p["rss_mb"] for p in found),
        "peak_mb": max(p["peak_mb"] for p in found),
    }


_BUILD_PROBE = """
import json, sys, time
from pathlib import Path
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1024
import bot.match.matcher
base = status("VmRSS")
t = time.perf_counter()
bot.match.matcher.Matcher.load(Path(sys.argv[1]), Path(sys.argv[2]))
print(json.dumps({"build_s": time.perf_counter() - t, "base_mb": base, "peak_mb": status("VmHWM")}))
"""


def build_probe(data_dir: Path) -> dict[str, float]:
    """A first build of the index (the same dumps) in a fresh process: its time and peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        for dump in (data_dir / "geonames").glob("*.txt"):
            (Path(tmp) / "geonames").mkdir(exist_ok=True)
            (Path(tmp) / "geonames" / dump.name).write_bytes(dump.read_bytes())
        out = subprocess.run(
            [sys.executable, "-c", _BUILD_PROBE, str(ROOT / "config"), tmp],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout
        return json.loads(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=Path(os.environ.get("LOOKOUT_DATA_DIR", "data")))
    ap.add_argument("--skip-build", action="store_true", help="do not time a fresh index build")
    ap.add_argument("--rounds", type=int, default=3, help="passes over the texts per timing")
    ap.add_argument("--repeats", type=int, default=7, help="timings per measure; the best counts")
    args = ap.parse_args()
    from bot.match.matcher import Matcher

    m = Matcher.load(ROOT / "config", args.data_dir)  # builds once if needed
    texts, seed = corpus(), seed_article()
    if not seed:
        print(f"the seed article is not under {SHARED}", file=sys.stderr)
        return 2
    probe = load_probe(args.data_dir)
    gc.collect()
    print(
        f"{len(texts)} real texts, {sum(len(t.encode()) for t in texts) / 1e6:.2f} MB; best of "
        f"{args.repeats} timings of {args.rounds} passes; {len(m.index.p_name):,} places, "
        f"{len(m.index.klen):,} names"
    )
    print("| measure | all texts | seed article | target |")
    print("|---|---|---|---|")
    scans = raw_scans(m.resolver.scanner, m.index.klen)
    rates = best_rates({"matcher": (m.mentions, False), **scans}, (texts, seed), args.rounds, args.repeats)
    ours = rates["matcher"]
    print(f"| matcher throughput | {ours[0]:.2f} MB/s | {ours[1]:.2f} MB/s | |")
    for label in scans:
        raw = rates[label]
        target = "≥ 0.33" if "target" in label else ""
        print(f"| raw scan: {label} | {raw[0]:.2f} MB/s | {raw[1]:.2f} MB/s | |")
        print(
            f"| ratio matcher / {label.split(' (')[0]} | {ours[0] / raw[0]:.2f} | "
            f"{ours[1] / raw[1]:.2f} | {target} |"
        )
    print(f"| index load (best of 3 fresh processes) | {probe['load_s']:.2f} s | | ≤ 1 s |")
    print(f"| matcher memory (resident after load) | {probe['rss_mb']:.0f} MB | | ≤ 200 MB |")
    print(f"| peak while loading (transient) | {probe['peak_mb']:.0f} MB | | |")
    if not args.skip_build:
        b = build_probe(args.data_dir)
        print(f"| first index build (fresh process) | {b['build_s']:.1f} s | | ≤ 15 s |")
        print(
            f"| peak memory of that process (imports {b['base_mb']:.0f} MB) | {b['peak_mb']:.0f} MB | "
            f"| ≤ 400 MB |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
