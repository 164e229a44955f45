"""The operator's view: one status, the same in the terminal (`python -m bot status`) and in
Slack (`/lookout status`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot import __version__
from bot.clock import utcnow
from bot.fetch.redact import redact
from bot.services import Services
from bot.store import Activity, JobRun, QueueStatus, SourceState


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
    event_failures: int = 0  # items the event stage failed on in the last 24 hours
    event_error: str | None = None  # the latest such failure

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
    failures, error = store.event_failures_since(now - timedelta(hours=24))
    return Status(
        now,
        states,
        max((s.last_attempt for s in states if s.last_attempt), default=None),
        store.activity_since(now - timedelta(hours=1)),
        store.queue_status(now),
        lines,
        prune[0] if prune else None,
        failures,
        error,
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
            f"{escape(redact(s.last_error or 'unknown error')[:160])} (last success "
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
    if st.event_failures:
        lines.append(
            f"Event stage: failed on {st.event_failures} items in the last 24 h (stored and routed "
            f"on their watch alone), last: {escape((st.event_error or 'unknown error')[:160])}"
        )
    else:
        lines.append("Event stage: no failures in the last 24 h")
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
