"""The analyst's replay, without Slack: the shared BBC Africa and AllAfrica entries, matched for
four desks watching the Sahel, the Lake Chad Basin, the Horn of Africa and Sudan, with and
without the event stage, scored against our own labels of the entries that reach a desk
(`bench/data/feeds-desk-labels.jsonl`: the entry's link and 1/0, by the dev set README's
definitions; no text is stored).

A card is one (entry, desk) pair whose watch fires; precision is security cards over cards,
recall security cards kept over security cards. Needs the gazetteer index.

    python bench/replay_feeds.py [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import Team, Watch  # noqa: E402
from bot.event import classify  # noqa: E402
from bot.match.matcher import Matcher  # noqa: E402

SHARED = Path(os.environ.get("LOOKOUT_SHARED_DIR") or ROOT.parent / "shared")
LABELS = ROOT / "bench" / "data" / "feeds-desk-labels.jsonl"
DESKS = {"sahel": "Sahel", "lake-chad": "Lake Chad Basin", "horn": "Horn of Africa", "sudan": "Sudan"}


def entries() -> list[dict]:
    rows = []
    for name in ("bbc-africa.jsonl", "allafrica.jsonl"):
        path = SHARED / "data" / "feeds" / name
        rows += [json.loads(line) for line in path.open(encoding="utf-8")]
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, default=Path(os.environ.get("LOOKOUT_DATA_DIR", "data")))
    args = ap.parse_args()
    matcher = Matcher.load(ROOT / "config", args.data_dir)
    teams = [Team(name=n, channel=f"#{n}", watch=Watch(regions=[r])) for n, r in DESKS.items()]
    labels = {r["link"]: r["security"] for r in map(json.loads, LABELS.open(encoding="utf-8"))}
    cards = kept = security_cards = security_kept = unlabelled = 0
    for row in entries():
        # Feeds carry entities undecoded, AllAfrica's twice (shared/data/feeds/README.md).
        body = f"{html.unescape(row['title'])}\n{html.unescape(html.unescape(row['description']))}"
        mentions = matcher.mentions(body)
        fired = sum(1 for t in teams if matcher.match(t, mentions, body))
        if not fired:
            continue
        if row["link"] not in labels:
            unlabelled += 1
            continue
        event = classify(body, mentions, "en")
        cards += fired
        kept += fired * event.security
        security_cards += fired * labels[row["link"]]
        security_kept += fired * labels[row["link"]] * event.security
    print("| | cards | security cards | precision | recall |")
    print("|---|---|---|---|---|")
    print(f"| every match (before) | {cards} | {security_cards} | {security_cards / cards:.2f} | 1.00 |")
    precision = security_kept / kept if kept else 0.0
    recall = security_kept / security_cards if security_cards else 0.0
    print(f"| security only (event stage) | {kept} | {security_kept} | {precision:.2f} | {recall:.2f} |")
    if unlabelled:
        print(f"\n{unlabelled} entries reach a desk but have no label (the matcher changed): label them")


if __name__ == "__main__":
    main()
