"""How long a digest takes: re-matching a window of stored items, grouping, chart, render.

Stores rows of the labelled dev set (`shared/data/dev/dev.jsonl`, repeated as needed) as
one report of its own story, spread over the last 14 days, in a fresh SQLite store; then times each step of a
digest for a team watching several regions and groups. Prints a table.

    PYTHONPATH=. python bench/digest_bench.py [--rows 1000] [--data-dir data]
"""

from __future__ import annotations

import argparse
import io
import json
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Digest, Team, Watch
from bot.deliver import render_digest
from bot.deliver.digest_post import ConsoleDigestSender
from bot.digest import charts, trends
from bot.digest.collect import collect, matched
from bot.digest.compose import send
from bot.match.matcher import Matcher
from bot.models import Item
from bot.services import Services
from bot.settings import Settings
from bot.store import Store, StoryRecord

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "data" / "dev" / "dev.jsonl"
TEAM = Team(
    name="bench",
    channel="#bench",
    mode="digest",
    watch=Watch(
        regions=["Sahel", "Lake Chad Basin", "Somalia", "Afghanistan"], groups=["al-Qaeda", "Islamic State"]
    ),
)


def load(services: Services, rows: list[dict], now: datetime) -> None:
    for i, row in enumerate(rows):
        at = now - timedelta(days=14) * (i / len(rows))
        item = Item(
            source_id="dev",
            guid=row["id"],
            url=f"https://dev.example/{row['id']}",
            title=row["text"][:120],
            summary=row["text"],
            published=at,
        )
        [iid] = services.store.add_items([item], now=at)
        mentions = services.matcher.mentions(item.body)
        story = StoryRecord(
            id=f"s{i}",
            title=item.title,
            first_item_id=iid,
            opened_at=at,
            last_item_at=at,
            mentions=mentions,
        )
        services.store.record_processed(iid, now=at, mentions=mentions, story=story, new_alerts=[])


def timed(label: str, fn, table: list):
    start = time.perf_counter()
    result = fn()
    table.append((label, time.perf_counter() - start))
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--data-dir", type=Path, default=Path("data"))
    args = ap.parse_args()
    dev = [json.loads(line) for line in DEV.read_text().splitlines()]
    # The dev set is small: repeat it (as distinct items) up to --rows.
    rows = [dev[i % len(dev)] | {"id": f"{dev[i % len(dev)]['id']}-{i}"} for i in range(args.rows)]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(lookout_data_dir=args.data_dir)
        matcher = Matcher.load(REPO / "config", args.data_dir)
        from bot.config import load as load_config

        services = Services(
            settings=settings,
            config=load_config(REPO / "config"),
            store=Store.open(f"sqlite:///{tmp}/bench.db"),
            matcher=matcher,
        )
        now = datetime.now(UTC)
        table: list = []
        timed(f"store {len(rows)} items (matcher + insert)", lambda: load(services, rows, now), table)
        day = timed(
            "match one day's items against the watch",
            lambda: matched(services, TEAM, now - timedelta(days=1), now),
            table,
        )
        fortnight = timed(
            "match 14 days' items against the watch",
            lambda: matched(services, TEAM, now - timedelta(days=14), now),
            table,
        )
        content = timed(
            "group by country/admin1, totals",
            lambda: collect(services, TEAM, now - timedelta(days=1), now, day),
            table,
        )
        trend = timed("weekly trend", lambda: trends.weekly(services, TEAM, now, fortnight), table)
        timed(
            "chart (14 days)",
            lambda: charts.stories_chart(services, TEAM, fortnight, days=14, end=now, tz=UTC),
            table,
        )
        timed("render blocks", lambda: render_digest.digest(content, trend, tz=UTC, cron="0 7 * * *"), table)
        sender = ConsoleDigestSender(Path(tmp), io.StringIO())
        timed(
            "whole digest (as the job runs it)",
            lambda: send(
                services,
                sender,
                TEAM,
                since=now - timedelta(days=1),
                until=now,
                digest=Digest(timezone="UTC"),
            ),
            table,
        )
        print(f"{'step':<45} {'seconds':>8}")
        for label, seconds in table:
            print(f"{label:<45} {seconds:>8.2f}")
        print(
            f"\nstories matched: {len(day)} in the last day, {len(fortnight)} in 14 days "
            f"of {len(rows)}; zone {ZoneInfo('UTC')}"
        )
        services.store.close()


if __name__ == "__main__":
    main()
