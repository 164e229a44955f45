"""Scheduled jobs run once per slot across replicas, and retention."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from bot.store.base import StoreBase
from bot.store.schema import alerts, items, job_runs, stories
from bot.store.values import JobRun


class Jobs(StoreBase):
    def claim_job(self, job: str, slot: str, *, owner: str, now: datetime) -> bool:
        """True for the one caller that records (job, slot) first; the unique key decides."""
        try:
            with self._tx() as conn:
                conn.execute(
                    insert(job_runs).values(job=job, slot=slot, owner=owner, started_at=now, status="running")
                )
        except IntegrityError:
            return False
        return True

    def finish_job(
        self, job: str, slot: str, *, status: str, now: datetime, detail: dict | None = None
    ) -> None:
        with self._tx() as conn:
            conn.execute(
                update(job_runs)
                .where(job_runs.c.job == job, job_runs.c.slot == slot)
                .values(status=status, finished_at=now, detail=detail)
            )

    def job_runs(self, job: str | None = None, *, status: str | None = None, limit: int = 20) -> list[JobRun]:
        """Latest runs first, optionally of one job and one status."""
        q = select(job_runs)
        if job is not None:
            q = q.where(job_runs.c.job == job)
        if status is not None:
            q = q.where(job_runs.c.status == status)
        with self._tx() as conn:
            rows = (
                conn.execute(q.order_by(job_runs.c.started_at.desc(), job_runs.c.id.desc()).limit(limit))
                .mappings()
                .all()
            )
        return [JobRun(**{k: r[k] for k in JobRun.__dataclass_fields__}) for r in rows]

    def prune(self, before: datetime, *, dry_run: bool = False) -> dict[str, int]:
        """Delete stories, items and alerts older than `before`, keeping open threads.

        A story is kept while it is open (not closed by the clusterer), its thread saw an
        alert after `before`, or it still has an alert waiting; its items and alerts stay
        with it. Items not yet processed are never pruned (nothing seen is lost).
        """
        with self._tx() as conn:
            recent_alert = select(alerts.c.story_id).where(
                or_(alerts.c.created_at >= before, alerts.c.status == "pending")
            )
            old_stories = select(stories.c.id).where(
                stories.c.last_item_at < before, stories.c.closed.is_(True), stories.c.id.not_in(recent_alert)
            )
            live = select(stories.c.id).where(stories.c.id.not_in(old_stories))
            old_items = select(items.c.id).where(
                items.c.fetched_at < before,
                items.c.processed_at.is_not(None),
                or_(items.c.story_id.is_(None), items.c.story_id.not_in(live)),
            )
            counts = {
                "stories": conn.execute(select(func.count()).select_from(old_stories.subquery())).scalar(),
                "items": conn.execute(select(func.count()).select_from(old_items.subquery())).scalar(),
                "alerts": conn.execute(
                    select(func.count()).where(
                        or_(alerts.c.item_id.in_(old_items), alerts.c.story_id.in_(old_stories))
                    )
                ).scalar(),
                "job_runs": conn.execute(select(func.count()).where(job_runs.c.started_at < before)).scalar(),
            }
            if not dry_run:
                # Order matters: alerts reference items; stories are chosen before items go.
                old_story_ids = list(conn.execute(old_stories).scalars())
                old_item_ids = list(conn.execute(old_items).scalars())
                for start in range(0, max(len(old_item_ids), len(old_story_ids)), 500):
                    item_ids = old_item_ids[start : start + 500]
                    story_ids = old_story_ids[start : start + 500]
                    conn.execute(
                        alerts.delete().where(
                            or_(alerts.c.item_id.in_(item_ids), alerts.c.story_id.in_(story_ids))
                        )
                    )
                    conn.execute(items.delete().where(items.c.id.in_(item_ids)))
                    conn.execute(stories.delete().where(stories.c.id.in_(story_ids)))
                conn.execute(job_runs.delete().where(job_runs.c.started_at < before))
        return {k: int(v or 0) for k, v in counts.items()}
