"""The store's connection: one engine, transactions, and the SQLite single-process lock."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import make_url

from bot.store.db import SingleProcessLock, make_engine, migrate

CHUNK = 500  # ids per IN (...) clause: well under every database's parameter limit


def chunks(ids: Sequence) -> Iterator[Sequence]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


class StoreBase:
    """What every part of the Store shares: the engine and how a transaction is opened."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._lock: SingleProcessLock | None = None

    @classmethod
    def open(cls, url: str) -> Self:
        store = cls(make_engine(url))
        migrate(store.engine)
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
        with self.engine.begin() as conn:
            yield conn
