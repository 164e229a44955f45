"""The one HTTP client every fetch goes through.

Polite: one pooled session, a descriptive User-Agent, conditional GET, a
per-host concurrency limit. Hostile-proof: connect, read and total deadlines,
a body cap that also applies after decompression, a redirect limit with loop
detection, and an address guard on every hop (see guard.py).
"""

from __future__ import annotations

import threading
import time
import zlib
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from bot import __version__
from bot.errors import BlockedAddress, FetchError
from bot.fetch.deadline import Deadlines
from bot.fetch.guard import AddressGuard, Resolver, pool_classes, system_resolver
from bot.fetch.redact import redact

USER_AGENT = (
    f"Lookout/{__version__} (conflict and security news monitor for Slack; "
    "polls politely with conditional GET)"
)
REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_RETRY_AFTER = 24 * 3600.0


@dataclass(frozen=True)
class Response:
    url: str  # final URL after redirects
    status: int
    headers: dict[str, str]  # lower-cased names
    body: bytes

    @property
    def charset(self) -> str | None:
        """The charset the Content-Type header claims, if any."""
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip("\"' ").lower()
        return None


@dataclass(frozen=True)
class Limits:
    connect_timeout: float = 5.0
    read_timeout: float = 15.0  # longest silence between two packets
    total_timeout: float = 30.0  # whole request including redirects and body
    max_bytes: int = 10 * 1024 * 1024  # after decompression
    max_redirects: int = 5
    per_host: int = 4  # concurrent requests to one host


class SafeHttp:
    """Thread-safe; share one instance for the whole process."""

    def __init__(
        self,
        *,
        limits: Limits | None = None,
        resolver: Resolver = system_resolver,
        exempt: frozenset[tuple[str, int]] = frozenset(),
        pool_size: int = 32,
        ca_bundle: str | None = None,
    ):
        self.limits = limits or Limits()
        self._deadlines = Deadlines()
        self._sessions = {
            allow: _session(AddressGuard(resolver, allow, exempt), self._deadlines, pool_size)
            for allow in (False, True)
        }
        if ca_bundle:  # a private CA (corporate proxy, tests); certificates are always verified
            for session in self._sessions.values():
                session.verify = ca_bundle
        self._host_slots: dict[str, threading.BoundedSemaphore] = defaultdict(
            lambda: threading.BoundedSemaphore(self.limits.per_host)
        )
        self._slots_lock = threading.Lock()

    def close(self) -> None:
        for session in self._sessions.values():
            session.close()

    def get(
        self,
        url: str,
        *,
        allow_private: bool = False,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
    ) -> Response:
        """GET url following safe redirects; raises FetchError for anything but 2xx/304."""
        headers = {"Accept-Encoding": "gzip, deflate"}
        if accept:
            headers["Accept"] = accept
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        with self._host_slot(url), self._deadlines.limit(self.limits.total_timeout) as ticket:
            try:
                response = self._follow(url, headers, allow_private=allow_private)
            except (requests.RequestException, urllib3.exceptions.HTTPError, OSError, zlib.error) as e:
                raise (self._too_slow() if ticket.expired else FetchError(_describe(e))) from None
            except BlockedAddress as e:
                raise FetchError(str(e)) from None
            if ticket.expired:  # a body with no Content-Length ends when cut: it looked complete
                raise self._too_slow()
            return response

    def _too_slow(self) -> FetchError:
        return FetchError(f"too slow: no complete answer within {self.limits.total_timeout:g} s")

    def _follow(self, url: str, headers: dict[str, str], *, allow_private: bool) -> Response:
        """allow_private covers the URL as configured: a redirect to another host or port is
        guarded like any public URL, so a local feed cannot point us at other local services."""
        seen: list[str] = []
        origin = host_key(url)
        while True:
            _check_scheme(url)
            session = self._sessions[allow_private and host_key(url) == origin]
            if url in seen:
                raise FetchError(redact(f"redirect loop: {' -> '.join([*seen, url])}"))
            seen.append(url)
            timeout = (self.limits.connect_timeout, self.limits.read_timeout)
            with session.get(url, headers=headers, timeout=timeout, stream=True, allow_redirects=False) as r:
                location = r.headers.get("location")
                if r.status_code in REDIRECTS and location:
                    if len(seen) > self.limits.max_redirects:
                        raise FetchError(
                            f"more than {self.limits.max_redirects} redirects from {redact(seen[0])}",
                            status=r.status_code,
                        )
                    url = urljoin(url, location.strip())
                    continue
                return self._finish(r, url)

    def _finish(self, r: requests.Response, url: str) -> Response:
        status = r.status_code
        if status >= 300 and status != 304:
            raise FetchError(
                f"HTTP {status}{_reason(r)} from {redact(url)}",
                status=status,
                retry_after=parse_retry_after(r.headers.get("retry-after")),
            )
        body = b"" if status == 304 else read_capped(r, self.limits.max_bytes)
        headers = {k.lower(): v for k, v in r.headers.items()}
        return Response(url, status, headers, body)

    @contextmanager
    def _host_slot(self, url: str) -> Iterator[None]:
        with self._slots_lock:
            slot = self._host_slots[host_key(url)]
        with slot:
            yield


