"""A local fake of the Slack Web API that the real slack_sdk WebClient talks to.

It keeps channels and messages (with threads and metadata) the way Slack does, records
every call, and can be told to fail: rate limits with Retry-After, 5xx, Slack errors such
as `not_in_channel`, or hanging. It also receives `response_url` posts and file uploads.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Fault:
    method: str
    status: int = 200
    error: str | None = None  # Slack error code, sent with ok=false
    retry_after: int | None = None
    hang: float = 0.0  # seconds to sleep before answering
    times: int = 1
    gate: threading.Event | None = None  # answer only once the test sets it (bounded wait)


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


class FakeSlack:
    def __init__(self, channels: dict[str, str] | None = None, members: dict[str, list[str]] | None = None):
        """channels: name → id, e.g. {"sahel-alerts": "C0SAHEL01"}. members: id → user ids."""
        self.lock = threading.Lock()
        self.calls: list[Call] = []
        self.responses: list[dict] = []  # bodies posted to response_url
        self.uploads: dict[str, bytes] = {}
        self.channels: dict[str, str] = dict(channels or {})  # name → id
        self.members: dict[str, list[str]] = dict(members or {})
        self.messages: dict[str, list[dict]] = defaultdict(list)  # channel id → messages
        self.faults: list[Fault] = []
        self._file_ids = itertools.count(1)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # ---- lifecycle -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def base_url(self) -> str:
        """For WebClient(base_url=...) and SLACK_API_URL."""
        return self.url + "/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.url}/response/{name}"

    def start(self) -> FakeSlack:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ---- test helpers ----------------------------------------------------------------------

    def fail(self, method: str, **kw) -> None:
        """Make the next call(s) of `method` fail (see Fault)."""
        with self.lock:
            self.faults.append(Fault(method, **kw))

    def hold(self, method: str) -> threading.Event:
        """Make the next call of `method` wait until the returned event is set."""
        gate = threading.Event()
        self.fail(method, gate=gate)
        return gate

    def calls_to(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def posts(self, channel: str | None = None) -> list[dict]:
        """Messages as stored, top-level and replies, optionally for one channel (name or id)."""
        with self.lock:
            if channel is None:
                return [m for msgs in self.messages.values() for m in msgs]
            return list(self.messages.get(self._channel_id(channel) or "", []))

    def top_level(self, channel: str) -> list[dict]:
        return [m for m in self.posts(channel) if "thread_ts" not in m or m["thread_ts"] == m["ts"]]

    def replies(self, channel: str, thread_ts: str) -> list[dict]:
        return [m for m in self.posts(channel) if m.get("thread_ts") == thread_ts and m["ts"] != thread_ts]

    # ---- the API ---------------------------------------------------------------------------

    def _channel_id(self, channel: str) -> str | None:
        if channel in self.channels.values():
            return channel
        return self.channels.get(channel.lstrip("#"))

    def _next_ts(self) -> str:
        """Like Slack: the posting time, unique per message."""
        self._last_ts = max(time.time(), getattr(self, "_last_ts", 0) + 0.000001)
        return f"{self._last_ts:.6f}"

    def _api(self, method: str, p: dict) -> tuple[int, dict, dict]:
        fault = self._take_fault(method)
        if fault:
            if fault.gate is not None:
                fault.gate.wait(30)
            if fault.hang:
                time.sleep(fault.hang)
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            if fault.status != 200:
                body = {"ok": False, "error": fault.error or "ratelimited"} if fault.status == 429 else {}
                return fault.status, body, headers
            if fault.error:
                return 200, {"ok": False, "error": fault.error}, headers
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        with self.lock:
            return 200, handler(p), {}

    def _take_fault(self, method: str) -> Fault | None:
        with self.lock:
            for f in self.faults:
                if f.method == method:
                    f.times -= 1
                    if f.times <= 0:
                        self.faults.remove(f)
                    return f
        return None

    def _m_auth_test(self, p: dict) -> dict:
        return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "user": "lookout"}

    def _m_chat_postMessage(self, p: dict) -> dict:
        cid = self._channel_id(p.get("channel", ""))
        if not cid:
            return {"ok": False, "error": "channel_not_found"}
        msg = {
            "type": "message",
            "ts": self._next_ts(),
            "text": p.get("text", ""),
            "blocks": _json(p.get("blocks")) or [],
            "user": "UBOT",
            "bot_id": "BBOT",
        }
        if p.get("metadata"):
            msg["metadata"] = _json(p["metadata"])
        if p.get("thread_ts"):
            msg["thread_ts"] = p["thread_ts"]
            parent = next((m for m in self.messages[cid] if m["ts"] == p["thread_ts"]), None)
            if parent is None:
                return {"ok": False, "error": "thread_not_found"}
            parent.setdefault("thread_ts", parent["ts"])
            parent["reply_count"] = parent.get("reply_count", 0) + 1
            if _truthy(p.get("reply_broadcast")):
                msg["subtype"] = "thread_broadcast"
        self.messages[cid].append(msg)
        return {"ok": True, "channel": cid, "ts": msg["ts"], "message": msg}

    def _m_chat_update(self, p: dict) -> dict:
        cid = self._channel_id(p.get("channel", ""))
        msg = next((m for m in self.messages.get(cid or "", []) if m["ts"] == p.get("ts")), None)
        if msg is None:
            return {"ok": False, "error": "message_not_found"}
        msg["text"] = p.get("text", msg["text"])
        msg["blocks"] = _json(p.get("blocks")) or msg["blocks"]
        msg["edited"] = {"ts": self._next_ts()}
        return {"ok": True, "channel": cid, "ts": msg["ts"]}

    def _m_chat_postEphemeral(self, p: dict) -> dict:
        return {"ok": True, "message_ts": self._next_ts()}

    def _m_conversations_history(self, p: dict) -> dict:
        cid = self._channel_id(p.get("channel", ""))
        if not cid:
            return {"ok": False, "error": "channel_not_found"}
        oldest = float(p.get("oldest") or 0)
        top = [
            m
            for m in self.messages[cid]
            if float(m["ts"]) >= oldest and m.get("thread_ts", m["ts"]) == m["ts"]
        ]
        return _page(list(reversed(top)), p)

    def _m_conversations_replies(self, p: dict) -> dict:
        cid = self._channel_id(p.get("channel", ""))
        ts = p.get("ts")
        msgs = [m for m in self.messages.get(cid or "", []) if m["ts"] == ts or m.get("thread_ts") == ts]
        return _page(msgs, p)

    def _m_conversations_list(self, p: dict) -> dict:
        chans = [{"id": cid, "name": name, "is_member": True} for name, cid in self.channels.items()]
        return {"ok": True, "channels": chans, "response_metadata": {"next_cursor": ""}}

    def _m_conversations_members(self, p: dict) -> dict:
        cid = self._channel_id(p.get("channel", ""))
        if not cid:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "members": self.members.get(cid, []), "response_metadata": {"next_cursor": ""}}

    def _m_conversations_info(self, p: dict) -> dict:
        cid = self._channel_id(p.get("channel", ""))
        name = next((n for n, i in self.channels.items() if i == cid), None)
        if not cid:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": {"id": cid, "name": name}}

    def _m_views_publish(self, p: dict) -> dict:
        return {"ok": True, "view": {"id": "V1", **(_json(p.get("view")) or {})}}

    def _m_views_open(self, p: dict) -> dict:
        return {"ok": True, "view": {"id": "V2", **(_json(p.get("view")) or {})}}

    def _m_files_getUploadURLExternal(self, p: dict) -> dict:
        fid = f"F{next(self._file_ids):08d}"
        return {"ok": True, "file_id": fid, "upload_url": f"{self.url}/upload/{fid}"}

    def _m_files_completeUploadExternal(self, p: dict) -> dict:
        files = _json(p.get("files")) or []
        cid = self._channel_id(p.get("channel_id", "")) if p.get("channel_id") else None
        for f in files:
            msg = {
                "type": "message",
                "ts": self._next_ts(),
                "text": p.get("initial_comment", ""),
                "files": [{"id": f["id"], "title": f.get("title")}],
            }
            if cid:
                self.messages[cid].append(msg)
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}

    # ---- HTTP plumbing ---------------------------------------------------------------------

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                path = urlsplit(self.path).path
                if path.startswith("/upload/"):
                    # fake.fail("upload", status=500): the file step itself fails, as when
                    # Slack's upload host answers 5xx after files.getUploadURLExternal said ok.
                    fault = fake._take_fault("upload")
                    if fault and fault.status != 200:
                        return self._send(fault.status, b"upload failed", "text/plain")
                    with fake.lock:
                        fake.uploads[path.rsplit("/", 1)[1]] = raw
                    return self._send(200, b"OK", "text/plain")
                params = _parse(raw, self.headers.get("Content-Type", ""))
                params.update({k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()})
                if path.startswith("/response/"):
                    with fake.lock:
                        fake.responses.append(params | {"_path": path})
                    return self._send(200, b"ok", "text/plain")
                method = path.removeprefix("/api/")
                token = self.headers.get("Authorization", "")
                with fake.lock:
                    fake.calls.append(Call(method, params | {"_token": token}))
                status, body, headers = fake._api(method, params)
                self._send(status, json.dumps(body).encode(), "application/json", headers)

            do_GET = do_POST

            def _send(self, status: int, body: bytes, ctype: str, headers: dict | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

        return Handler


def _page(messages: list[dict], p: dict) -> dict:
    """Slack's cursor pagination: `limit` per page (default 100), `next_cursor` for the rest."""
    start, limit = int(p.get("cursor") or 0), int(p.get("limit") or 100)
    more = start + limit < len(messages)
    return {
        "ok": True,
        "messages": messages[start : start + limit],
        "has_more": more,
        "response_metadata": {"next_cursor": str(start + limit) if more else ""},
    }


def _parse(raw: bytes, ctype: str) -> dict:
    if not raw:
        return {}
    if "json" in ctype:
        return json.loads(raw)
    if "multipart" in ctype:
        return {}
    return {k: v[0] for k, v in parse_qs(raw.decode()).items()}


def _json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _truthy(value: Any) -> bool:
    return value in (True, "true", "1", 1)


def person_says(
    fake: FakeSlack, channel: str, text: str, *, user: str = "U0ANALYST", thread_ts: str | None = None
) -> dict:
    """A person's message, stored as Slack stores it; returns it (its ts names the thread).

    Events about it (app_mention, message) are then sent to the app by the test, as Slack would.
    """
    with fake.lock:
        cid = fake._channel_id(channel)
        assert cid, f"unknown channel {channel}"
        msg = {"type": "message", "ts": fake._next_ts(), "text": text, "user": user}
        if thread_ts:
            msg["thread_ts"] = thread_ts
        fake.messages[cid].append(msg)
        return dict(msg, channel=cid)
