"""Digests run once across replicas: on their schedule, or now when a team asks."""

from __future__ import annotations

from datetime import datetime

from bot import clock
from bot.config import Digest, Team
from bot.digest import compose
from bot.digest.compose import DigestSender
from bot.digest.schedule import job_name, schedule_for, trigger_for, window
from bot.ops.jobs import JobOutcome, run_for_trigger, run_once
from bot.services import Services


def run_scheduled(services: Services, sender: DigestSender, team_name: str) -> JobOutcome:
    """The cron job: once per scheduled time across replicas."""
    team = next((t for t in services.teams() if t.name == team_name), None)
    digest = schedule_for(services, team) if team else None
    if team is None or digest is None:
        return JobOutcome(ran=False)

    def run(fired: datetime) -> dict:
        since, until = window(services, team.name, fired, digest)
        return compose.send(services, sender, team, since=since, until=until, digest=digest)

    return run_for_trigger(
        services.store,
        job_name(team.name),
        trigger_for(digest),
        run,
        owner=services.owner,
        now=services.clock,
    )


def run_now(services: Services, sender: DigestSender, team: Team) -> JobOutcome:
    """`/lookout digest now`: a digest up to now; the next scheduled one starts from here."""
    digest = schedule_for(services, team) or Digest()
    now = services.clock()
    slot = f"manual:{clock.slot_key(now)}"

    def run() -> dict:
        since, until = window(services, team.name, now, digest)
        return compose.send(services, sender, team, since=since, until=until, digest=digest)

    return run_once(services.store, job_name(team.name), slot, run, owner=services.owner, now=services.clock)
