"""A fetch cycle over many sources: concurrent, polite per host, never held up by one.

A plain thread pool would let one host with many slow sources fill every
worker. Here a dispatcher hands a source to a worker only when its host has
a free slot, so a slow host occupies at most `per_host` workers and every
other host keeps moving.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from bot.config import SourceConfig, Watch
from bot.fetch.http import SafeHttp, host_key
from bot.fetch.source import FetchResult, FetchState, IsNew, fetch


def fetch_many(
    sources: Sequence[SourceConfig],
    states: Mapping[str, FetchState],
    *,
    http: SafeHttp,
    watches: Sequence[Watch] = (),
    max_workers: int = 16,
    per_host: int | None = None,
    is_new: IsNew | None = None,
) -> Iterator[FetchResult]:
    """Yield one FetchResult per source, in the order they finish."""
    limit = per_host or http.limits.per_host
    queues: dict[str, deque[SourceConfig]] = defaultdict(deque)
    for source in sources:
        queues[host_key(source.url)].append(source)
    busy: dict[str, int] = defaultdict(int)
    running: dict[Future[FetchResult], str] = {}
    with ThreadPoolExecutor(max_workers=max(1, max_workers), thread_name_prefix="lookout-fetch") as pool:
        while queues or running:
            for host in list(queues):
                while len(running) < max_workers and busy[host] < limit and queues[host]:
                    source = queues[host].popleft()
                    future = pool.submit(
                        fetch,
                        source,
                        states.get(source.id, FetchState()),
                        http=http,
                        watches=watches,
                        is_new=is_new,
                    )
                    running[future] = host
                    busy[host] += 1
                if not queues[host]:
                    del queues[host]
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                busy[running.pop(future)] -= 1
                yield future.result()  # fetch() never raises
