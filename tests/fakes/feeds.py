"""A local feed server: paths map to bodies that tests can change between polls."""

from __future__ import annotations

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FeedServer:
    def __init__(self) -> None:
        self.files: dict[str, tuple[bytes, str]] = {}  # path → (body, content type)
        self.hits: dict[str, int] = {}
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def put(self, path: str, body: bytes | str, ctype: str = "application/rss+xml") -> str:
        with self.lock:
            self.files[path] = (body.encode() if isinstance(body, str) else body, ctype)
        return self.url(path)

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                with fake.lock:
                    fake.hits[self.path] = fake.hits.get(self.path, 0) + 1
                    found = fake.files.get(self.path)
                if not found:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body, ctype = found
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler


def rss(items: list[dict], title: str = "Test feed") -> str:
    """A small RSS 2.0 document from dicts with guid, title, link, description, pubDate."""
    from xml.sax.saxutils import escape

    parts = [
        f"<item><guid>{escape(i['guid'])}</guid><title>{escape(i['title'])}</title>"
        f"<link>{escape(i.get('link', 'https://example.org/' + i['guid']))}</link>"
        f"<description>{escape(i.get('description', ''))}</description>"
        + (f"<pubDate>{i['pubDate']}</pubDate>" if i.get("pubDate") else "")
        + "</item>"
        for i in items
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://example.org/</link>"
        f"<description>test</description>{''.join(parts)}</channel></rss>"
    )
