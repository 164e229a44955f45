"""`python -m bot demo`: the bundled sample feeds, served on 127.0.0.1, through the real pipeline."""

from __future__ import annotations

import functools
import tempfile
import threading
from collections import Counter
from dataclasses import replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click

from bot import pipeline
from bot.app.build import build_delivery, build_poster, build_services
from bot.config import SourceConfig
from bot.errors import ConfigError
from bot.settings import Settings

FEEDS = Path(__file__).resolve().parents[2] / "examples" / "feeds"
KINDS = {".xml": "rss", ".atom": "atom", ".rdf": "rdf", ".json": "jsonfeed"}


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class FeedServer:
    """Serves a folder of feed files on 127.0.0.1 (port chosen by the OS)."""

    def __init__(self, folder: Path):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def demo_sources(folder: Path, base_url: str) -> list[SourceConfig]:
    files = sorted(p for p in folder.iterdir() if p.suffix in KINDS)
    if not files:
        raise ConfigError([f"{folder}: no feed files (*.xml, *.atom, *.rdf, *.json) to serve"])
    return [
        SourceConfig(
            id=f"demo-{p.stem}",
            kind=KINDS[p.suffix],
            url=f"{base_url}/{p.name}",
            interval=300,
            allow_private=True,
            name=f"{p.stem} (demo)",
        )
        for p in files
    ]


def run_demo(settings: Settings, config_dir: Path, *, db_url: str | None, feeds: Path = FEEDS) -> Counter:
    """One real cycle over the sample feeds; returns alerts posted per team."""
    with tempfile.TemporaryDirectory(prefix="lookout-demo-") as tmp, FeedServer(feeds) as server:
        services = build_services(settings, config_dir, db_url=db_url or f"sqlite:///{Path(tmp) / 'demo.db'}")
        sources = demo_sources(feeds, server.base_url)
        services.config = replace(services.config, sources=tuple(sources))
        where = "Slack" if settings.slack_bot_token else "the console"
        click.echo(
            f"Serving {len(sources)} sample feeds at {server.base_url}; alerts go to {where}.\n", err=True
        )
        report = pipeline.poll(services, force=True)
        delivery = build_delivery(services, build_poster(settings))
        delivered = delivery.drain()
        per_team = Counter(a.team for a in services.store.sent_alerts())
        services.store.close()
    click.echo(
        f"Demo: {report.new_items} items read from {report.polled} feeds, "
        f"{delivered.sent} alerts posted"
        + "".join(f"\n  {team}: {n}" for team, n in sorted(per_team.items())),
        err=True,
    )
    for source_id, error in report.errors.items():
        click.echo(f"  {source_id} failed: {error}", err=True)
    return per_team
