"""How add() slows as the open window fills: a worst case for warm-up after a restart.

The real feed entries (bench/cluster_metrics.py) are copied N times (each copy keeps a
random half of its description words, so copies are near-duplicates of each other) and all
published at one instant, so nothing expires and every copy finds its siblings as
candidates. 12 copies hold 4,968 reports open.

    .venv/bin/python bench/cluster_scale.py [COPIES]
    LOOKOUT_BENCH_CODE=../main .venv/bin/python bench/cluster_scale.py 12   # another checkout
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(os.environ.get("LOOKOUT_BENCH_CODE") or Path(__file__).parents[1]).resolve()))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster_metrics import feed_docs

from bot.stories import Clusterer, StoryDoc


def copies(n: int) -> list[StoryDoc]:
    docs, rng = feed_docs(), random.Random(1)
    first = min(d.date for d in docs)
    out = []
    for k in range(n):
        for d in docs:
            words = d.text.split()
            rng.shuffle(words)
            text = " ".join(words[: max(5, len(words) // 2)])
            out.append(StoryDoc(f"{k}:{d.id}", d.title, text, d.source, first))
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    docs = copies(n)
    marks = {len(docs) // 4, len(docs) // 2, len(docs)}
    print("| docs in window | stories | ms per add (last stretch) |")
    print("|---|---|---|")
    c, started, last, stories = Clusterer(), time.perf_counter(), 0, set()
    for i, d in enumerate(docs, 1):
        stories.add(c.add(d).story_id)
        if i in marks:
            now = time.perf_counter()
            print(f"| {i} | {len(stories)} | {1000 * (now - started) / (i - last):.1f} |")
            started, last = now, i


if __name__ == "__main__":
    main()
