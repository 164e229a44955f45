"""Real `python -m bot worker` processes for the chaos run: start, kill -9, restart, stop."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


class Workers:
    """A fixed number of worker slots; a killed slot is restarted at once."""

    def __init__(self, count: int, *, config: Path, env: dict[str, str], logs: Path):
        self.config = config
        self.env = env
        self.logs = logs
        self.procs: list[subprocess.Popen | None] = [None] * count
        self.started = 0
        self.killed = 0

    def start_all(self) -> None:
        for slot in range(len(self.procs)):
            self._start(slot)

    def _start(self, slot: int) -> None:
        self.started += 1
        log = (self.logs / f"worker-{self.started:03d}.log").open("w")
        # Own session: the final clean-up can kill the process and anything it spawned.
        self.procs[slot] = subprocess.Popen(
            [sys.executable, "-m", "bot", "--config", str(self.config), "worker"],
            cwd=REPO,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def kill_and_restart(self, slot: int) -> None:
        proc = self.procs[slot]
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            self.killed += 1
        self._start(slot)

    def restart_exited(self) -> int:
        """Workers that died by themselves (they should not) are restarted and counted."""
        exited = 0
        for slot, proc in enumerate(self.procs):
            if proc is not None and proc.poll() is not None:
                exited += 1
                self._start(slot)
        return exited

    def stop(self, grace: float = 10.0) -> list[float]:
        """SIGTERM every worker; return how long each took to exit (SIGKILL after grace)."""
        alive = [p for p in self.procs if p is not None and p.poll() is None]
        began = time.monotonic()
        for p in alive:
            p.send_signal(signal.SIGTERM)
        took = []
        for p in alive:
            try:
                p.wait(timeout=max(0.1, grace - (time.monotonic() - began)))
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
            took.append(time.monotonic() - began)
        return took

    def kill_all(self) -> None:
        """Last resort on any error: no process of ours outlives the script."""
        for p in self.procs:
            if p is not None and p.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(p.pid, signal.SIGKILL)
                p.wait()
