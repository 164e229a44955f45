"""Run once per schedule across replicas: claims, failures, and two real schedulers on one PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from bot import clock
from bot.app import scheduler
from bot.digest.schedule import job_name, schedule_for, trigger_for
from bot.ops import jobs
from bot.store import Store
from tests.test_digest import TEAMS, put

NOW = datetime(2026, 11, 25, 7, 0, 5, tzinfo=UTC)


def test_one_claim_per_slot_among_racing_threads(db_url):
    stores = [Store.open(db_url) for _ in range(4)]
    ran: list[str] = []
    barrier = threading.Barrier(len(stores))

    def replica(i: int) -> None:
        barrier.wait()
        jobs.run_once(
            stores[i],
            "prune",
            "2026-11-25T03:17:00+00:00",
            lambda: ran.append(f"r{i}") or {"n": i},
            owner=f"r{i}",
            now=lambda: NOW,
        )

    threads = [threading.Thread(target=replica, args=(i,)) for i in range(len(stores))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(ran) == 1
    [run] = stores[0].job_runs("prune")
    assert (run.status, run.owner, run.detail) == ("done", ran[0], {"n": int(ran[0][1:])})
    # The next slot is a new run.
    assert jobs.run_once(
        stores[1], "prune", "2026-11-26T03:17:00+00:00", dict, owner="r1", now=lambda: NOW
    ).ran
    for s in stores:
        s.close()


def test_a_failed_run_is_recorded_and_not_repeated_for_its_slot(db_url):
    store = Store.open(db_url)

    def boom() -> dict:
        raise RuntimeError("slack down")

    out = jobs.run_once(store, "digest:x", "s1", boom, owner="a", now=lambda: NOW)
    assert out.ran and not out.ok and "slack down" in out.error
    [run] = store.job_runs("digest:x")
    assert run.status == "failed" and "slack down" in run.detail["error"]
    assert not jobs.run_once(store, "digest:x", "s1", dict, owner="b", now=lambda: NOW).ran
    store.close()


def test_latest_fire_is_the_slot_every_replica_agrees_on():
    trigger = CronTrigger.from_crontab("0 7 * * *", timezone="Africa/Bamako")
    for skew in (0, 2, 59, 3599):  # replicas' clocks and start delays differ
        assert clock.latest_fire(trigger, NOW.replace(second=0) + timedelta(seconds=skew)) == datetime(
            2026, 11, 25, 7, 0, tzinfo=UTC
        )
    every_5 = CronTrigger.from_crontab("*/5 * * * *", timezone="UTC")
    assert clock.latest_fire(every_5, NOW) == datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    monthly = CronTrigger.from_crontab("0 6 1 * *", timezone="UTC")
    assert clock.latest_fire(monthly, NOW) == datetime(2026, 11, 1, 6, 0, tzinfo=UTC)


def test_digest_job_runs_once_with_two_schedulers_sharing_postgresql(make_services, pg_url, fake_slack):
    replicas = [make_services(teams=TEAMS, db_url=pg_url) for _ in range(2)]
    replicas[0].owner, replicas[1].owner = "replica-a", "replica-b"
    # The schedulers fire on the real clock; which digest a run is for comes from the
    # replicas' clock, fixed here at 07:30 UTC (07:30 in Bamako, half an hour after its digest).
    for services in replicas:
        services.clock = lambda: datetime(2026, 11, 18, 7, 30, tzinfo=UTC)
    sahel = schedule_for(replicas[0], replicas[0].config.team("sahel-desk"))
    fired = clock.latest_fire(trigger_for(sahel), replicas[0].clock())
    assert fired == datetime(2026, 11, 18, 7, 0, tzinfo=UTC)
    put(
        replicas[0],
        "fresh",
        "JNIM fighters attack checkpoint near Sevare in central Mali.",
        fired - timedelta(hours=1),
    )
    scheds = []
    finished = threading.Semaphore(0)
    for services in replicas:
        sched = BackgroundScheduler(timezone=UTC)
        scheduler.add_digest_and_prune_jobs(sched, services)
        sched.add_listener(
            lambda e: finished.release() if e.job_id == "digest:sahel-desk" else None,
            EVENT_JOB_EXECUTED | EVENT_JOB_ERROR,
        )
        scheds.append(sched)
    for sched in scheds:
        sched.start()
    try:
        now = datetime.now(UTC)
        for sched in scheds:  # both replicas' cron fire "now", as at 07:00
            sched.modify_job("digest:sahel-desk", next_run_time=now)
        assert all(finished.acquire(timeout=60) for _ in scheds)
    finally:
        for sched in scheds:
            sched.shutdown(wait=True)
    posts = [m for m in fake_slack.top_level("#sahel-alerts") if "metadata" in m]
    assert len(posts) == 1
    assert len(fake_slack.calls_to("files.completeUploadExternal")) == 1
    runs = replicas[1].store.job_runs(job_name("sahel-desk"))
    assert len(runs) == 1 and runs[0].status == "done"
    assert runs[0].owner in {"replica-a", "replica-b"}
    assert runs[0].detail["until"] == fired.isoformat() and runs[0].detail["stories"] == 1
    assert "Sevare" in str(posts[0]["blocks"])
