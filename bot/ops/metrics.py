"""Prometheus metrics. Counters live in this process's registry (the worker increments them
from its jobs); gauges about the shared state (outbox depth, failing sources) are read from
the store at scrape time, so any replica's `/metrics` tells the truth about the whole
deployment."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.clock import utcnow
from bot.pipeline import CycleReport
from bot.services import Services

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
ERROR_KINDS = ("fetch", "process", "post", "digest", "digest_chart", "prune")


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


def record_job(kind: str, ok: bool, detail: dict | None = None) -> None:
    if not ok:
        ERRORS.labels(kind).inc()
    elif kind == "digest":
        DIGESTS.inc()
        if (detail or {}).get("chart_error"):  # the digest went out without its chart
            ERRORS.labels("digest_chart").inc()


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
