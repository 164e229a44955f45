"""SIGTERM and SIGINT as a flag that the main loop polls.

A Python signal handler runs on the main thread between two bytecodes, possibly while that
thread holds a lock. `Event.set()` takes the Event's lock, which the main thread holds for a
few bytecodes of every `Event.wait()` round: a signal landing there made the handler wait
for its own thread forever, and `run` needed SIGKILL (once in seven SIGTERMs). So the
handler only stores the signal's number (no lock, no logging, no I/O) and the main loop
sleeps in short steps and reads it. Once it has, further signals are ignored: the shutdown
is already under way and bounded, and a signal landing while the interpreter exits (when
Python has put back the default handlers) would kill the process with status -15.
"""

from __future__ import annotations

import signal
import time
from types import FrameType

STEP = 0.2  # seconds: how late a stop request may be noticed
SIGNALS = (signal.SIGTERM, signal.SIGINT)


class StopRequest:
    def __init__(self) -> None:
        self.signal: int | None = None

    def install(self) -> StopRequest:
        for sig in SIGNALS:
            signal.signal(sig, self._handle)
        return self

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        self.signal = signum

    def wait(self, *, step: float = STEP) -> int:
        """Block until SIGTERM or SIGINT arrives; return its number."""
        while self.signal is None:
            time.sleep(step)
        for sig in SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        return self.signal
