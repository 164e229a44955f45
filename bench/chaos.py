"""Chaos run: 3 real workers on one PostgreSQL, a misbehaving Slack, kill -9 every few seconds.

A local feed server publishes items over the run; the fake Slack Web API sometimes answers
429 or 500 or hangs; a random worker is killed with SIGKILL every few seconds and restarted.
At the end every expected (team, item) alert must have been posted exactly once.

    /work/venv/bin/python bench/chaos.py [--items 500] [--limit 360] [--seed 1]

Only 127.0.0.1 is used. The run stops itself after --limit seconds, kills every process it
started (also on error) and drops its PostgreSQL schema. Exit 0 when nothing was duplicated
or lost, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text

from bench.chaos_measure import Result, expected_pairs, measure, progress
from bench.chaos_workers import REPO, Workers
from bench.chaos_world import CHANNELS, TEAMS_YAML, ChaosSlack, FaultMix, Publisher
from tests.fakes.feeds import FeedServer

PG = os.environ.get("LOOKOUT_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SOURCES = ["wire-a", "wire-b", "wire-c", "wire-d"]
CLEANUP: list[Workers] = []  # every worker set started, for the clean-up on any exit


def main() -> int:
    args = parse_args()
    deadline = time.monotonic() + args.limit
    schema = "chaos_" + uuid.uuid4().hex[:10]
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    tmp = Path(tempfile.mkdtemp(prefix="lookout-chaos-"))

    def clean_up() -> None:
        for workers in CLEANUP:
            workers.kill_all()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
        if not args.keep_logs:
            shutil.rmtree(tmp, ignore_errors=True)

    watchdog(args.limit + 25, clean_up)  # belt and braces: never outlive the limit by much
    try:
        return run(args, deadline, f"{PG}?options=-csearch_path%3D{schema}", tmp)
    finally:
        clean_up()


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--items", type=int, default=500)
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--publish-seconds", type=float, default=200)
    p.add_argument("--min-kills", type=int, default=30)
    p.add_argument("--kill-every", type=float, nargs=2, default=(4.0, 7.0), metavar=("MIN", "MAX"))
    p.add_argument(
        "--limit", type=float, default=340, help="seconds for the run; the check after it takes a few more"
    )
    p.add_argument("--lease", type=float, default=30, help="LOOKOUT_LEASE_SECONDS for workers")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--data-dir", type=Path, default=Path(os.environ.get("LOOKOUT_DATA_DIR") or REPO / "data"))
    p.add_argument("--keep-logs", action="store_true", help="keep worker logs (path printed)")
    return p.parse_args()


def watchdog(seconds: float, clean_up) -> None:
    def expire() -> None:
        print(f"chaos: hard limit of {seconds:.0f} s reached; killing everything", file=sys.stderr)
        try:
            clean_up()
        finally:
            os._exit(3)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()


def write_config(folder: Path, urls: dict[str, str]) -> Path:
    folder.mkdir()
    (folder / "teams.yaml").write_text(TEAMS_YAML)
    lines = [
        f"  - {{id: {s}, kind: rss, url: '{u}', interval: 5, allow_private: true}}" for s, u in urls.items()
    ]
    (folder / "sources.yaml").write_text("sources:\n" + "\n".join(lines) + "\n")
    return folder


def run(args: argparse.Namespace, deadline: float, db_url: str, tmp: Path) -> int:
    rng = random.Random(args.seed)
    stop = threading.Event()
    with (
        FeedServer() as feeds,
        ChaosSlack(FaultMix(), random.Random(args.seed + 1), channels=CHANNELS) as slack,
    ):
        feeds.server.handle_error = lambda *_: None  # killed workers leave broken pipes
        publisher = Publisher(feeds, SOURCES, args.items, args.publish_seconds, rng)
        config = write_config(tmp / "config", publisher.urls())
        env = worker_env(db_url, slack.base_url, args)
        (tmp / "logs").mkdir()
        workers = Workers(args.workers, config=config, env=env, logs=tmp / "logs")
        CLEANUP.append(workers)
        started = time.monotonic()
        try:
            workers.start_all()
            threading.Thread(target=publisher.run, args=(stop,), daemon=True).start()
            crashes = chaos_phase(args, workers, publisher, rng, deadline)
            settle(create_engine(db_url), publisher, workers, deadline)
            stop_times = workers.stop()
        finally:
            stop.set()
            workers.kill_all()
        elapsed = time.monotonic() - started
        expected = expected_pairs(publisher.items, config, args.data_dir)
        engine = create_engine(db_url)
        result = measure(engine, slack.posts(), publisher.published, expected)
        engine.dispose()
        report(result, workers, slack.injected, crashes, stop_times, elapsed, tmp / "logs", args)
        if args.keep_logs:
            print(f"worker logs: {tmp / 'logs'}")
    ok = result.duplicates == 0 and result.lost == 0 and result.items_lost == 0
    return 0 if ok else 1


def worker_env(db_url: str, slack_url: str, args: argparse.Namespace) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_", "LOOKOUT_"))}
    return env | {
        "DATABASE_URL": db_url,
        "SLACK_BOT_TOKEN": "xoxb-chaos",
        "SLACK_API_URL": slack_url,
        "LOOKOUT_DATA_DIR": str(args.data_dir),
        "LOOKOUT_LEASE_SECONDS": str(args.lease),
        "LOOKOUT_DELIVERY_EVERY": "1",
        "PYTHONPATH": str(REPO),
    }


def chaos_phase(args, workers: Workers, publisher: Publisher, rng: random.Random, deadline: float) -> int:
    """Kill a random worker every few seconds until publishing is over and enough kills."""
    crashes = 0
    reserve = 80  # seconds kept at the end for the survivors to finish the queue
    while time.monotonic() < deadline - reserve:
        if publisher.done.is_set() and workers.killed >= args.min_kills:
            break
        time.sleep(rng.uniform(*args.kill_every))
        crashes += workers.restart_exited()
        workers.kill_and_restart(rng.randrange(len(workers.procs)))  # working or still starting
        print(
            f"\rkills {workers.killed:3d}  published {len(publisher.published):4d}",
            end="",
            file=sys.stderr,
            flush=True,
        )
    print(file=sys.stderr)
    return crashes


def settle(engine, publisher: Publisher, workers: Workers, deadline: float) -> None:
    """No more kills: wait until every published item is processed and nothing is pending."""
    publisher.done.wait(max(0.0, deadline - 20 - time.monotonic()))
    while time.monotonic() < deadline - 20:
        workers.restart_exited()
        done, pending = progress(engine)
        print(
            f"\rsettling: {done}/{len(publisher.published)} items processed, {pending} alerts pending   ",
            end="",
            file=sys.stderr,
            flush=True,
        )
        if done >= len(publisher.published) and pending == 0:
            time.sleep(3)  # parent-card updates owed by the last replies
            break
        time.sleep(1)
    print(file=sys.stderr)
    engine.dispose()


def recovered_in_logs(logs: Path) -> int:
    found = (re.findall(r"(\d+) recovered", f.read_text(errors="replace")) for f in logs.glob("*.log"))
    return sum(int(n) for ns in found for n in ns)


def ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds:.1f} s"


def report(
    r: Result,
    workers: Workers,
    injected: dict[str, int],
    crashes: int,
    stop_times: list[float],
    elapsed: float,
    logs: Path,
    args,
) -> None:
    rows = [
        ("workers (PostgreSQL)", f"{args.workers}"),
        ("run time", f"{elapsed:.0f} s"),
        ("items published", f"{r.published} (lost before the outbox: {r.items_lost})"),
        ("kill -9 / restarts", f"{workers.killed} / {workers.started - args.workers}"),
        ("Slack faults injected", ", ".join(f"{k}: {v}" for k, v in injected.items())),
        ("expected (team, item) alerts", f"{r.expected}"),
        ("queued in the outbox", f"{r.queued} ({r.failed} failed, {r.pending} still pending at the end)"),
        ("posted", f"{r.posted}"),
        ("recovered from Slack history", f"{recovered_in_logs(logs)}"),
        ("**duplicates**", f"**{r.duplicates}**"),
        ("**lost**", f"**{r.lost}**"),
        ("replies to following teams", f"{r.extra}"),
        ("published → posted p50 / p95", f"{ms(r.p50)} / {ms(r.p95)}"),
        ("SIGTERM → exit (slowest)", ms(max(stop_times)) if stop_times else "–"),
        ("unexpected worker exits", f"{crashes}"),
    ]
    print("\n| chaos run | result |\n|---|---|")
    for k, v in rows:
        print(f"| {k} | {v} |")


if __name__ == "__main__":
    sys.exit(main())
