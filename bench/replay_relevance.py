"""What reaches Slack: the relevance dev set replayed as feeds through `python -m bot poll --once`
to 18 desks watching countries and macro-regions, as the maintainers measure it.

Each part of the dev set (bench/relevance.py's fixed split: the dev part we tune on, the
validation part we do not) is served as RSS feeds on 127.0.0.1, one feed per outlet and
language, and polled once by a real `poll --once` process (console delivery, a fresh SQLite
store). Then every post (card or thread reply) is read from the store and scored with the
rows' labels:

- precision: posts whose item is security news / all posts;
- recall: (security item, desk) pairs that reached the desk / those that should have, a pair
  being a security row whose `country` label is one the desk watches (its country, or one of
  its macro-region's countries).

"before" runs the same desks with `topics: all` (every watch match posts, as before the event
stage); "after" with the default (`topics: security`). Needs the gazetteer index
($LOOKOUT_DATA_DIR). The dev set's text is read from ../shared and never written anywhere but
a temporary folder.

    python bench/replay_relevance.py [--data-dir DIR] [--parts dev,validation] [--errors]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
from collections import defaultdict
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from relevance import DEV_SET, ROUNDS, load, split  # noqa: E402

# 18 desks: the macro-regions a conflict desk watches, and the countries with most security
# news in the dev set that none of them covers alone.
REGION_DESKS = (
    "Sahel",
    "Lake Chad Basin",
    "Horn of Africa",
    "Great Lakes",
    "Middle East",
    "Maghreb",
    "West Africa",
)
COUNTRY_DESKS = ("SD", "NG", "CD", "SO", "ML", "BF", "NE", "ET", "LY", "SS", "CM")


def desks(regions_yaml: Path) -> dict[str, tuple[str, set[str]]]:
    """desk name → (the watch's region name, the countries it covers)."""
    regions = yaml.safe_load(regions_yaml.read_text(encoding="utf-8"))["regions"]
    out = {}
    for name in REGION_DESKS:
        # A region made of provinces (Lake Chad Basin) covers no whole country: its posts
        # count for precision, and no row's `country` label says it should have reached it.
        covered = set(regions[name].get("countries") or [])
        out["desk-" + name.lower().replace(" ", "-")] = (name, covered)
    for code in COUNTRY_DESKS:
        out[f"desk-{code.lower()}"] = (code, {code})
    return out


def feeds(rows: list[dict]) -> dict[str, tuple[str, bytes]]:
    """path → (outlet, RSS body): one feed per outlet and language."""
    by_feed: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        by_feed[(r.get("outlet", "Own rows"), r["lang"])].append(r)
    out = {}
    for n, ((outlet, lang), members) in enumerate(sorted(by_feed.items())):
        items = "".join(_item(r) for r in members)
        body = (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{escape(outlet)}</title><link>https://example.org/</link>"
            f"<language>{lang}</language>{items}</channel></rss>"
        )
        out[f"/feed-{n}.xml"] = (outlet, body.encode("utf-8"))
    return out


def _item(r: dict) -> str:
    when = ""
    if r.get("published"):
        day = datetime.fromisoformat(r["published"][:10]).replace(hour=12, tzinfo=UTC)
        when = f"<pubDate>{format_datetime(day)}</pubDate>"
    return (
        f"<item><guid isPermaLink='false'>{escape(r['id'])}</guid><title>{escape(r['title'])}</title>"
        f"<link>https://example.org/{escape(r['id'])}</link>"
        f"<description>{escape(r.get('text') or '')}</description>{when}</item>"
    )


class Server:
    def __init__(self, files: dict[str, tuple[str, bytes]]):
        def handler(*args):
            return _Handler(files, *args)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    def __init__(self, files, *args):
        self.files = files
        super().__init__(*args)

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        found = self.files.get(self.path)
        self.send_response(200 if found else 404)
        body = found[1] if found else b""
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def desk_teams(topics: str) -> list[dict]:
    """teams.yaml entries of the 18 desks, with this `topics` setting."""
    chosen = desks(ROOT / "bot" / "catalogues" / "regions.yaml")
    return [
        {"name": name, "channel": f"#{name}", "watch": {"regions": [region], "topics": topics}}
        for name, (region, _) in chosen.items()
    ]


def replay(rows: list[dict], teams: list[dict], data_dir: Path, work: Path) -> tuple[list, dict]:
    """(team, row id, kind) of every post `poll --once` queued for these rows (dicts with id,
    title, text, lang, outlet, published) and these teams (teams.yaml entries), and each
    row's stored event verdict (row id → the `event` JSON, None when the stage failed)."""
    return replay_files(feeds(rows), teams, data_dir, work)


def replay_files(
    files: dict[str, tuple[str, bytes]], teams: list[dict], data_dir: Path, work: Path
) -> tuple[list, dict]:
    """As replay, for feed files served as they are (path → (outlet, body)); ids are the
    guids the store keeps."""
    config = work / "config"
    shutil.rmtree(config, ignore_errors=True)
    shutil.copytree(ROOT / "config", config)
    (config / "teams.yaml").write_text(yaml.safe_dump({"teams": teams}), encoding="utf-8")
    db = work / "replay.db"
    db.unlink(missing_ok=True)
    with Server(files) as server:
        sources = [
            {"id": f"feed-{n}", "name": outlet, "kind": "rss", "url": server.url(path), "allow_private": True}
            for n, (path, (outlet, _)) in enumerate(sorted(files.items()))
        ]
        (config / "sources.yaml").write_text(yaml.safe_dump({"sources": sources}), encoding="utf-8")
        env = os.environ | {
            "DATABASE_URL": f"sqlite:///{db}",
            "LOOKOUT_DATA_DIR": str(data_dir),
            "SLACK_BOT_TOKEN": "",
        }
        done = subprocess.run(
            [sys.executable, "-m", "bot", "--config", str(config), "poll", "--once"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            timeout=1800,
        )
        if done.returncode != 0:
            sys.exit(f"poll --once failed ({done.returncode}):\n{done.stderr[-3000:]}")
    with sqlite3.connect(db) as conn:
        posts = conn.execute(
            "SELECT alerts.team, items.guid, alerts.kind FROM alerts JOIN items ON items.id = alerts.item_id"
        ).fetchall()
        verdicts = {
            guid: json.loads(event or "null") for guid, event in conn.execute("SELECT guid, event FROM items")
        }
    return posts, verdicts


def score(rows: list[dict], posts: list[tuple[str, str, str]], covered: dict[str, set[str]], lang: str):
    by_id = {r["id"]: r for r in rows if r["lang"] == lang}
    mine = [(desk, i, kind) for desk, i, kind in posts if i in by_id]
    good = sum(by_id[i]["security"] for _, i, _ in mine)
    cards = [(d, i) for d, i, kind in mine if kind == "parent"]
    reached = {(d, i) for d, i, _ in mine}
    wanted = {
        (desk, r["id"])
        for r in by_id.values()
        if r["security"] and r["country"]
        for desk, countries in covered.items()
        if r["country"] in countries
    }
    return {
        "posts": len(mine),
        "cards": len(cards),
        "security posts": good,
        "precision": good / len(mine) if mine else float("nan"),
        "wanted": len(wanted),
        "reached": len(wanted & reached),
        "recall": len(wanted & reached) / len(wanted) if wanted else float("nan"),
        "missed": sorted(wanted - reached),
        "noise": sorted((d, i) for d, i, _ in mine if not by_id[i]["security"]),
    }


def causes(missed: list[tuple[str, str]], before: set[tuple[str, str]], verdicts: dict) -> dict[str, list]:
    """Why each missed (desk, row) pair did not reach its desk:
    - "event": the event stage said not security news (the watch fired with `topics: all`);
    - "place": the watch never fired (the place or country was not matched), event or not;
    - "both": neither the place matched nor the event stage said security;
    - "routing": the watch fired and the item is security news, yet no post."""
    out: dict[str, list] = {"event": [], "place": [], "both": [], "routing": []}
    for pair in missed:
        verdict = verdicts.get(pair[1]) or {}
        security = bool(verdict.get("security"))
        if pair in before:
            out["routing" if security else "event"].append(pair)
        else:
            out["place" if security else "both"].append(pair)
    return out


def print_errors(
    why: dict[str, list], noise: list, verdicts: dict, titles: dict[str, str], indent: str
) -> None:
    """Each missed (desk, item) pair by cause with the event stage's reason, then each noise post."""
    for cause, pairs in why.items():
        for desk, i in pairs:
            reason = (verdicts.get(i) or {}).get("reason", "")
            print(f"{indent}missed ({cause}) {desk} {titles.get(i, i)} || {reason}")
    for desk, i in noise:
        print(f"{indent}noise {desk} {titles.get(i, i)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, default=Path(os.environ.get("LOOKOUT_DATA_DIR", "data")))
    ap.add_argument("--dev-set", type=Path, default=DEV_SET)
    ap.add_argument(
        "--parts", default="dev,validation,own16c-tune,own16c-report", help="which parts to replay"
    )
    ap.add_argument("--errors", action="store_true", help="list missed pairs and noise posts (after)")
    args = ap.parse_args()
    dev, validation = split(load(args.dev_set))
    # Our rows by round and part, as bench/relevance.py splits them (only 16c's in the default
    # parts): "tune" read while tuning, "report" never tuned on.
    parts = {"dev part": dev, "validation": validation}
    for name, path, field, halves in ROUNDS:
        rows = load(path)
        parts |= {f"own{name}-{half}": [r for r in rows if r[field] == half] for half in halves}
    chosen = [p for p in parts if p.split()[0] in args.parts.split(",")]
    covered = {
        name: countries
        for name, (_, countries) in desks(ROOT / "bot" / "catalogues" / "regions.yaml").items()
    }
    print(f"{len(covered)} desks: {', '.join(REGION_DESKS)} and {', '.join(COUNTRY_DESKS)}\n")
    print(
        "| part | lang | run | posts (cards) | security posts | precision | security pairs | reached "
        "| recall |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="lookout-replay-") as tmp:
        for part in chosen:
            rows = parts[part]
            replays = {
                run: replay(rows, desk_teams(topics), args.data_dir, Path(tmp))
                for run, topics in (("before", "all"), ("after", "security"))
            }
            runs = {run: posts for run, (posts, _) in replays.items()}
            verdicts = replays["after"][1]
            for lang in ("en", "fr"):
                for run, posts in runs.items():
                    s = score(rows, posts, covered, lang)
                    print(
                        f"| {part} | {lang} | {run} | {s['posts']} ({s['cards']}) | {s['security posts']} | "
                        f"{s['precision']:.2f} | {s['wanted']} | {s['reached']} | {s['recall']:.2f} |"
                    )
                    if run == "after":
                        reached_before = {(d, i) for d, i, _ in runs["before"]}
                        why = causes(s["missed"], reached_before, verdicts)
                        print(
                            "    missed pairs by cause: " + ", ".join(f"{k} {len(v)}" for k, v in why.items())
                        )
                    if args.errors and run == "after":
                        titles = {
                            r["id"]: f"{r['id']} {'A ' if r['ambiguous'] else ''}{r['title'][:80]}"
                            for r in rows
                        }
                        print_errors(why, s["noise"], verdicts, titles, "    ")


if __name__ == "__main__":
    main()
