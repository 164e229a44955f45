"""A total time limit per request, enforced by one watchdog thread.

Socket timeouts bound each read, not the whole answer: a server that sends a
byte every few seconds would never trip them. The watchdog shuts the sockets
of a request down when its deadline passes, which wakes the blocked read.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Ticket:
    deadline: float
    sockets: list[socket.socket] = field(default_factory=list)
    done: bool = False
    expired: bool = False


class Deadlines:
    def __init__(self) -> None:
        self._local = threading.local()
        self._lock = threading.Condition()
        self._heap: list[tuple[float, int, Ticket]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    @contextmanager
    def limit(self, seconds: float) -> Iterator[Ticket]:
        """Every socket used by this thread inside the block is cut after `seconds`."""
        ticket = Ticket(time.monotonic() + seconds)
        with self._lock:
            heapq.heappush(self._heap, (ticket.deadline, next(self._order), ticket))
            self._start()
            self._lock.notify()
        self._local.ticket = ticket
        try:
            yield ticket
        finally:
            self._local.ticket = None
            with self._lock:
                ticket.done = True

    def watch(self, sock: socket.socket) -> None:
        ticket: Ticket | None = getattr(self._local, "ticket", None)
        if ticket is None:
            return
        with self._lock:
            ticket.sockets.append(sock)
            if ticket.expired:
                _shut(sock)

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="lookout-deadlines", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        with self._lock:
            while True:
                while self._heap and self._heap[0][2].done:
                    heapq.heappop(self._heap)
                if not self._heap:
                    if not self._lock.wait(timeout=30):
                        self._thread = None  # idle: let the thread end, restart on demand
                        return
                    continue
                wait = self._heap[0][0] - time.monotonic()
                if wait > 0:
                    self._lock.wait(timeout=wait)
                    continue
                ticket = heapq.heappop(self._heap)[2]
                ticket.expired = True
                for sock in ticket.sockets:
                    _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed: nothing left to cut
        sock.shutdown(socket.SHUT_RDWR)
