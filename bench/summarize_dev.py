"""Summaries and facts on real text: how many facts of each kind, and how fast.

Runs `summarize` on every dev headline (each ';'-separated report), on every feed entry
(title + description) and on the seed article, with no matcher (the text-only readers),
then prints facts found per kind and time per item. Facts are listed for the seed so a
reader can check them against shared/examples/README.md.

    /work/venv/bin/python bench/summarize_dev.py
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster_feeds import feed_docs
from cluster_metrics import dev_docs, shared_dir

from bot.models import KINDS
from bot.stories.summarize import summarize

SEED_TITLE = "Al-Qaeda-Linked Group Claims Major Assault on Mali's Armed Forces"


def _run(name: str, items: list[tuple[str, str]]) -> str:
    counts: Counter[str] = Counter()
    with_toll = 0
    started = time.perf_counter()
    for title, text in items:
        s = summarize(title, text)
        counts.update({f.kind for f in s.facts})
        with_toll += s.toll is not None
    ms = 1000 * (time.perf_counter() - started) / len(items)
    cells = " | ".join(f"{counts[k]}" for k in KINDS)
    return f"| {name} | {len(items)} | {cells} | {ms:.2f} |"


def main() -> None:
    dev = [(d.title, "") for d in dev_docs()]
    feeds = [(d.title, d.text) for d in feed_docs()]
    seed = (shared_dir() / "examples" / "jnim-boulikessi.txt").read_text(encoding="utf-8")
    print("items with at least one fact of each kind:\n")
    print("| set | items | " + " | ".join(KINDS) + " | ms per item |")
    print("|---|---|" + "---|" * len(KINDS) + "---|")
    print(_run("dev headlines", dev))
    print(_run("feed entries", feeds))
    print(_run("seed article", [(SEED_TITLE, seed)]))
    s = summarize(SEED_TITLE, seed)
    print(f"\nseed toll: {s.toll} ({s.toll_note})\n")
    for f in s.facts:
        print(f"  {f.kind:9} {f.value}")
    print("\nseed summary:")
    for line in s.sentences:
        print(f"  - {line}")


if __name__ == "__main__":
    main()
