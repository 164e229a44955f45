"""The store's connection: one engine, transactions, and the SQLite single-process lock."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from bot.errors import StoreError
from bot.store.db import (
    MIGRATION_LOCK_KEY,
    SingleProcessLock,
    is_schema_gone,
    make_engine,
    migrate,
    migrate_when_reachable,
    where,
)

log = logging.getLogger(__name__)

CHUNK = 500  # ids per IN (...) clause: well under every database's parameter limit
STORY_LOCK_KEY = MIGRATION_LOCK_KEY + 1  # advisory lock key of story decisions
# First half of the two-key advisory locks on one team's story thread: PostgreSQL keeps two-key
# locks apart from one-key ones, so these never meet the two keys above.
THREAD_LOCK_CLASS = MIGRATION_LOCK_KEY + 2


def chunks(ids: Sequence) -> Iterator[Sequence]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


class StoreBase:
    """What every part of the Store shares: the engine and how a transaction is opened."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._lock: SingleProcessLock | None = None
        self._copies_turn = threading.Lock()  # SQLite's thread_lock (one worker process)

    @classmethod
    def open(cls, url: str, *, wait_seconds: float = 0.0) -> Self:
        """The store at `url`, migrated; waits up to `wait_seconds` for PostgreSQL to answer."""
        store = cls(make_engine(url))
        migrate_when_reachable(store.engine, wait_seconds=wait_seconds)
        return store

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def hold_single_process_lock(self) -> None:
        """On SQLite, refuse a second worker on the same file (PostgreSQL needs no lock)."""
        database = make_url(str(self.engine.url)).database
        if self.is_sqlite and database and database != ":memory:":
            self._lock = SingleProcessLock(Path(database))
            self._lock.acquire()

    def close(self) -> None:
        if self._lock:
            self._lock.release()
        self.engine.dispose()

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except ProgrammingError as e:
            if not is_schema_gone(e):
                raise
            # The database was dropped and created again while we ran (the pool's pre-ping
            # reconnected to the new one): put the tables back so the next call works.
            log.error("database %s has lost its tables (re-created?); migrating it again", where(self.engine))
            migrate(self.engine)
            raise StoreError(
                f"the database {where(self.engine)} had lost its tables (re-created?); they are back, "
                "empty, and the next attempt will work"
            ) from None

    @contextmanager
    def story_lock(self) -> Iterator[None]:
        """Held while a worker catches up on stories, decides where its items go and records
        them: two replicas given two reports of one event at the same instant would otherwise
        each find no story and each open one. On PostgreSQL an advisory lock in a transaction
        of its own connection (released at commit, or when a dead worker's connection drops);
        SQLite has one worker, and its threads take turns already (Services.processing)."""
        if self.is_sqlite:
            yield
            return
        with self._pg_lock("SELECT pg_advisory_xact_lock(:key)", key=STORY_LOCK_KEY):
            yield

    @contextmanager
    def thread_lock(self, team: str, story_id: str) -> Iterator[None]:
        """Held while a wire copy decides whether to join its thread's "Also reported by" reply
        or to post one, until it is recorded: two replicas delivering the first two copies of
        a thread at once would otherwise each find no reply to join and each post one. Only
        that team's thread waits (for one Slack call at most); on PostgreSQL a transaction's
        advisory lock, released at commit or when a dead worker's connection drops. SQLite
        has one worker process, but its delivery rounds overlap: they take turns on copies."""
        if self.is_sqlite:
            with self._copies_turn:
                yield
            return
        lock = "SELECT pg_advisory_xact_lock(:cls, hashtext(:key))"
        with self._pg_lock(lock, cls=THREAD_LOCK_CLASS, key=f"{team}\n{story_id}"):
            yield

    @contextmanager
    def _pg_lock(self, sql: str, **params: object) -> Iterator[None]:
        """A transaction-scoped advisory lock on a connection of its own: released at commit,
        or when a dead worker's connection drops."""
        with self.engine.connect() as conn, conn.begin():
            conn.execute(text(sql), params)
            yield
