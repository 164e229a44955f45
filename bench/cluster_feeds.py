"""Story clustering on three weeks of real BBC Africa and AllAfrica feed entries.

No labels: the table counts what merged and lists every multi-report story, so a reader can
check each merge by eye (a wrong merge hides an alert). Entries are fed in published order,
exactly as the live pipeline would see them, with the matcher's places and groups unless
--no-matcher.

    /work/venv/bin/python bench/cluster_feeds.py [--no-matcher]
"""

from __future__ import annotations

import html
import json
import sys
import time
from collections import defaultdict
from dataclasses import replace
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster_metrics import shared_dir

from bot.stories import Clusterer, StoryDoc, entities


def feed_docs() -> list[StoryDoc]:
    docs = []
    for name in ("bbc-africa.jsonl", "allafrica.jsonl"):
        path = shared_dir() / "data" / "feeds" / name
        for line in path.read_text(encoding="utf-8").splitlines():
            e = json.loads(line)
            # AllAfrica double-escapes entities ("&#x26;amp;"): unescape twice.
            title = html.unescape(html.unescape(e["title"]))
            text = html.unescape(html.unescape(e["description"]))
            when = datetime.fromisoformat(e["date_published"])
            docs.append(StoryDoc(e["link"], title, text, name.split(".")[0], when))
    return sorted(docs, key=lambda d: (d.published, d.id))


def with_mentions(docs: list[StoryDoc]) -> list[StoryDoc]:
    if "--no-matcher" in sys.argv:
        return docs
    from bot.match.matcher import Matcher
    from bot.settings import Settings

    matcher = Matcher.load(Path(__file__).resolve().parents[1] / "config", Settings().lookout_data_dir)
    return [replace(d, **entities(matcher.mentions(f"{d.title}\n{d.text}"))) for d in docs]


def main() -> None:
    docs = with_mentions(feed_docs())
    started = time.perf_counter()
    c = Clusterer()
    stories: dict[str, list[StoryDoc]] = defaultdict(list)
    for d in docs:
        stories[c.add(d).story_id].append(d)
    took = time.perf_counter() - started
    multi = {s: ds for s, ds in stories.items() if len(ds) > 1}
    print("| entries | stories | stories with 2+ reports | reports in them | ms per entry |")
    print("|---|---|---|---|---|")
    merged = sum(len(ds) for ds in multi.values())
    ms = 1000 * took / len(docs)
    print(f"| {len(docs)} | {len(stories)} | {len(multi)} | {merged} | {ms:.2f} |")
    for sid, ds in multi.items():
        print(f"\n{sid}")
        for d in ds:
            print(f"  {d.published:%m-%d %H:%M} {d.source:9} {d.title[:90]}")


if __name__ == "__main__":
    main()
