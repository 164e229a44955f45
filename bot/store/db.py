"""Engine set-up, migrations and the SQLite single-process guard."""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Callable
from itertools import count
from pathlib import Path
from typing import IO

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.errors import StoreError

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
FIRST_RETRY, MAX_RETRY = 1.0, 10.0  # seconds between attempts to reach the database, doubling
# A connection refused, a server starting up or a database not created yet may pass; these
# will not, however long we wait.
NO_RETRY_HELPS = ("authentication failed", "no pg_hba.conf entry", "role ")
UNDEFINED_TABLE = "42P01"


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    _sqlite_immediate_transactions(engine)
    return engine


def _sqlite_immediate_transactions(engine: Engine) -> None:
    """Every transaction takes the write lock up front (BEGIN IMMEDIATE).

    With pysqlite's default deferred BEGIN, two threads that read then write can fail
    at once with "database is locked" instead of waiting; IMMEDIATE makes them queue.
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        # With WAL, NORMAL keeps the database consistent and every commit survives a process
        # crash; only an OS crash or power cut can undo the last moments. FULL would fsync on
        # every one of the many small commits the pipeline makes.
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def migrate_when_reachable(
    engine: Engine,
    *,
    wait_seconds: float,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Migrate; while a PostgreSQL server cannot be reached, try again with backoff for up to
    `wait_seconds` (LOOKOUT_DB_WAIT_SECONDS), saying so at each attempt. A process that
    exited at once was restarted in a loop by its supervisor while the database came up."""
    if engine.dialect.name == "sqlite":
        migrate(engine)
        return
    deadline, delay = clock() + wait_seconds, FIRST_RETRY
    for attempt in count(1):
        try:
            migrate(engine)
            return
        except OperationalError as e:
            reason = _reason(e)
            left = deadline - clock()
            if left <= 0 or any(phrase in reason for phrase in NO_RETRY_HELPS):
                raise StoreError(
                    f"cannot reach the database {where(engine)}: {reason} (after {attempt} "
                    f"attempt{'s' * (attempt > 1)}; LOOKOUT_DB_WAIT_SECONDS={wait_seconds:g} "
                    "sets how long to wait)"
                ) from None
            pause = min(delay, left)
            log.warning(
                "database %s not reachable (attempt %d: %s); trying again in %.1f s, for %.0f s more",
                where(engine),
                attempt,
                reason,
                pause,
                left,
            )
            sleep(pause)
            delay = min(delay * 2, MAX_RETRY)


def is_schema_gone(e: DBAPIError) -> bool:
    """A table is missing: the database was dropped and created again under us."""
    return getattr(e.orig, "sqlstate", None) == UNDEFINED_TABLE


def where(engine: Engine) -> str:
    """host:port/database, never the password."""
    url = engine.url
    return f"{url.host or 'localhost'}:{url.port or 5432}/{url.database}"


def _reason(e: DBAPIError) -> str:
    """The server's own words, e.g. 'Connection refused', 'FATAL: database "x" does not exist'."""
    first = str(e.orig).strip().splitlines()[0] if str(e.orig).strip() else type(e.orig).__name__
    return " ".join(first.rpartition(" failed: ")[2].split())


# PostgreSQL advisory lock keys: this one, and the store's story and thread locks after it.
MIGRATION_LOCK_KEY = 7426851


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent, safe on every start)."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Replicas starting together must not run the same migration twice.
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class SingleProcessLock:
    """SQLite is for one process: a second worker on the same file is refused, clearly."""

    def __init__(self, db_path: Path):
        self.path = db_path.with_name(db_path.name + ".lock")
        self._fh: IO[str] | None = None

    def acquire(self) -> None:
        self._fh = self.path.open("a+")
        try:
            fcntl.flock(self._fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._fh.seek(0)
            holder = self._fh.read().strip() or "another process"
            self._fh.close()
            self._fh = None
            raise StoreError(
                f"{self.path.with_suffix('')} is already used by {holder}. SQLite runs one worker "
                "at a time; to run several workers set DATABASE_URL to a PostgreSQL database."
            ) from None
        self._fh.seek(0)
        self._fh.truncate()
        self._fh.write(f"pid {os.getpid()}")
        self._fh.flush()

    def release(self) -> None:
        if self._fh:
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None
