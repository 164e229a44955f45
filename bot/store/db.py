"""Engine set-up, migrations and the SQLite single-process guard."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from bot.errors import StoreError

MIGRATIONS = Path(__file__).with_name("migrations")


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


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent, safe on every start)."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Replicas starting together must not run the same migration twice.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7426851)")
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
