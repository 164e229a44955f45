"""Attack bench: the Slack listener's attacks of issue 19, black-box against `python -m bot run`.

Starts a real `python -m bot run` in HTTP mode on 127.0.0.1 (a local fake Slack Web API, a
local feed, a SQLite file in a temporary folder), replays each attack with raw sockets or
plain HTTP, and prints attack → expected → observed → holds. Bounded: every loop has a count
and every wait a deadline; the whole run takes about a minute (the gazetteer load is most
of it). Only 127.0.0.1 is used, and the process it started is killed on the way out.

    .venv/bin/python bench/attack.py

Exit 0 when every attack held, 1 otherwise.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests

from tests.fakes.feeds import FeedServer, rss
from tests.fakes.slack import FakeSlack
from tests.match_support import INDEX_DIR
from tests.workers import is_up, setup_config, start, stop, wait_until, worker_env

SECRET = "attack-bench-secret"
HOST = "127.0.0.1"
MB = 1024 * 1024


@dataclass
class Row:
    attack: str
    expected: str
    observed: str
    holds: bool


class Target:
    """The running bot: its port, its log, its process."""

    def __init__(self, port: int, log: Path, pid: int, fake: FakeSlack):
        self.port, self.log, self.pid, self.fake = port, log, pid, fake
        self.events = f"http://{HOST}:{port}/slack/events"
        self.healthz = f"http://{HOST}:{port}/healthz"

    def connect(self) -> socket.socket:
        return socket.create_connection((HOST, self.port), timeout=5)

    def peak_rss_mb(self) -> float:
        """The most memory the process has ever held (VmHWM): a body freed after use still counts."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def command(self, text: str, trigger: str) -> str:
        return urlencode(
            {
                "command": "/lookout",
                "text": text,
                "user_id": "U1",
                "channel_id": "C0SAHEL001",
                "team_id": "T1",
                "response_url": self.fake.response_url(trigger),
                "trigger_id": trigger,
            }
        )


def signed(body: str | bytes, *, ts: str | None = None, secret: str = SECRET) -> dict[str, str]:
    raw = body.encode() if isinstance(body, str) else body
    ts = ts or str(int(time.time()))
    mac = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + raw, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": "v0=" + mac,
        "Content-Type": "application/x-www-form-urlencoded",
    }


def announce(length: int) -> bytes:
    return b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n\r\n" % length


def read_until_close(sock: socket.socket, within: float) -> tuple[bytes, float]:
    """What the server sends before it closes, and when it closed (or `within` if it did not)."""
    started, out = time.monotonic(), b""
    sock.settimeout(0.5)
    while time.monotonic() - started < within:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        except ConnectionResetError:
            break
        if not chunk:
            break
        out += chunk
    return out, time.monotonic() - started


def status_line(data: bytes) -> str:
    return data.split(b"\r\n", 1)[0].decode(errors="replace") or "no answer"


def answers(t: Target, trigger: str, *, wait: float = 10.0) -> int:
    """How many answers went to this command's response_url, once the first has landed (or
    `wait` passed) and a second, if any, has had time to."""

    def count() -> int:
        return sum(r.get("_path") == f"/response/{trigger}" for r in list(t.fake.responses))

    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and not count():
        time.sleep(0.1)
    time.sleep(1.0)
    return count()


# ---- the attacks ---------------------------------------------------------------------------------


def idle_connections(t: Target) -> Row:
    with contextlib.ExitStack() as stack:
        for _ in range(150):
            sock = stack.enter_context(t.connect())
            sock.sendall(announce(1000))
        started = time.monotonic()
        try:
            health = requests.get(t.healthz, timeout=5).status_code
            body = t.command("help", "idle")
            slack = requests.post(t.events, data=body, headers=signed(body), timeout=5).status_code
            observed = f"/healthz {health}, signed command {slack} in {time.monotonic() - started:.2f} s"
        except requests.RequestException as e:
            health = slack = 0
            observed = f"unreachable ({type(e).__name__})"
    return Row(
        "150 idle connections announcing bodies",
        "/healthz and /slack/events answer",
        observed,
        health == 200 and slack == 200,
    )


