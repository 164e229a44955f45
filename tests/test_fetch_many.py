"""fetch_many: concurrent, per-host limits, one slow host never delays the others."""

from __future__ import annotations

import threading
import time

from bot.config import SourceConfig
from bot.fetch.http import Limits, SafeHttp
from bot.fetch.pool import fetch_many
from tests import sources_fakes as fk

BODY = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><guid>1</guid>'
    b"<title>x</title></item></channel></rss>"
)


def test_slow_host_does_not_delay_fast_hosts():
    http = SafeHttp(
        limits=Limits(total_timeout=2.0, read_timeout=1.0, per_host=2), resolver=fk.fake_resolver({})
    )
    with (
        fk.serve({"/slow": fk.trickle(BODY * 50, every=0.05)}) as slow,
        fk.serve({"/fast": fk.feed(BODY)}) as fast,
    ):
        sources = [
            SourceConfig(id=f"slow{n}", kind="rss", url=slow.url("/slow"), allow_private=True)
            for n in range(4)
        ]
        sources += [
            SourceConfig(id=f"fast{n}", kind="rss", url=fast.url(f"/fast?n={n}"), allow_private=True)
            for n in range(30)
        ]
        started, finished = time.monotonic(), {}
        for result in fetch_many(sources, {}, http=http, max_workers=4):
            finished[result.source_id] = (time.monotonic() - started, result)
    fast_done = max(t for sid, (t, _) in finished.items() if sid.startswith("fast"))
    assert fast_done < 1.0  # while the slow host still holds its two workers
    assert all(r.ok for sid, (_, r) in finished.items() if sid.startswith("fast"))
    assert all("too slow" in r.error for sid, (_, r) in finished.items() if sid.startswith("slow"))
    assert len(finished) == 34


def test_per_host_limit_in_a_cycle():
    live, peak, lock = [0], [0], threading.Lock()

    def counted(h):
        with lock:
            live[0] += 1
            peak[0] = max(peak[0], live[0])
        time.sleep(0.05)
        with lock:
            live[0] -= 1
        fk.feed(BODY, etag=None)(h)

    http = SafeHttp(limits=Limits(per_host=3), resolver=fk.fake_resolver({}))
    with fk.serve({"/f": counted}) as web:
        sources = [
            SourceConfig(id=f"s{n}", kind="rss", url=web.url(f"/f?{n}"), allow_private=True)
            for n in range(20)
        ]
        results = list(fetch_many(sources, {}, http=http, max_workers=10))
    assert len(results) == 20 and all(r.ok for r in results)
    assert peak[0] == 3
