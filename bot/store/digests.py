"""Digest schedules set from Slack (each change also a row of the team's change log)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, update

from bot.store.base import StoreBase
from bot.store.schema import digest_settings
from bot.store.teams import insert_change
from bot.store.values import TeamChange


class Digests(StoreBase):
    def digest_settings(self) -> dict[str, tuple[str, str]]:
        """team → (cron, time zone) set from Slack."""
        with self._tx() as conn:
            rows = conn.execute(select(digest_settings)).mappings().all()
        return {r["team"]: (r["cron"], r["timezone"]) for r in rows}

    def set_digest_setting(
        self, team: str, *, cron: str, timezone: str, by: str | None, now: datetime
    ) -> None:
        values = {"cron": cron, "timezone": timezone, "updated_by": by, "updated_at": now}
        audit = TeamChange(team, "digest", "set", f"{cron} {timezone}", by or "")
        with self._tx() as conn:
            insert_change(conn, audit, now=now)
            done = conn.execute(
                update(digest_settings).where(digest_settings.c.team == team).values(**values)
            )
            if done.rowcount == 0:
                conn.execute(insert(digest_settings).values(team=team, **values))
