"""A held-out world news day: the shared BBC World and Al Jazeera feeds of 2026-08-13, served
byte for byte on 127.0.0.1 and polled by a real `python -m bot poll --once` (as
bench/replay_relevance.py does), to ten desks covering the countries in the news that day.

Every post is scored with our labels of all 57 items (`bench/data/feeds-world-labels.jsonl`:
guid, link, 1/0, ambiguous, main country, a note in our words; no text), written by the dev
set README's rule before the bot's decisions were read:

- precision: posts whose item is security news / all posts;
- recall: (security item, desk watching its main country) pairs that reached the desk / all
  such pairs.

"topics: all" runs the same desks with every watch match posting; "security" is the default.
Each run is scored on every labelled item, then on clear items only (ambiguous ones neither
count as noise nor are owed to a desk). Needs the gazetteer index.

    python bench/replay_world.py [--data-dir DIR] [--errors]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from replay_relevance import causes, print_errors, replay_files, score  # noqa: E402

SHARED = Path(os.environ.get("LOOKOUT_SHARED_DIR") or ROOT.parent / "shared")
LABELS = ROOT / "bench" / "data" / "feeds-world-labels.jsonl"
FEEDS = {"bbc-world-20260813.xml": "BBC News – World", "aljazeera-all-20260813.xml": "Al Jazeera – all"}
# One desk per region in the day's news: a catalogue region where one fits, else a country list.
DESKS = {
    "desk-middle-east": ["Middle East"],
    "desk-ukraine-russia": ["UA", "RU", "BY", "MD"],
    "desk-sahel": ["Sahel"],
    "desk-horn": ["Horn of Africa"],
    "desk-sudan": ["SD"],
    "desk-south-asia": ["South Asia"],
    "desk-latin-america": ["Latin America"],
    "desk-east-asia": ["CN", "JP", "KR", "KP", "TW", "PH", "MY", "SG", "ID", "MM", "TH", "VN", "KH", "AU"],
    "desk-southern-africa": ["Southern Africa"],
    "desk-north-america": ["US", "CA"],
}


def covered() -> dict[str, set[str]]:
    """desk → the countries it watches (a region's countries from the catalogue)."""
    regions = yaml.safe_load((ROOT / "bot" / "catalogues" / "regions.yaml").read_text(encoding="utf-8"))
    out = {}
    for desk, watched in DESKS.items():
        out[desk] = set()
        for name in watched:
            out[desk] |= set(regions["regions"][name]["countries"]) if name in regions["regions"] else {name}
    return out


def teams(topics: str) -> list[dict]:
    return [
        {"name": desk, "channel": f"#{desk}", "watch": {"regions": watched, "topics": topics}}
        for desk, watched in DESKS.items()
    ]


def rows() -> list[dict]:
    """Our labels as rows replay_relevance.score reads (id = the feed's guid, as stored)."""
    return [r | {"id": r["guid"], "lang": "en"} for r in map(json.loads, LABELS.open(encoding="utf-8"))]


def titles() -> dict[str, str]:
    """guid → headline, read from ../shared for --errors only (never written anywhere)."""
    out = {}
    for name in FEEDS:
        for item in ET.parse(SHARED / "data" / "feeds" / name).getroot().iter("item"):
            out[(item.findtext("guid") or "").strip()] = (item.findtext("title") or "").strip()
    return out


def table(runs: dict[str, tuple[list, dict]], labelled: list[dict], desks: dict[str, set[str]]) -> None:
    print(
        "| items | topics | posts (cards) | security posts | precision | security pairs | reached | recall |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for which, chosen in (("all", labelled), ("clear", [r for r in labelled if not r["ambiguous"]])):
        for topic, (posts, _) in runs.items():
            s = score(chosen, posts, desks, "en")
            print(
                f"| {which} | {topic} | {s['posts']} ({s['cards']}) | {s['security posts']} | "
                f"{s['precision']:.2f} | {s['wanted']} | {s['reached']} | {s['recall']:.2f} |"
            )


def errors(runs: dict[str, tuple[list, dict]], labelled: list[dict], desks: dict[str, set[str]], show: bool):
    """Missed pairs by cause (and with `show`, each missed pair and noise post, headline and reason)."""
    posts, verdicts = runs["security"]
    s = score(labelled, posts, desks, "en")
    why = causes(s["missed"], {(d, i) for d, i, _ in runs["all"][0]}, verdicts)
    print(
        "\nmissed pairs by cause (security, all items): " + ", ".join(f"{k} {len(v)}" for k, v in why.items())
    )
    if not show:
        return
    heads = titles()
    shown = {r["id"]: ("A " if r["ambiguous"] else "") + heads.get(r["id"], r["id"])[:80] for r in labelled}
    print_errors(why, s["noise"], verdicts, shown, "  ")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, default=Path(os.environ.get("LOOKOUT_DATA_DIR", "data")))
    ap.add_argument("--errors", action="store_true", help="list missed pairs and noise posts (security)")
    args = ap.parse_args()
    feeds = SHARED / "data" / "feeds"
    files = {f"/{name}": (outlet, (feeds / name).read_bytes()) for name, outlet in FEEDS.items()}
    labelled, desks = rows(), covered()
    with tempfile.TemporaryDirectory(prefix="lookout-world-") as tmp:
        runs = {t: replay_files(files, teams(t), args.data_dir, Path(tmp)) for t in ("all", "security")}
    unlabelled = {i for posts, _ in runs.values() for _, i, _ in posts} - {r["id"] for r in labelled}
    if unlabelled:
        sys.exit(f"posts on items without a label (a guid changed?): {sorted(unlabelled)[:5]}")
    table(runs, labelled, desks)
    errors(runs, labelled, desks, args.errors)


if __name__ == "__main__":
    main()
