"""How long a command takes to answer, from a fresh process: the median of 5 runs each.

`match` is given one line (its answer is the whole run: it reads its input in chunks of 400
lines, so a pipe kept open gets no answer before 800 lines or the end). `web` is timed to
its first /healthz answer (the port is bound before the index is loaded) and to its first
200 (index, store and services ready). The gazetteer index must be built already (run
any look-up once). Prints a table: command, median seconds, min and max.

    python bench/startup.py [--data-dir DIR] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "config"
LINE = b'{"id": "a", "text": "Gunmen attacked an army post near Boulikessi, in Mopti region."}\n'


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_", "LOOKOUT_"))}
    return env | {"LOOKOUT_DATA_DIR": str(data_dir), "LOOKOUT_CONFIG": str(CONFIG), **extra}


def _bot(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot", *args]


def whole_run(args: list[str], stdin: bytes = b"") -> Callable[[Path], float]:
    def timed(data_dir: Path) -> float:
        start = time.perf_counter()
        subprocess.run(
            _bot(*args), input=stdin, env=_env(data_dir), cwd=ROOT, capture_output=True, check=True
        )
        return time.perf_counter() - start

    return timed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


def web_until(want: Callable[[int], bool]) -> Callable[[Path], float]:
    """Seconds from start until /healthz gives a status `want` accepts."""

    def timed(data_dir: Path) -> float:
        port = _free_port()
        with tempfile.TemporaryDirectory() as tmp:
            env = _env(data_dir, PORT=str(port), DATABASE_URL=f"sqlite:///{tmp}/lookout.db")
            start = time.perf_counter()
            proc = subprocess.Popen(
                _bot("web"), env=env, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            try:
                while time.perf_counter() - start < 120 and proc.poll() is None:
                    status = _status(f"http://127.0.0.1:{port}/healthz")
                    if status is not None and want(status):
                        return time.perf_counter() - start
                    time.sleep(0.02)
                raise RuntimeError(f"web gave no such /healthz answer (exit {proc.poll()})")
            finally:
                proc.terminate()
                proc.wait(timeout=30)

    return timed


MEASURES: dict[str, Callable[[Path], float]] = {
    "--help": whole_run(["--help"]),
    "check-config": whole_run(["check-config"]),
    "where Boulikessi": whole_run(["where", "Boulikessi"]),
    "who GSIM": whole_run(["who", "GSIM"]),
    "match (one line)": whole_run(["match"], stdin=LINE),
    "web: first /healthz answer": web_until(lambda status: True),
    "web: /healthz 200 (ready)": web_until(lambda status: status == 200),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir", type=Path, default=Path(os.environ.get("LOOKOUT_DATA_DIR") or ROOT / "data")
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    whole_run(["where", "Boulikessi"])(args.data_dir)  # builds the index if it is missing
    print(f"{'command':30} {'median s':>9} {'min':>6} {'max':>6}   (load {os.getloadavg()[0]:.1f})")
    for name, measure in MEASURES.items():
        times = [measure(args.data_dir) for _ in range(args.runs)]
        print(f"{name:30} {statistics.median(times):9.2f} {min(times):6.2f} {max(times):6.2f}")


if __name__ == "__main__":
    main()
