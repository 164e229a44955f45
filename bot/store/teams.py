"""What Slack users change: the team change log (also the audit trail), mutes, feedback,
and the Slack requests already handled."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, delete, desc, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from bot.store.base import StoreBase
from bot.store.schema import alerts, feedback, mutes, slack_requests, team_changes
from bot.store.values import Feedback, Mute, TeamChange

REQUEST_MEMORY = timedelta(days=1)  # Slack retries within minutes; a day is ample

MUTE_KINDS = ("story", "group", "region", "keyword")


def insert_change(conn: Connection, change: TeamChange, *, now: datetime) -> int:
    """One row of the change log, inside the caller's transaction (a change and its audit row
    are written together or not at all)."""
    return conn.execute(
        insert(team_changes).values(
            team=change.team,
            action=change.action,
            kind=change.kind,
            value=change.value,
            until=change.until,
            user_id=change.user_id,
            created_at=now,
            scope=change.scope,
        )
    ).inserted_primary_key[0]


class Teams(StoreBase):
    def record_team_change(self, change: TeamChange, *, now: datetime) -> int:
        with self._tx() as conn:
            return insert_change(conn, change, now=now)

    def team_changes(
        self,
        team: str | None = None,
        *,
        scope: str = "team",
        newest_first: bool = False,
        limit: int | None = None,
    ) -> list[TeamChange]:
        """The change log of teams (or of sources), oldest first (to replay) or newest first
        (to show)."""
        q = select(team_changes).where(team_changes.c.scope == scope)
        if team is not None:
            q = q.where(team_changes.c.team == team)
        q = q.order_by(desc(team_changes.c.id) if newest_first else team_changes.c.id)
        if limit:
            q = q.limit(limit)
        with self._tx() as conn:
            rows = conn.execute(q).mappings().all()
        return [
            TeamChange(
                r["team"],
                r["action"],
                r["kind"],
                r["value"],
                r["user_id"],
                r["created_at"],
                r["until"],
                r["id"],
                r["scope"],
            )
            for r in rows
        ]

    def add_mute(self, mute: Mute, *, now: datetime) -> None:
        """Mute (or re-mute with a new expiry) one thing for one team."""
        if mute.kind not in MUTE_KINDS:
            raise ValueError(f"mute kind must be one of {', '.join(MUTE_KINDS)}, not {mute.kind!r}")
        values = {
            "until": mute.until,
            "created_by": mute.created_by,
            "created_at": now,
            "reason": mute.reason,
        }
        key = and_(mutes.c.team == mute.team, mutes.c.kind == mute.kind, mutes.c.value == mute.value)
        with self._tx() as conn:
            if conn.execute(update(mutes).where(key).values(**values)).rowcount == 0:
                conn.execute(insert(mutes).values(team=mute.team, kind=mute.kind, value=mute.value, **values))
            if mute.kind == "story":
                # Replies queued before the mute are withdrawn with it: muted means no more posts.
                # (A post in flight loses its lease renewal, which needs a pending row.)
                conn.execute(
                    update(alerts)
                    .where(
                        alerts.c.team == mute.team,
                        alerts.c.story_id == mute.value,
                        alerts.c.kind == "reply",
                        alerts.c.status == "pending",
                    )
                    .values(status="muted", lease_owner=None, lease_until=None)
                )

    def remove_mute(self, team: str, kind: str, value: str) -> bool:
        with self._tx() as conn:
            gone = conn.execute(
                mutes.delete().where(mutes.c.team == team, mutes.c.kind == kind, mutes.c.value == value)
            )
        return gone.rowcount > 0

    def active_mutes(self, team: str | None, *, now: datetime) -> list[Mute]:
        """Mutes in force (expired ones are ignored), for one team or all."""
        q = select(mutes).where(or_(mutes.c.until.is_(None), mutes.c.until > now))
        if team is not None:
            q = q.where(mutes.c.team == team)
        with self._tx() as conn:
            rows = conn.execute(q.order_by(mutes.c.team, mutes.c.kind, mutes.c.value)).mappings().all()
        return [
            Mute(r["team"], r["kind"], r["value"], r["until"], r["created_by"], r["reason"]) for r in rows
        ]

    def add_feedback(self, fb: Feedback, *, now: datetime) -> bool:
        """Record feedback once per (team, story, kind, user); False when it was already there."""
        try:
            with self._tx() as conn:
                conn.execute(
                    insert(feedback).values(
                        team=fb.team,
                        story_id=fb.story_id,
                        kind=fb.kind,
                        user_id=fb.user_id,
                        reasons=list(fb.reasons),
                        created_at=now,
                    )
                )
        except IntegrityError:
            return False
        return True

    def feedback_for(self, story_id: str | None = None) -> list[Feedback]:
        q = select(feedback).order_by(feedback.c.id)
        if story_id is not None:
            q = q.where(feedback.c.story_id == story_id)
        with self._tx() as conn:
            rows = conn.execute(q).mappings().all()
        return [
            Feedback(
                r["team"], r["story_id"], r["kind"], r["user_id"], tuple(r["reasons"] or ()), r["created_at"]
            )
            for r in rows
        ]

    def claim_request(self, key: str, *, now: datetime) -> bool:
        """True the first time a Slack request key is seen; False for a retry of it.

        The primary key makes this hold across web replicas sharing one database.
        """
        try:
            with self._tx() as conn:
                conn.execute(
                    delete(slack_requests).where(slack_requests.c.received_at < now - REQUEST_MEMORY)
                )
                conn.execute(insert(slack_requests).values(key=key[:200], received_at=now))
        except IntegrityError:
            return False
        return True
