"""Story clustering on labelled dev data, beside a title-word-overlap baseline.

Docs: each ';'-separated headline of a dev row (UCDP GED) is one report; headlines of one
row report the same event. Two settings:
  one-window  every doc published at the same instant, so only content decides (the hard
              case: 177 docs from 125 events land in one 72 h window);
  dated       each doc published on its event date (what a live feed looks like).
Lookout runs twice: on text alone, and with the places/groups/countries the matcher
(bot.match.matcher, config/ and the data dir) finds in each headline, as the pipeline does.

    /work/venv/bin/python bench/cluster_dev.py [--sweep] [--no-matcher]
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster_metrics import LabelledDoc, Scores, dev_docs, score

from bot.models import Mentions
from bot.stories import Clusterer, StoryDoc, entities

_NOW = datetime(2025, 1, 1, tzinfo=UTC)
_WORD = re.compile(r"\w+")


def lookout(
    docs: list[LabelledDoc], mentions: dict[str, Mentions] | None = None, **thresholds: float
) -> dict[str, str]:
    c = Clusterer(**thresholds)
    out = {}
    for d in docs:
        found = entities(mentions.get(d.id) if mentions else None)
        out[d.id] = c.add(StoryDoc(d.id, d.title, "", "dev", d.date, **found)).story_id
    return out


def matcher_mentions(docs: list[LabelledDoc]) -> dict[str, Mentions] | None:
    if "--no-matcher" in sys.argv:
        return None
    from bot.match.matcher import Matcher
    from bot.settings import Settings

    root = Path(__file__).resolve().parents[1]
    matcher = Matcher.load(root / "config", Settings().lookout_data_dir)
    return {d.id: matcher.mentions(d.title) for d in docs}


def title_overlap(docs: list[LabelledDoc], threshold: float = 0.5) -> dict[str, str]:
    """Baseline: join the earlier doc whose lower-cased title words overlap most (Jaccard),
    within 72 h, when the overlap reaches `threshold`."""
    seen: list[tuple[LabelledDoc, set[str], str]] = []
    out = {}
    for d in docs:
        words = set(_WORD.findall(d.title.lower()))
        best, label = 0.0, d.id
        for other, ow, olabel in seen:
            if abs((other.date - d.date).total_seconds()) > 72 * 3600 or not words | ow:
                continue
            j = len(words & ow) / len(words | ow)
            if j > best:
                best, label = j, olabel
        label = label if best >= threshold else d.id
        seen.append((d, words, label))
        out[d.id] = label
    return out


def _row(name: str, s: Scores) -> str:
    return (
        f"| {name} | {s.pair_p:.3f} | {s.pair_r:.3f} | {s.pair_f:.3f} | {s.b3_p:.3f} | "
        f"{s.b3_r:.3f} | {s.b3_f:.3f} | {s.stories} | {s.wrong_merges} |"
    )


def main() -> None:
    docs = dev_docs()
    gold = {d.id: d.event for d in docs}
    events = len(set(gold.values()))
    print(
        f"dev: {len(docs)} reports of {events} events, "
        f"{sum(1 for d in docs if d.id.endswith('#1'))} events with 2+ reports\n"
    )
    print("| setting / method | pair P | pair R | pair F1 | B3 P | B3 R | B3 F1 | stories | wrong merges |")
    print("|---|---|---|---|---|---|---|---|---|")
    one_window = [replace(d, date=_NOW) for d in docs]
    mentions = matcher_mentions(docs)
    for label, ds in (("one-window", one_window), ("dated", docs)):
        print(_row(f"{label} / Lookout, text only", score(gold, lookout(ds))))
        if mentions:
            print(_row(f"{label} / Lookout + matcher", score(gold, lookout(ds, mentions))))
        print(_row(f"{label} / title overlap ≥ 0.5", score(gold, title_overlap(ds, 0.5))))
        print(_row(f"{label} / title overlap ≥ 0.3", score(gold, title_overlap(ds, 0.3))))
    if "--sweep" in sys.argv:
        print("\none-window, join threshold sweep (Lookout + matcher when loaded):\n")
        print("| join | pair P | pair R | pair F1 | B3 P | B3 R | B3 F1 | stories | wrong |")
        print("|---|---|---|---|---|---|---|---|---|")
        for join in (0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65):
            print(_row(f"{join:.2f}", score(gold, lookout(one_window, mentions, join=join))))


if __name__ == "__main__":
    main()
