"""The world the chaos run drives: feeds that publish over time, and a Slack that misbehaves.

Both are the test fakes (real HTTP on 127.0.0.1), so the workers use their real clients.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime

from tests.fakes.feeds import FeedServer, rss
from tests.fakes.slack import FakeSlack, Fault

# (country, towns, two armed groups active there): each item names one town, its country and
# one group, so it matches two desks: the country's and the group's.
THEATRES = [
    ("Mali", ["Mopti", "Gao", "Timbuktu", "Kidal", "Bandiagara"], ["JNIM", "Katiba Macina"]),
    ("Burkina Faso", ["Djibo", "Dori", "Ouahigouya", "Kaya", "Arbinda"], ["Ansarul Islam", "Koglweogo"]),
    ("Niger", ["Tillaberi", "Ayorou", "Tera", "Diffa"], ["Islamic State Sahel Province", "al-Mourabitoun"]),
    ("Nigeria", ["Maiduguri", "Damboa", "Monguno", "Gwoza"], ["Boko Haram", "ISWAP"]),
    (
        "Somalia",
        ["Mogadishu", "Baidoa", "Kismayo", "Beledweyne"],
        ["al-Shabaab", "Islamic State Somalia Province"],
    ),
    ("Mozambique", ["Palma", "Pemba", "Macomia", "Mueda"], ["Islamic State Mozambique Province", "Renamo"]),
    ("Sudan", ["El Fasher", "Nyala", "Geneina", "Omdurman"], ["RSF", "SPLM-North"]),
    ("Ethiopia", ["Gondar", "Bahir Dar", "Lalibela", "Dessie"], ["Fano", "OLA"]),
    ("Central African Republic", ["Bambari", "Bria", "Kaga-Bandoro", "Bangassou"], ["anti-Balaka", "3R"]),
    ("Chad", ["Bol", "Abeche", "Mongo", "Faya-Largeau"], ["FACT"]),
]


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")


# Slack allows about one message per second per channel: one desk per country and per group
# keeps every channel near 0.25 alerts/s at the run's publishing rate, as a real deployment
# would be set up.
TEAMS = {_slug(c): f"regions: [{c}]" for c, _, _ in THEATRES} | {
    _slug(g): f'groups: ["{g}"]' for _, _, groups in THEATRES for g in groups
}
CHANNELS = {f"{name}-alerts": f"C{n:09d}" for n, name in enumerate(TEAMS)}
TEAMS_YAML = "teams:\n" + "".join(
    f'  - {{name: {name}, channel: "#{name}-alerts", watch: {{{watch}}}}}\n' for name, watch in TEAMS.items()
)

ACTS = [
    "attacked a military post",
    "ambushed a supply convoy",
    "raided a market",
    "stormed a police station",
    "kidnapped travellers",
    "planted a roadside bomb",
    "shelled a camp for displaced people",
    "besieged a garrison",
    "burned a health centre",
    "seized cattle and fuel",
]
DETAILS = [
    "witnesses described heavy gunfire",
    "the road was closed for hours",
    "aid groups suspended work",
    "schools stayed shut",
    "residents fled towards the river",
    "a curfew was announced",
    "phone networks were cut",
    "reinforcements arrived by helicopter",
    "the wounded were evacuated",
    "local leaders called for talks",
]
FEED_WINDOW = 60  # items a feed shows, like real feeds: ~100 s of publishing per feed
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def make_item(n: int, source: str, rng: random.Random, published: datetime) -> dict:
    """One distinct event report; the words vary so stories do not all merge."""
    country, towns, groups = rng.choice(THEATRES)
    town, group, act = rng.choice(towns), rng.choice(groups), rng.choice(ACTS)
    dead = rng.randint(2, 90)
    detail = " and ".join(rng.sample(DETAILS, 2))
    title = f"{group} fighters {act} near {town}, {country}; {dead} killed ({source} #{n})"
    text = (
        f"Fighters from {group} {act} near {town} in {country} on {rng.choice(DAYS)}, killing "
        f"at least {dead} people, officials said. Afterwards {detail}. Report reference {n}-{source}."
    )
    return {
        "guid": f"{source}-{n}",
        "title": title,
        "description": text,
        "link": f"https://news.example.org/{source}/{n}",
        "pubDate": format_datetime(published),
    }


@dataclass
class Publisher:
    """Publishes `total` items spread over `seconds` across a few feeds; remembers when."""

    feeds: FeedServer
    sources: list[str]
    total: int
    seconds: float
    rng: random.Random
    published: dict[str, float] = field(default_factory=dict)  # guid → epoch seconds
    items: dict[str, dict] = field(default_factory=dict)
    done: threading.Event = field(default_factory=threading.Event)

    def urls(self) -> dict[str, str]:
        return {s: self.feeds.put(f"/{s}.xml", rss([], title=s)) for s in self.sources}

    def run(self, stop: threading.Event) -> None:
        per_feed: dict[str, list[dict]] = {s: [] for s in self.sources}
        start = time.monotonic()
        for n in range(self.total):
            if stop.wait(max(0.0, start + n * self.seconds / self.total - time.monotonic())):
                break
            source = self.sources[n % len(self.sources)]
            now = datetime.now(UTC)
            item = make_item(n, source, self.rng, now)
            per_feed[source].insert(0, item)  # newest first, like real feeds
            del per_feed[source][FEED_WINDOW:]
            self.items[item["guid"]] = item
            self.published[item["guid"]] = now.timestamp()
            self.feeds.put(f"/{source}.xml", rss(per_feed[source], title=source))
        self.done.set()


@dataclass
class FaultMix:
    """Odds per Web API call; hangs longer than the client's 15 s timeout end in a 503."""

    rate_limited: float = 0.05
    server_error: float = 0.05
    slow: float = 0.02  # answers after 3 s, successfully
    timeout: float = 0.005  # 20 s, then 503: the client gave up long before
    history_error: float = 0.05  # conversations.history/replies answer 500


class ChaosSlack(FakeSlack):
    """The fake Slack Web API, failing at random (seeded) as well as on request."""

    def __init__(self, mix: FaultMix, rng: random.Random, **kw):
        super().__init__(**kw)
        self.mix = mix
        self.rng = rng
        self.rng_lock = threading.Lock()
        self.injected: dict[str, int] = {"429": 0, "5xx": 0, "slow": 0, "timeout": 0}
        # Killed workers and timed-out clients leave broken pipes: expected here, not news.
        self.server.handle_error = lambda *_: None

    def _take_fault(self, method: str) -> Fault | None:
        planned = super()._take_fault(method)
        if planned:
            return planned
        with self.rng_lock:
            roll = self.rng.random()
            retry_after = self.rng.randint(1, 3)
        if method in ("conversations.history", "conversations.replies"):
            return self._count("5xx", Fault(method, status=500)) if roll < self.mix.history_error else None
        if method not in ("chat.postMessage", "chat.update"):
            return None
        m = self.mix
        edges = [
            (m.rate_limited, "429", Fault(method, status=429, retry_after=retry_after)),
            (m.server_error, "5xx", Fault(method, status=500)),
            (m.slow, "slow", Fault(method, hang=3.0)),
            (m.timeout, "timeout", Fault(method, status=503, hang=20.0)),
        ]
        for odds, kind, fault in edges:
            if roll < odds:
                return self._count(kind, fault)
            roll -= odds
        return None

    def _count(self, kind: str, fault: Fault) -> Fault:
        with self.rng_lock:
            self.injected[kind] += 1
        return fault
