"""Story clustering on three weeks of real BBC Africa and AllAfrica entries and one morning of
BBC World and Al Jazeera, labelled by us (bench/data/stories-feeds.json).

Entries are fed in published order through the same code as `python -m bot cluster`, with
the matcher's places and groups unless --no-matcher. The table scores the labels (with the
entries' descriptions, and headlines only); then every story of 2+ reports is listed, and
every report joined to a story its label does not share is marked, so a reader can check
each merge by eye (a wrong merge hides an alert).

    .venv/bin/python bench/cluster_feeds.py [--no-matcher] [--quiet]
"""

from __future__ import annotations

import os
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(os.environ.get("LOOKOUT_BENCH_CODE") or Path(__file__).parents[1]).resolve()))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster_metrics import LabelledDoc, feed_docs, lookout, matcher_reader, score


def _row(name: str, docs: list[LabelledDoc], reader) -> dict[str, str]:
    started = time.perf_counter()
    got = lookout(docs, reader)
    ms = 1000 * (time.perf_counter() - started) / len(docs)
    s = score({d.id: d.event for d in docs}, got)
    print(
        f"| {name} | {len(docs)} | {len({d.event for d in docs})} | {s.stories} | {s.pair_p:.2f} | "
        f"{s.pair_r:.2f} | {s.b3_f:.3f} | {s.wrong_merges} | {ms:.1f} |"
    )
    return got


def main() -> None:
    reader = None if "--no-matcher" in sys.argv else matcher_reader()
    docs = feed_docs()
    print(
        "| input | entries | labelled stories | stories | pair P | pair R | B3 F1 | wrong pairs | ms/entry |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    got = _row("headline + description", docs, reader)
    _row("headline only", [replace(d, text="") for d in docs], reader)
    if "--quiet" in sys.argv:
        return
    stories: dict[str, list[LabelledDoc]] = defaultdict(list)
    for d in sorted(docs, key=lambda d: (d.date, d.id)):
        stories[got[d.id]].append(d)
    for sid, members in stories.items():
        if len(members) < 2:
            continue
        print(f"\n{sid}")
        first = members[0].event
        for d in members:
            mark = "  " if d.event == first else "✗ "
            print(f"  {mark}{d.date:%m-%d %H:%M} {d.source:12} {d.title[:90]}")


if __name__ == "__main__":
    main()
