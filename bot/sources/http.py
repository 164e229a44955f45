"""The one HTTP client every fetch goes through: timeouts, size cap, polite headers."""

from __future__ import annotations

from dataclasses import dataclass

import requests

from bot import __version__

USER_AGENT = f"Lookout/{__version__} (conflict-news Slack bot; +https://github.com/lookout-bot)"


class FetchError(Exception):
    """A fetch that failed; `status` and `retry_after` say whether retrying helps."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class Response:
    url: str  # final URL after redirects
    status: int
    headers: dict[str, str]  # lower-cased names
    body: bytes


class SafeHttp:
    def __init__(self, *, connect_timeout: float = 5, read_timeout: float = 20,
                 max_bytes: int = 10 * 1024 * 1024):
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.timeout = (connect_timeout, read_timeout)
        self.max_bytes = max_bytes

    def get(self, url: str, *, allow_private: bool = False, etag: str | None = None,
            last_modified: str | None = None) -> Response:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            with self.session.get(url, headers=headers, timeout=self.timeout, stream=True) as r:
                body = self._read_capped(r)
        except requests.RequestException as e:
            raise FetchError(f"{type(e).__name__}: {e}") from None
        if r.status_code >= 400:
            raise FetchError(f"HTTP {r.status_code}", status=r.status_code)
        return Response(r.url, r.status_code, {k.lower(): v for k, v in r.headers.items()}, body)

    def _read_capped(self, r: requests.Response) -> bytes:
        chunks, size = [], 0
        for chunk in r.iter_content(64 * 1024):
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"body larger than {self.max_bytes} bytes", status=r.status_code)
            chunks.append(chunk)
        return b"".join(chunks)