def big_bodies(t: Target) -> Row:
    before = t.peak_rss_mb()

    def send(results: list[str]) -> None:
        with t.connect() as sock:
            with contextlib.suppress(OSError):  # it closes on us once it has said 413
                sock.sendall(announce(50 * MB))
                block = b"x" * MB
                for _ in range(50):
                    sock.sendall(block)
            data, _ = read_until_close(sock, 5)
            results.append(status_line(data))

    results: list[str] = []
    threads = [threading.Thread(target=send, args=(results,)) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    grew = t.peak_rss_mb() - before
    refused = all(r.startswith("HTTP/1.1 413") or r == "no answer" for r in results)
    return Row(
        "4 unsigned 50 MB bodies",
        "413 before the body; peak RSS +<20 MB",
        f"{', '.join(sorted(set(results)))}; peak RSS {grew:+.1f} MB",
        refused and len(results) == 4 and grew < 20,
    )


def chunked_body(t: Target) -> Row:
    with t.connect() as sock:
        head = b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        chunk = b"%x\r\n%s\r\n" % (64 * 1024, b"x" * 64 * 1024)
        with contextlib.suppress(OSError):
            sock.sendall(head)
            for _ in range(32):  # 2 MiB
                sock.sendall(chunk)
        data, took = read_until_close(sock, 5)
    observed = status_line(data) if data else ("reset" if took < 5 else "still open")
    return Row(
        "unsigned 2 MiB chunked body",
        "413 or cut at 512 KiB",
        observed,
        observed.startswith("HTTP/1.1 413") or observed == "reset" or observed == "no answer",
    )


def log_flood(t: Target) -> Row:
    before = t.log_text()
    marker = "FLOODMARKER"
    with requests.Session() as session:
        codes = {
            session.post(
                t.events, data=f"{marker}{i}" + "y" * 1000, headers={"X-Slack-Signature": "v0=1"}
            ).status_code
            for i in range(200)
        }
    added = t.log_text()[len(before) :]
    # Lines about Slack requests (ours and Bolt's); the scheduler's own lines do not count.
    lines = sum("slack" in line.lower() or marker in line for line in added.splitlines())
    return Row(
        "200 unsigned 1 KB bodies (log flood)",
        "401 each; <= 2 log lines, no body",
        f"{sorted(codes)}; {lines} log line(s); body in log: {marker in added}",
        codes == {401} and lines <= 2 and marker not in added,
    )


def log_forge(t: Target) -> Row:
    before = t.log_text()
    body = "text=x\n2026-01-01 00:00:00,000 CRITICAL bot: FORGEDLINE\n"
    code = requests.post(t.events, data=body, headers=signed(body, secret="wrong"), timeout=5).status_code
    time.sleep(0.2)
    added = t.log_text()[len(before) :]
    forged = [line for line in added.splitlines() if line.startswith("2026-01-01") or "FORGEDLINE" in line]
    return Row(
        "unsigned body with a forged log line",
        "401; no forged line",
        f"{code}; forged lines: {len(forged)}",
        code == 401 and not forged,
    )


def malformed_json(t: Target) -> Row:
    before = t.log_text()
    codes = {
        requests.post(
            t.events,
            data=b'{"type": "event_callback", "event": ',
            headers={"Content-Type": "application/json", "X-Slack-Signature": "v0=1"},
            timeout=5,
        ).status_code
        for _ in range(20)
    }
    added = t.log_text()[len(before) :]
    return Row(
        "20 unsigned malformed JSON bodies",
        "401; no traceback",
        f"{sorted(codes)}; traceback: {'Traceback' in added}",
        codes == {401} and "Traceback" not in added,
    )


def bad_timestamp(t: Target) -> Row:
    body = t.command("help", "badts")
    r = requests.post(
        t.events, data=body, headers=signed(body) | {"X-Slack-Request-Timestamp": "soon"}, timeout=5
    )
    return Row("non-numeric X-Slack-Request-Timestamp", "401", str(r.status_code), r.status_code == 401)


def trickle(t: Target) -> Row:
    with t.connect() as sock:
        sock.sendall(announce(2000) + b"command=/lookout")
        for _ in range(3):  # a few bytes, then silence
            time.sleep(1)
            sock.sendall(b"&")
        data, took = read_until_close(sock, 30)
    observed = (
        f"{status_line(data)}; closed after {took:.0f} s of silence" if took < 30 else "still open after 30 s"
    )
    return Row(
        "trickled body, then silence",
        "closed within ~12 s, no 200",
        observed,
        took < 15 and not data.startswith(b"HTTP/1.1 200"),
    )


def bad_signature(t: Target) -> Row:
    body = t.command("watch add region Mopti", "badsig")
    r = requests.post(t.events, data=body, headers=signed(body, secret="wrong"), timeout=5)
    return Row("wrong signature", "401", str(r.status_code), r.status_code == 401)


def stale(t: Target) -> Row:
    body = t.command("help", "stale")
    r = requests.post(t.events, data=body, headers=signed(body, ts=str(int(time.time()) - 6 * 60)), timeout=5)
    return Row("signed 6 minutes ago (stale)", "401", str(r.status_code), r.status_code == 401)


def replay(t: Target) -> Row:
    body = t.command("help", "replayed")
    headers = signed(body)
    first = requests.post(t.events, data=body, headers=headers, timeout=5).status_code
    again = requests.post(t.events, data=body, headers=headers, timeout=5).status_code
    n = answers(t, "replayed")
    return Row(
        "the same signed command twice (replay)",
        "200, 200; answered once",
        f"{first}, {again}; answered {n}x",
        first == 200 and again == 200 and n == 1,
    )


def still_serves(t: Target) -> Row:
    body = t.command("help", "after")
    r = requests.post(t.events, data=body, headers=signed(body), timeout=5)
    n = answers(t, "after")
    health = requests.get(t.healthz, timeout=5).status_code
    tracebacks = t.log_text().count("Traceback")
    return Row(
        "afterwards: a signed command, /healthz",
        "200 and answered, 200; no traceback in the log",
        f"{r.status_code} and answered {n}x, {health}; {tracebacks} tracebacks",
        r.status_code == 200 and n == 1 and health == 200 and tracebacks == 0,
    )


ATTACKS: list[Callable[[Target], Row]] = [
    idle_connections,
    big_bodies,
    chunked_body,
    log_flood,
    log_forge,
    malformed_json,
    bad_timestamp,
    trickle,
    bad_signature,
    stale,
    replay,
    still_serves,
]


# ---- the run -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def table(rows: list[Row]) -> str:
    head = ("attack", "expected", "observed", "holds")
    cells = [head, *[(r.attack, r.expected, r.observed, "yes" if r.holds else "NO") for r in rows]]
    widths = [max(len(c[i]) for c in cells) for i in range(4)]
    lines = [" | ".join(c[i].ljust(widths[i]) for i in range(4)) for c in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> int:
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="lookout-attack-") as tmp,
        FakeSlack(channels={"sahel-alerts": "C0SAHEL001"}) as fake,
        FeedServer() as feeds,
    ):
        folder = Path(tmp)
        config = setup_config(folder / "config", {"wire": feeds.put("/wire.xml", rss([]))})
        port = free_port()
        env = worker_env(
            db_url=f"sqlite:///{folder / 'lookout.db'}", slack_url=fake.base_url, data_dir=INDEX_DIR
        )
        env |= {"SLACK_SIGNING_SECRET": SECRET, "PORT": str(port)}
        log = folder / "bot.log"
        bot = start(config, env, log, "run")
        try:
            wait_until(lambda: is_up(log) or bot.poll() is not None, limit=90, what="bot run up")
            if bot.poll() is not None:
                print(log.read_text(errors="replace")[-2000:], file=sys.stderr)
                return 1
            target = Target(port, log, bot.pid, fake)
            rows = []
            for attack in ATTACKS:
                try:
                    rows.append(attack(target))
                except Exception as e:  # an attack that breaks the bench is a row, not a crash
                    rows.append(Row(attack.__name__, "-", f"bench error: {type(e).__name__}: {e}", False))
        finally:
            stop(bot)
    print(table(rows))
    print(f"\n{sum(r.holds for r in rows)}/{len(rows)} hold; {time.monotonic() - started:.0f} s in all")
    return 0 if all(r.holds for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
