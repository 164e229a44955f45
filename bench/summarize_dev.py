"""Summaries and facts on real text: how many facts of each kind, and how fast.

Runs `summarize` on every dev headline (each ';'-separated report), on every feed entry
(title + description), on the French items of the relevance dev set and of our own rows
(bench/data/relevance-own.jsonl) and on the seed article, with no matcher (the text-only
readers), then prints facts found per kind, how many tolls carry a note (who says so, or
that it is unverified) and time per item. The feed tolls are listed with their notes, and
the seed's facts, so a reader can check them against the text.

    .venv/bin/python bench/summarize_dev.py
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster_metrics import feed_docs, ged_docs, shared_dir

from bot.models import KINDS
from bot.stories.summarize import summarize

ROOT = Path(__file__).resolve().parents[1]


def _run(name: str, items: list[tuple[str, str]]) -> str:
    counts: Counter[str] = Counter()
    noted = 0
    started = time.perf_counter()
    for title, text in items:
        s = summarize(title, text)
        counts.update({f.kind for f in s.facts})
        noted += s.toll_note is not None
    ms = 1000 * (time.perf_counter() - started) / max(1, len(items))
    cells = " | ".join(f"{counts[k]}" for k in KINDS)
    return f"| {name} | {len(items)} | {cells} | {noted} | {ms:.2f} |"


def french_items() -> list[tuple[str, str]]:
    """French items: the relevance dev set's (from ../shared) and our own rows."""
    items = []
    paths = [
        shared_dir() / "data" / "dev" / "relevance-dev.jsonl",
        ROOT / "bench" / "data" / "relevance-own.jsonl",
    ]
    for path in paths:
        if path.exists():
            rows = [
                json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
            ]
            items += [(r["title"], r.get("text") or "") for r in rows if r["lang"] == "fr"]
    return items


def main() -> None:
    dev = [(d.title, "") for d in ged_docs()]
    feeds = [(d.title, d.text) for d in feed_docs()]
    seed = (shared_dir() / "examples" / "jnim-boulikessi.txt").read_text(encoding="utf-8")
    seed_title = seed.splitlines()[1]  # the file: a lede line, then the headline
    print("items with at least one fact of each kind:\n")
    print("| set | items | " + " | ".join(KINDS) + " | toll with a note | ms per item |")
    print("|---|---|" + "---|" * len(KINDS) + "---|---|")
    print(_run("dev headlines", dev))
    print(_run("feed entries", feeds))
    print(_run("French items", french_items()))
    print(_run("seed article", [(seed_title, seed)]))
    print("\nfeed tolls and their notes:")
    for title, text in feeds:
        s = summarize(title, text)
        if s.toll:
            print(f"  {s.toll}" + (f" — {s.toll_note}" if s.toll_note else "") + f"  ({title[:60]})")
    s = summarize(seed_title, seed)
    print(f"\nseed toll: {s.toll} ({s.toll_note})\n")
    for f in s.facts:
        print(f"  {f.kind:9} {f.value}")
    print("\nseed summary:")
    for line in s.sentences:
        print(f"  - {line}")


if __name__ == "__main__":
    main()
