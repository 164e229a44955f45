"""SIGTERM and SIGINT only set a flag: a storm of signals at any moment stops a real process,
cleanly, every time (issue 20: a handler calling Event.set() deadlocked `run`)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from tests.conftest import REPO

# The main thread polls in tiny steps while three threads keep the interpreter busy, so the
# signals land at every kind of moment, also inside the polling loop itself.
CHILD = """
import sys, threading
from bot.app.stopping import StopRequest

def busy():
    while True:
        sum(range(1000))

for _ in range(3):
    threading.Thread(target=busy, daemon=True).start()
request = StopRequest().install()
print("ready", flush=True)
sys.exit(0 if request.wait(step=0.0005) in (2, 15) else 3)
"""
RUNS = 12
SIGNALS_PER_RUN = 5


def test_repeated_sigterm_stops_a_busy_process_every_time():
    for run in range(RUNS):
        child = subprocess.Popen([sys.executable, "-c", CHILD], cwd=REPO, stdout=subprocess.PIPE, text=True)
        try:
            assert child.stdout.readline() == "ready\n"
            time.sleep(0.01 * (run % 4))
            for _ in range(SIGNALS_PER_RUN):
                child.send_signal(signal.SIGTERM if run % 3 else signal.SIGINT)
                time.sleep(0.001)
            assert child.wait(timeout=10) == 0, f"run {run}"
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