def _session(guard: AddressGuard, deadlines: Deadlines, pool_size: int) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # env proxies and .netrc would bypass the address guard
    session.headers["User-Agent"] = USER_AGENT
    adapter = HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0)
    adapter.poolmanager.pool_classes_by_scheme = pool_classes(guard, deadlines)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def host_key(url: str) -> str:
    """What 'one host' means for politeness limits: scheme-less host:port."""
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}:{parts.port or ''}"


def _check_scheme(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"refused URL {redact(url[:200])!r}: only http and https with a host are fetched")


def read_capped(r: requests.Response, max_bytes: int) -> bytes:
    """The body, decompressed by us so a gzip bomb stops at max_bytes of output."""
    encoding = r.headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        decoder = None
    elif encoding in ("gzip", "x-gzip", "deflate"):
        decoder = zlib.decompressobj(wbits=47)  # 32+15: gzip or zlib header, detected
    else:
        raise FetchError(f"unsupported Content-Encoding {encoding!r}", status=r.status_code)
    out, size, wire = [], 0, 0
    for chunk in r.raw.stream(64 * 1024, decode_content=False):
        wire += len(chunk)
        data = chunk if decoder is None else decoder.decompress(chunk, max_bytes - size + 1)
        while decoder is not None and decoder.unconsumed_tail and size + len(data) <= max_bytes:
            data += decoder.decompress(decoder.unconsumed_tail, max_bytes - size - len(data) + 1)
        size += len(data)
        if size > max_bytes or wire > max_bytes:
            raise FetchError(
                f"body larger than {max_bytes} bytes{' after decompression' if decoder else ''}",
                status=r.status_code,
            )
        out.append(data)
    return b"".join(out)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date), capped at a day."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    delta = when.timestamp() - (time.time() if now is None else now)
    return min(max(delta, 0.0), MAX_RETRY_AFTER)


def _reason(r: requests.Response) -> str:
    return f" {r.reason}" if r.reason else ""


def _describe(e: Exception) -> str:
    """One line that says what went wrong, without urllib3's nested reprs."""
    root = _root_cause(e)
    name = type(root).__name__
    where = ""
    conn = getattr(root, "conn", None) or getattr(root, "pool", None)
    if conn is not None and getattr(conn, "host", None):
        where = f" ({conn.host}:{conn.port})"
    for kind, label in (
        ("NameResolutionError", "DNS lookup failed"),
        ("ConnectTimeoutError", "connect timed out"),
        ("ReadTimeoutError", "read timed out"),
        ("SSLError", "TLS error"),
        ("SSLCertVerificationError", "TLS certificate not trusted"),
        ("ProtocolError", "connection broken"),
    ):
        if name == kind:
            return f"{label}{where}"
    text = str(root)
    if "Connection refused" in text:
        return f"connection refused{where}"
    if "timed out" in text:
        return f"timed out{where}"
    return f"{name}{where}: {redact(text)[:200]}"


def _root_cause(e: BaseException) -> BaseException:
    """requests wraps MaxRetryError wraps the urllib3 error that says what happened."""
    seen = 0
    while seen < 5:
        seen += 1
        inner = getattr(e, "reason", None)
        if isinstance(inner, BaseException):
            e = inner
            continue
        if e.args and isinstance(e.args[0], BaseException):
            e = e.args[0]
            continue
        break
    return e
