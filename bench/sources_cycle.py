"""Fetch-cycle benchmark: 1,000 sources served by local servers on 127.0.0.1.

Phases, each timed in the same run:
  bare 200      requests + a thread pool, GET every feed, read the body (no parsing)
  lookout 200   fetch_many: SafeHttp, guard, limits, parsing into Items (20 per feed)
  bare 304      the same conditional GETs, bare
  lookout 304   fetch_many with the stored validators
  pipeline 200  pipeline.poll: claim, fetch, store, match, stories, outbox (real SQLite)
  pipeline 304  pipeline.poll again: every source unchanged

    /work/venv/bin/python bench/sources_cycle.py [--sources 1000] [--items 20] [--no-pipeline]

The feed titles and descriptions are real BBC Africa / AllAfrica entries from the
shared folder (read at run time), so matching sees real text.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.config import SourceConfig  # noqa: E402
from bot.fetch import FetchState, fetch_many  # noqa: E402
from bot.fetch.http import SafeHttp  # noqa: E402

HOSTS = 10  # servers on 127.0.0.1, one port each: ten "hosts" for the per-host limit
WORKERS = 16


def shared_dir() -> Path:
    env = os.environ.get("LOOKOUT_SHARED_DIR")
    return Path(env) if env else REPO.parent / "shared"


def real_entries() -> list[dict]:
    entries = []
    for name in ("bbc-africa.jsonl", "allafrica.jsonl"):
        path = shared_dir() / "data" / "feeds" / name
        entries += [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    return entries


class Feeds:
    """Every source's current feed body and ETag; `version` bumps make all feeds change."""

    def __init__(self, n_sources: int, n_items: int, entries: list[dict], distinct: bool = False):
        self.n_sources, self.n_items, self.entries = n_sources, n_items, entries
        self.distinct = distinct
        self.version = 0
        self.bodies: dict[str, bytes] = {}

    def bump(self) -> None:
        self.version += 1
        self.bodies = {f"/feed/{i}.xml": self._body(i) for i in range(self.n_sources)}

    def _body(self, i: int) -> bytes:
        items = []
        for n in range(self.n_items):
            k = i * self.n_items + n + self.version * 7
            e = self.entries[k % len(self.entries)]
            text = e["description"]
            if self.distinct:  # each outlet's own copy: no two items share a text
                text = f"{text} Outlet {i} contributed reporting (item {n})."
            guid = f"src{i}-v{self.version}-{n}"
            items.append(
                f'<item><guid isPermaLink="false">{guid}</guid>'
                f"<title>{html.escape(e['title'])}</title>"
                f"<link>https://example.org/{guid}</link>"
                f"<description>{html.escape(text)}</description>"
                f"<pubDate>Thu, 13 Feb 2025 04:50:29 GMT</pubDate></item>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>feed {i}</title>{''.join(items)}</channel></rss>"
        ).encode()


def serve(feeds: Feeds) -> list[ThreadingHTTPServer]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            etag = f'"{feeds.version}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = feeds.bodies.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    servers = []
    for _ in range(HOSTS):
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        server.request_queue_size = 256
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    return servers


def source_list(servers: list[ThreadingHTTPServer], n: int) -> list[SourceConfig]:
    return [
        SourceConfig(
            id=f"src{i}",
            kind="rss",
            allow_private=True,
            interval=300,
            url=f"http://127.0.0.1:{servers[i % HOSTS].server_address[1]}/feed/{i}.xml",
        )
        for i in range(n)
    ]


def bare(urls: list[str], etag: str | None) -> float:
    session = requests.Session()
    session.mount("http://", HTTPAdapter(pool_connections=HOSTS, pool_maxsize=WORKERS))
    headers = {"If-None-Match": etag} if etag else {}

    def get(url: str) -> int:
        r = session.get(url, headers=headers, timeout=10)
        return len(r.content)

    started = time.perf_counter()
    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(get, urls))
    return time.perf_counter() - started


