"""The operator's view: one status (CLI and Slack say the same), and Prometheus metrics.

Counters live in this process's registry (the worker increments them from its jobs);
gauges about the shared state (outbox depth, failing sources) are read from the store at
scrape time, so any replica's `/metrics` tells the truth about the whole deployment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from bot import __version__
from bot.clock import utcnow
from bot.pipeline import CycleReport
from bot.services import Services
from bot.store import Activity, JobRun, QueueStatus, SourceState

REGISTRY = CollectorRegistry(auto_describe=True)
POLL_SECONDS = Histogram(
    "lookout_poll_seconds",
    "Time to poll one source and process what it brought",
    ["source"],
    registry=REGISTRY,
    buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
ITEMS = Counter("lookout_items_total", "New items stored", ["source"], registry=REGISTRY)
DUPLICATES = Counter(
    "lookout_duplicates_total", "Items found to repeat an earlier article", registry=REGISTRY
)
MATCHES = Counter(
    "lookout_matches_total", "Alerts queued (a team's watch matched a story)", registry=REGISTRY
)
POSTS = Counter("lookout_posts_total", "Slack deliveries by outcome", ["outcome"], registry=REGISTRY)
DIGESTS = Counter("lookout_digests_total", "Digests posted", registry=REGISTRY)
ERRORS = Counter("lookout_errors_total", "Errors by kind", ["kind"], registry=REGISTRY)
ERROR_KINDS = ("fetch", "process", "post", "digest", "prune")


def record_poll(source_id: str, seconds: float, report: CycleReport) -> None:
    POLL_SECONDS.labels(source_id).observe(seconds)
    ITEMS.labels(source_id).inc(report.new_items)
    DUPLICATES.inc(report.duplicates)
    MATCHES.inc(report.alerts)
    for key in report.errors:
        ERRORS.labels("process" if key.startswith("item ") else "fetch").inc()


def record_delivery(report) -> None:
    """A DeliveryReport: what one pass of the delivery worker did."""
    for outcome in ("sent", "recovered", "retried", "failed", "updated"):
        POSTS.labels(outcome).inc(getattr(report, outcome))
    ERRORS.labels("post").inc(report.failed + report.retried)


def record_job(kind: str, ok: bool) -> None:
    if not ok:
        ERRORS.labels(kind).inc()
    elif kind == "digest":
        DIGESTS.inc()


class StoreCollector(Collector):
    """Gauges read from the shared store when scraped."""

    def __init__(self, services: Services):
        self.services = services

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = utcnow()
        q = self.services.store.queue_status(now)
        states = self.services.store.source_states()
        yield _gauge("lookout_outbox_pending", "Alerts waiting to be posted", q.pending)
        yield _gauge("lookout_outbox_failed", "Alerts that failed for good", q.failed)
        age = (now - q.oldest_pending).total_seconds() if q.oldest_pending else 0.0
        yield _gauge("lookout_outbox_oldest_pending_seconds", "Age of the oldest waiting alert", age)
        yield _gauge(
            "lookout_sources_failing", "Sources marked unhealthy", sum(not s.healthy for s in states)
        )
        yield _gauge("lookout_leases_held", "Outbox rows leased by a worker", sum(n for _, n in q.leases))


def _gauge(name: str, doc: str, value: float) -> GaugeMetricFamily:
    g = GaugeMetricFamily(name, doc)
    g.add_metric([], value)
    return g


def metrics_text(services: Services) -> bytes:
    """The Prometheus text exposition: this process's counters, then the store's gauges."""
    for kind in ERROR_KINDS:  # every kind appears from the start, at 0, for rate() queries
        ERRORS.labels(kind)
    shared = CollectorRegistry(auto_describe=False)
    shared.register(StoreCollector(services))
    return generate_latest(REGISTRY) + generate_latest(shared)


# ---- status ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestLine:
    team: str
    schedule: str  # "0 7 * * * Africa/Bamako"
    next_run: datetime | None
    last: JobRun | None


@dataclass(frozen=True)
class Status:
    now: datetime
    sources: list[SourceState]
    last_cycle: datetime | None
    hour: Activity
    queue: QueueStatus
    digests: list[DigestLine]
    prune: JobRun | None

    @property
    def failing(self) -> list[SourceState]:
        return [s for s in self.sources if not s.healthy]

    @property
    def undelivered(self) -> int:
        return self.queue.pending + self.queue.failed


def status(services: Services, now: datetime | None = None) -> Status:
    from bot.digest.schedule import job_name, schedules, trigger_for
    from bot.ops import retention

    now = now or utcnow()
    store = services.store
    states = store.source_states()
    lines = []
    for team, d in sorted(schedules(services).items()):
        trigger = trigger_for(d)
        last = store.job_runs(job_name(team), limit=1)
        nxt = trigger.get_next_fire_time(None, now)
        lines.append(
            DigestLine(
                team,
                f"{d.cron} {d.timezone}",
                nxt.astimezone(UTC) if nxt else None,
                last[0] if last else None,
            )
        )
    prune = store.job_runs(retention.JOB, limit=1)
    return Status(
        now,
        states,
        max((s.last_attempt for s in states if s.last_attempt), default=None),
        store.activity_since(now - timedelta(hours=1)),
        store.queue_status(now),
        lines,
        prune[0] if prune else None,
    )


def status_text(st: Status, *, escape: Callable[[str], str] = str) -> str:
    """Plain lines for a terminal; pass `escape=mrkdwn` for Slack (errors come from outside)."""
    ok = len(st.sources) - len(st.failing)
    lines = [
        f"Lookout {__version__} — status at {_t(st.now)}",
        f"Sources: {ok} healthy, {len(st.failing)} failing",
    ]
    for s in st.failing:
        lines.append(
            f"  ✗ {escape(s.id)}: {s.consecutive_failures} failures in a row, last: "
            f"{escape((s.last_error or 'unknown error')[:160])} (last success "
            f"{_t(s.last_success) if s.last_success else 'never'})"
        )
    lines.append(f"Last poll cycle: {_ago(st.last_cycle, st.now)}")
    h = st.hour
    lines.append(
        f"Last hour: {h.fetched} items/hour fetched, {h.processed} processed, "
        f"{h.queued} alerts/hour queued, {h.sent} posted"
    )
    q = st.queue
    oldest = f", oldest waiting since {_ago(q.oldest_pending, st.now)}" if q.oldest_pending else ""
    lines.append(
        f"Outbox: {st.undelivered} undelivered ({q.pending} waiting{oldest}; "
        f"{q.failed} failed for good), {q.sent} sent in all"
    )
    leases = ", ".join(f"{escape(owner or '?')} holds {n}" for owner, n in q.leases)
    lines.append(f"Leases held: {leases or 'none'}")
    for d in st.digests:
        lines.append(
            f"Digest {escape(d.team)} ({escape(d.schedule)}): next {_t(d.next_run)}, "
            f"last {escape(_run(d.last, st.now))}"
        )
    lines.append(f"Prune: last {escape(_run(st.prune, st.now))}")
    return "\n".join(lines)


def _run(run: JobRun | None, now: datetime) -> str:
    if run is None:
        return "never"
    detail = run.detail or {}
    if run.status == "failed":
        return f"FAILED {_ago(run.started_at, now)}: {detail.get('error', '')[:120]}"
    what = (
        f"{detail['stories']} stories"
        if "stories" in detail
        else ", ".join(f"{v} {k}" for k, v in detail.get("removed", {}).items()) or run.status
    )
    return f"{_ago(run.started_at, now)} ({what})"


def _t(d: datetime | None) -> str:
    return d.strftime("%Y-%m-%d %H:%M UTC") if d else "never"


def _ago(d: datetime | None, now: datetime) -> str:
    if d is None:
        return "never"
    minutes = int((now - d).total_seconds() // 60)
    span = f"{minutes} min" if minutes < 120 else f"{minutes // 60} h"
    return f"{_t(d)} ({span} ago)"
