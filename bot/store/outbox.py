"""The outbox: alerts queued, leased, posted once, retried, and the operator's counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, desc, func, or_, select, update

from bot.store.base import StoreBase
from bot.store.convert import details_from_json
from bot.store.schema import alerts, items
from bot.store.values import Activity, OutboxAlert, QueueStatus


class Outbox(StoreBase):
    def claim_alerts(
        self, *, owner: str, now: datetime, lease: timedelta, limit: int = 20
    ) -> list[OutboxAlert]:
        """Lease due alerts. Replies wait until their team's parent has a ts.

        FOR UPDATE SKIP LOCKED lets replicas on PostgreSQL claim disjoint rows; the
        lease expiry hands a dead worker's rows to the next claimant.
        """
        parent = alerts.alias("parent")
        parent_sent = (
            select(parent.c.id)
            .where(
                parent.c.team == alerts.c.team,
                parent.c.story_id == alerts.c.story_id,
                parent.c.kind == "parent",
                parent.c.slack_ts.is_not(None),
            )
            .exists()
        )
        due = and_(
            alerts.c.status == "pending",
            alerts.c.next_attempt_at <= now,
            or_(alerts.c.lease_until.is_(None), alerts.c.lease_until < now),
            or_(alerts.c.kind == "parent", parent_sent),
        )
        with self._tx() as conn:
            ids = list(
                conn.execute(
                    select(alerts.c.id)
                    .where(due)
                    .order_by(alerts.c.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                ).scalars()
            )
            if not ids:
                return []
            conn.execute(
                update(alerts)
                .where(alerts.c.id.in_(ids))
                .values(lease_owner=owner, lease_until=now + lease, attempts=alerts.c.attempts + 1)
            )
        return [a for a in (self.alert(i) for i in ids) if a]

    def alert(self, alert_id: int) -> OutboxAlert | None:
        parent = alerts.alias("parent")
        thread = (
            select(parent.c.slack_ts)
            .where(
                parent.c.team == alerts.c.team,
                parent.c.story_id == alerts.c.story_id,
                parent.c.kind == "parent",
            )
            .scalar_subquery()
        )
        with self._tx() as conn:
            r = (
                conn.execute(select(alerts, thread.label("parent_ts")).where(alerts.c.id == alert_id))
                .mappings()
                .first()
            )
        if r is None:
            return None
        return OutboxAlert(
            id=r["id"],
            team=r["team"],
            channel=r["channel"],
            story_id=r["story_id"],
            item_id=r["item_id"],
            kind=r["kind"],
            reasons=tuple(r["reasons"] or ()),
            broadcast=r["broadcast"],
            attempts=r["attempts"],
            details=details_from_json(r["details"]),
            thread_ts=r["parent_ts"] if r["kind"] == "reply" else None,
            status=r["status"],
            slack_ts=r["slack_ts"],
            error=r["error"],
            created_at=r["created_at"],
        )

    def mark_sent(
        self,
        alert_id: int,
        *,
        ts: str,
        now: datetime,
        owner: str,
        channel_id: str | None = None,
        also_update: int | None = None,
    ) -> None:
        """Record the Slack ts (and channel id); a reply also marks its parent as owing an update.
        `also_update`: the alert whose message now shows this one too (a wire copy joined its
        thread's "Also reported by" reply), flagged in the same transaction."""
        with self._tx() as conn:
            row = conn.execute(
                update(alerts)
                .where(alerts.c.id == alert_id, alerts.c.status == "pending")
                .values(
                    status="sent",
                    slack_ts=ts,
                    sent_at=now,
                    error=None,
                    lease_owner=None,
                    lease_until=None,
                    slack_channel=channel_id,
                )
                .returning(alerts.c.kind, alerts.c.team, alerts.c.story_id)
            ).first()
            if row and row.kind == "reply":
                conn.execute(
                    update(alerts)
                    .where(
                        alerts.c.team == row.team,
                        alerts.c.story_id == row.story_id,
                        alerts.c.kind == "parent",
                    )
                    .values(needs_update=True)
                )
            if row and also_update is not None:
                conn.execute(update(alerts).where(alerts.c.id == also_update).values(needs_update=True))

    def thread_tail(self, team: str, story_id: str) -> OutboxAlert | None:
        """The team's latest sent reply in the story's thread."""
        with self._tx() as conn:
            found = conn.execute(
                select(alerts.c.id)
                .where(
                    alerts.c.team == team,
                    alerts.c.story_id == story_id,
                    alerts.c.kind == "reply",
                    alerts.c.status == "sent",
                )
                .order_by(alerts.c.sent_at.desc(), alerts.c.id.desc())
                .limit(1)
            ).scalar()
        return self.alert(found) if found is not None else None

    def replies_in_message(self, team: str, story_id: str, ts: str) -> list[OutboxAlert]:
        """The team's replies one Slack message shows (wire copies share one), oldest first."""
        with self._tx() as conn:
            ids = list(
                conn.execute(
                    select(alerts.c.id)
                    .where(
                        alerts.c.team == team,
                        alerts.c.story_id == story_id,
                        alerts.c.kind == "reply",
                        alerts.c.slack_ts == ts,
                    )
                    .order_by(alerts.c.id)
                ).scalars()
            )
        return [a for a in (self.alert(i) for i in ids) if a]

    def mark_retry(self, alert_id: int, *, error: str, at: datetime) -> None:
        with self._tx() as conn:
            conn.execute(
                update(alerts)
                .where(alerts.c.id == alert_id)
                .values(error=error, next_attempt_at=at, lease_owner=None, lease_until=None)
            )

    def mark_failed(self, alert_id: int, *, error: str) -> None:
        with self._tx() as conn:
            conn.execute(
                update(alerts)
                .where(alerts.c.id == alert_id)
                .values(status="failed", error=error, lease_owner=None, lease_until=None)
            )

    def renew_alert_lease(self, alert_id: int, *, owner: str, now: datetime, lease: timedelta) -> bool:
        """Extend our lease just before posting; False when it expired and another worker
        took the row over (then we must not post: that worker may be posting it now)."""
        with self._tx() as conn:
            done = conn.execute(
                update(alerts)
                .where(
                    alerts.c.id == alert_id,
                    alerts.c.status == "pending",
                    alerts.c.lease_owner == owner,
                    alerts.c.lease_until >= now,
                )
                .values(lease_until=now + lease)
            )
        return done.rowcount == 1

    def release_alerts(self, ids: Sequence[int], *, owner: str) -> None:
        """Hand back claimed rows we will not post (shutting down), for another replica now.

        The claim's attempt is taken back too: we never tried, so the next claimant has no
        earlier post to look for in Slack.
        """
        if ids:
            with self._tx() as conn:
                conn.execute(
                    update(alerts)
                    .where(
                        alerts.c.id.in_(list(ids)),
                        alerts.c.lease_owner == owner,
                        alerts.c.status == "pending",
                    )
                    .values(lease_owner=None, lease_until=None, attempts=alerts.c.attempts - 1)
                )

    def messages_needing_update(self, limit: int = 20) -> list[OutboxAlert]:
        """Posted cards to re-render (source count, toll), and "Also reported by" replies that
        wire copies joined."""
        with self._tx() as conn:
            ids = list(
                conn.execute(
                    select(alerts.c.id)
                    .where(alerts.c.status == "sent", alerts.c.needs_update.is_(True))
                    .order_by(alerts.c.id)
                    .limit(limit)
                ).scalars()
            )
        return [a for a in (self.alert(i) for i in ids) if a]

    def mark_updated(self, alert_id: int) -> None:
        self._set_needs_update(alert_id, False)

    def flag_update(self, alert_id: int) -> None:
        self._set_needs_update(alert_id, True)

    def _set_needs_update(self, alert_id: int, value: bool) -> None:
        with self._tx() as conn:
            conn.execute(update(alerts).where(alerts.c.id == alert_id).values(needs_update=value))

    def sent_alerts(self, story_id: str | None = None) -> list[OutboxAlert]:
        q = select(alerts.c.id).where(alerts.c.status == "sent")
        if story_id:
            q = q.where(alerts.c.story_id == story_id)
        with self._tx() as conn:
            ids = list(conn.execute(q.order_by(alerts.c.id)).scalars())
        return [a for a in (self.alert(i) for i in ids) if a]

    def queue_status(self, now: datetime) -> QueueStatus:
        with self._tx() as conn:
            counts = dict(conn.execute(select(alerts.c.status, func.count()).group_by(alerts.c.status)).all())
            oldest = conn.execute(
                select(func.min(alerts.c.created_at)).where(alerts.c.status == "pending")
            ).scalar()
            leases = [
                tuple(r)
                for r in conn.execute(
                    select(alerts.c.lease_owner, func.count())
                    .where(alerts.c.lease_until > now)
                    .group_by(alerts.c.lease_owner)
                ).all()
            ]
        if oldest is not None and oldest.tzinfo is None:  # aggregates bypass the column type
            from datetime import UTC

            oldest = oldest.replace(tzinfo=UTC)
        return QueueStatus(
            counts.get("pending", 0), counts.get("failed", 0), counts.get("sent", 0), oldest, leases
        )

    def activity_since(self, since: datetime) -> Activity:
        """Items fetched, items processed and alerts sent since `since` (the operator's rates)."""
        with self._tx() as conn:
            fetched = conn.execute(select(func.count()).where(items.c.fetched_at >= since)).scalar()
            processed = conn.execute(select(func.count()).where(items.c.processed_at >= since)).scalar()
            sent = conn.execute(select(func.count()).where(alerts.c.sent_at >= since)).scalar()
            queued = conn.execute(select(func.count()).where(alerts.c.created_at >= since)).scalar()
        return Activity(fetched or 0, processed or 0, queued or 0, sent or 0)

    def parent_at(self, channel_id: str, ts: str) -> OutboxAlert | None:
        """The story card posted at (channel id, ts), if that message is one."""
        # Rows sent before channel ids were kept match when teams.yaml names the channel by id.
        same_channel = or_(
            alerts.c.slack_channel == channel_id,
            and_(alerts.c.slack_channel.is_(None), alerts.c.channel == channel_id),
        )
        with self._tx() as conn:
            found = conn.execute(
                select(alerts.c.id).where(alerts.c.kind == "parent", alerts.c.slack_ts == ts, same_channel)
            ).scalar()
        return self.alert(found) if found is not None else None

    def recent_cards(self, team: str, *, limit: int = 5) -> list[str]:
        """Story ids of the team's latest posted cards, newest first (App Home)."""
        with self._tx() as conn:
            return list(
                conn.execute(
                    select(alerts.c.story_id)
                    .where(alerts.c.team == team, alerts.c.kind == "parent", alerts.c.status == "sent")
                    .order_by(desc(alerts.c.id))
                    .limit(limit)
                ).scalars()
            )