def lookout(sources, states, http) -> tuple[float, dict[str, FetchState], int, int]:
    started = time.perf_counter()
    results = list(fetch_many(sources, states, http=http, max_workers=WORKERS))
    elapsed = time.perf_counter() - started
    failed = [r for r in results if not r.ok]
    if failed:
        raise SystemExit(f"{len(failed)} fetches failed, e.g. {failed[0].error}")
    return (
        elapsed,
        {r.source_id: r.state for r in results},
        sum(len(r.items) for r in results),
        sum(r.not_modified for r in results),
    )


def pipeline_phases(sources, feeds: Feeds) -> list[tuple]:
    from bot import pipeline
    from bot.app.build import build_services
    from bot.settings import Settings

    rows = []
    with tempfile.TemporaryDirectory(prefix="lookout-bench-") as tmp:
        cfg = Path(tmp) / "config"
        cfg.mkdir()
        for f in (REPO / "config").glob("*.yaml"):
            (cfg / f.name).write_text(f.read_text())
        (cfg / "sources.yaml").write_text(
            "sources:\n"
            + "".join(
                f"  - {{id: {s.id}, kind: rss, url: '{s.url}', allow_private: true}}\n" for s in sources
            )
        )
        data_dir = Path(os.environ.get("LOOKOUT_DATA_DIR", "/tmp/lookout-bench-data"))
        settings = Settings(lookout_data_dir=data_dir)
        print("building services (gazetteer index on first run)…", file=sys.stderr)
        services = build_services(settings, cfg, db_url=f"sqlite:///{tmp}/bench.db")
        feeds.bump()
        for label in ("pipeline 200", "pipeline 304"):
            print(f"{label}…", file=sys.stderr)
            started = time.perf_counter()
            report = pipeline.poll(services, force=True)
            elapsed = time.perf_counter() - started
            rows.append((label, report.polled, report.new_items, report.not_modified, elapsed))
        services.store.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="Give every outlet its own copy of a story (a line of its own "
        "added), so no item is an exact duplicate: all are matched and "
        "clustered, as when many outlets rewrite the same wire report.",
    )
    parser.add_argument(
        "--no-pipeline", action="store_true", help="Skip the phases that store and match (fetching only)."
    )
    args = parser.parse_args()

    feeds = Feeds(args.sources, args.items, real_entries(), args.distinct)
    feeds.bump()
    servers = serve(feeds)
    sources = source_list(servers, args.sources)
    urls = [s.url for s in sources]
    http = SafeHttp(pool_size=WORKERS)

    bare(urls[:50], None)  # warm both clients' connection pools and imports
    lookout(sources[:50], {}, http)
    rows = []
    t_bare = bare(urls, None)
    t_look, states, n_items, _ = lookout(sources, {}, http)
    rows.append(("bare 200", args.sources, "-", "-", t_bare, None))
    rows.append(("lookout 200", args.sources, n_items, 0, t_look, t_look / t_bare))
    t_bare304 = bare(urls, f'"{feeds.version}"')
    t_look304, _, _, n304 = lookout(sources, states, http)
    rows.append(("bare 304", args.sources, "-", "-", t_bare304, None))
    rows.append(("lookout 304", args.sources, 0, n304, t_look304, t_look304 / t_bare304))
    if not args.no_pipeline:
        for label, polled, new, n304, elapsed in pipeline_phases(sources, feeds):
            base = t_bare if "200" in label else t_bare304
            rows.append((label, polled, new, n304, elapsed, elapsed / base))
    for server in servers:
        server.shutdown()

    targets = {"lookout 304": 10, "pipeline 304": 10, "pipeline 200": 60}
    print(
        f"\n{'phase':<14}{'sources':>8}{'new items':>11}{'304s':>7}{'seconds':>10}{'× bare':>8}{'target':>9}"
    )
    for label, n, items, n304, secs, ratio in rows:
        target = f"≤ {targets[label]} s" if label in targets else ""
        ratio_s = f"{ratio:.1f}" if ratio else ""
        print(f"{label:<14}{n:>8}{items!s:>11}{n304!s:>7}{secs:>10.2f}{ratio_s:>8}{target:>9}")


if __name__ == "__main__":
    main()
