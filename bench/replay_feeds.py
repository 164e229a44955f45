"""The analyst's replay: the shared BBC Africa and AllAfrica entries, for four desks watching the
Sahel, the Lake Chad Basin, the Horn of Africa and Sudan, scored against our own labels of the
entries that reach a desk (`bench/data/feeds-desk-labels.jsonl`: the entry's link and 1/0, by
the dev set README's definitions; no text is stored).

Two ways, each before (every watch match posts: `topics: all`) and after (the default,
`topics: security`):

- matched: each entry alone through the matcher, the event stage and the topics rule
  (bot.event.topics); a card is one (entry, desk) pair whose watch fires;
- through `poll --once`: the entries served as two feeds on 127.0.0.1 and polled by a real
  `python -m bot poll --once` (stories, cards and thread replies as Slack would get them).

Precision is security posts over posts; recall security posts kept over those before. Needs
the gazetteer index.

    python bench/replay_feeds.py [--data-dir DIR] [--no-poll]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from replay_relevance import replay  # noqa: E402

from bot.config import Team, Watch  # noqa: E402
from bot.event import classify, topics  # noqa: E402
from bot.match.matcher import Matcher  # noqa: E402

SHARED = Path(os.environ.get("LOOKOUT_SHARED_DIR") or ROOT.parent / "shared")
LABELS = ROOT / "bench" / "data" / "feeds-desk-labels.jsonl"
DESKS = {"sahel": "Sahel", "lake-chad": "Lake Chad Basin", "horn": "Horn of Africa", "sudan": "Sudan"}
FEEDS = {"bbc-africa.jsonl": "BBC News – Africa", "allafrica.jsonl": "AllAfrica – top headlines"}


def entries() -> list[dict]:
    """The shared entries as rows (id = link), entities decoded as a feed parser would."""
    rows = []
    for name, outlet in FEEDS.items():
        for line in (SHARED / "data" / "feeds" / name).open(encoding="utf-8"):
            e = json.loads(line)
            # Feeds carry entities undecoded, AllAfrica's twice (shared/data/feeds/README.md).
            rows.append(
                {
                    "id": e["link"],
                    "title": html.unescape(e["title"]),
                    "text": html.unescape(html.unescape(e["description"])),
                    "lang": "en",
                    "outlet": outlet,
                    "published": e["date_published"],
                }
            )
    return rows


def teams(topic: str) -> list[Team]:
    return [Team(name=n, channel=f"#{n}", watch=Watch(regions=[r], topics=topic)) for n, r in DESKS.items()]


def matched(rows: list[dict], matcher: Matcher, topic: str) -> list[tuple[str, str, str]]:
    """(desk, entry, "parent") for each entry alone whose card the rules give a desk."""
    posts = []
    for row in rows:
        body = f"{row['title']}\n{row['text']}"
        mentions = matcher.mentions(body)
        fired = [(t, m) for t in teams(topic) if (m := matcher.match(t, mentions, body))]
        if not fired:
            continue
        event = classify(body, mentions, "en")
        posts += [
            (t.name, row["id"], "parent")
            for t, m in fired
            if topics.card_reasons(t.watch, m.reasons, event) is not None
        ]
    return posts


def line(label: str, posts: list[tuple[str, str, str]], labels: dict[str, int], wanted: int) -> str:
    known = [(d, i, k) for d, i, k in posts if i in labels]
    good = sum(labels[i] for _, i, _ in known)
    cards = sum(k == "parent" for *_, k in known)
    precision = good / len(known) if known else 0.0
    recall = good / wanted if wanted else 0.0
    unlabelled = len(posts) - len(known)
    extra = f" ({unlabelled} unlabelled)" if unlabelled else ""
    return f"| {label} | {len(known)}{extra} | {cards} | {good} | {precision:.2f} | {recall:.2f} |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, default=Path(os.environ.get("LOOKOUT_DATA_DIR", "data")))
    ap.add_argument("--no-poll", action="store_true", help="skip the replay through poll --once")
    args = ap.parse_args()
    matcher = Matcher.load(ROOT / "config", args.data_dir)
    labels = {r["link"]: r["security"] for r in map(json.loads, LABELS.open(encoding="utf-8"))}
    rows = entries()
    runs = {f"matched, {t}": matched(rows, matcher, t) for t in ("all", "security")}
    if not args.no_poll:
        with tempfile.TemporaryDirectory(prefix="lookout-feeds-") as tmp:
            for t in ("all", "security"):
                desks = [
                    {"name": n, "channel": f"#{n}", "watch": {"regions": [r], "topics": t}}
                    for n, r in DESKS.items()
                ]
                runs[f"poll --once, {t}"] = replay(rows, desks, args.data_dir, Path(tmp))[0]
    print("| run (topics) | posts | cards | security posts | precision | recall |")
    print("|---|---|---|---|---|---|")
    for label, posts in runs.items():
        before = runs[label.replace("security", "all")]
        wanted = sum(labels.get(i, 0) for _, i, _ in before)
        print(line(label, posts, labels, wanted))


if __name__ == "__main__":
    main()
