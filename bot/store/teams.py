"""Store methods for what Slack users change: the team change log and handled requests.

A mixin of `Store` (same connection, same `_tx`), kept in its own module so the outbox
and item code stays readable.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, desc, insert, select
from sqlalchemy.exc import IntegrityError

from bot.store.schema import alerts, slack_requests, team_changes

REQUEST_MEMORY = timedelta(days=1)  # Slack retries within minutes; a day is ample


@dataclass(frozen=True)
class TeamChange:
    """One change a Slack user made to a team (also one audit row)."""

    team: str
    action: str  # add | remove | require | mute | unmute
    kind: str  # region | group | keyword | story | require
    value: str
    user_id: str
    created_at: datetime | None = None
    until: datetime | None = None
    id: int | None = None


class TeamRecords:
    """Mixed into Store; relies on its `_tx()`."""

    def _tx(self) -> AbstractContextManager[Connection]:  # provided by Store
        raise AttributeError("TeamRecords is only usable as part of Store")

    def record_team_change(self, change: TeamChange, *, now: datetime) -> int:
        with self._tx() as conn:
            return conn.execute(
                insert(team_changes).values(
                    team=change.team,
                    action=change.action,
                    kind=change.kind,
                    value=change.value,
                    until=change.until,
                    user_id=change.user_id,
                    created_at=now,
                )
            ).inserted_primary_key[0]

    def team_changes(
        self, team: str | None = None, *, newest_first: bool = False, limit: int | None = None
    ) -> list[TeamChange]:
        """The change log, oldest first (to replay) or newest first (to show)."""
        q = select(team_changes)
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
