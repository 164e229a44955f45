"""What the chaos run checks at the end: every expected (team, item) posted exactly once.

Expected comes from the matcher run here on the published text (which teams' watches fire);
posted comes from the fake Slack's messages, whose metadata names the alert id.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, select

from bot.app.build import load_config, load_matcher
from bot.models import Item
from bot.settings import Settings
from bot.store.schema import alerts, items


@dataclass
class Result:
    published: int
    items_lost: int  # published but never stored and processed
    expected: int
    queued: int
    posted: int
    duplicates: int
    lost: int
    extra: int  # thread replies to teams following a story the item joined
    failed: int
    pending: int  # queued, not posted when the time was up (late, not dropped)
    p50: float | None
    p95: float | None


def expected_pairs(items_by_guid: dict[str, dict], config: Path, data_dir: Path) -> set[tuple[str, str]]:
    settings = Settings(lookout_data_dir=data_dir)
    matcher = load_matcher(settings, config)
    teams = load_config(settings, config, matcher).teams
    pairs = set()
    for guid, it in items_by_guid.items():
        body = Item(
            source_id="", guid=guid, url=it["link"], title=it["title"], summary=it["description"]
        ).body
        mentions = matcher.mentions(body)
        pairs |= {(t.name, guid) for t in teams if matcher.match(t, mentions, body)}
    return pairs


def outbox(engine: Engine) -> dict[int, tuple[str, str, str, str, str, str | None]]:
    """alert id → (team, item guid, kind, story, status, Slack ts)."""
    q = select(
        alerts.c.id,
        alerts.c.team,
        items.c.guid,
        alerts.c.kind,
        alerts.c.story_id,
        alerts.c.status,
        alerts.c.slack_ts,
    ).join(items, items.c.id == alerts.c.item_id)
    with engine.connect() as conn:
        return {r[0]: tuple(r[1:]) for r in conn.execute(q)}


def progress(engine: Engine) -> tuple[int, int]:
    """(items processed, alerts still pending): the run settles when both stop moving."""
    with engine.connect() as conn:
        done = conn.execute(select(func.count()).where(items.c.processed_at.is_not(None))).scalar()
        pending = conn.execute(select(func.count()).where(alerts.c.status == "pending")).scalar()
    return done, pending


def measure(
    engine: Engine, messages: list[dict], published: dict[str, float], expected: set[tuple[str, str]]
) -> Result:
    rows = outbox(engine)
    with engine.connect() as conn:
        processed = set(conn.execute(select(items.c.guid).where(items.c.processed_at.is_not(None))).scalars())
    ours = [m for m in messages if (m.get("metadata") or {}).get("event_type") == "lookout_alert"]
    per_pair: Counter = Counter()
    cards: Counter = Counter()
    first_post: dict[tuple[str, str], float] = {}
    for m in ours:
        team, guid, kind, story, *_ = rows[m["metadata"]["event_payload"]["alert_id"]]
        per_pair[(team, guid)] += 1
        cards[(team, story)] += kind == "parent"
        first_post[(team, guid)] = min(float(m["ts"]), first_post.get((team, guid), float("inf")))
    # Wire copies join the thread's "Also reported by" reply (docs/slack.md): shown in the
    # message posted for an earlier alert, whose ts they share; no post of their own (and no
    # delay measured for them).
    first_at: dict[str, int] = {}
    for alert_id in sorted(rows):
        team, guid, kind, _, status, ts = rows[alert_id]
        if kind == "reply" and status == "sent" and ts and first_at.setdefault(ts, alert_id) != alert_id:
            per_pair[(team, guid)] += 1
    delays = sorted(first_post[p] - published[p[1]] for p in expected if p in first_post)
    return Result(
        published=len(published),
        items_lost=len(set(published) - processed),
        expected=len(expected),
        queued=len(rows),
        posted=len(ours),
        duplicates=sum(n - 1 for n in per_pair.values()) + sum(max(0, n - 1) for n in cards.values()),
        lost=len(expected - set(per_pair)),
        extra=len(set(per_pair) - expected),
        failed=sum(r[4] == "failed" for r in rows.values()),
        pending=sum(r[4] == "pending" for r in rows.values()),
        p50=statistics.median(delays) if delays else None,
        p95=delays[int(0.95 * (len(delays) - 1))] if delays else None,
    )
