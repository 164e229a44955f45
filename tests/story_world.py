"""A small world for story-thread tests: four outlets on the fake feed server, three teams,
the real pipeline and delivery against the fake Slack, and the running app for events."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import format_datetime
from urllib.parse import urlencode

import requests

from bot.app.build import build_delivery
from bot.app.web import WebServer, wsgi_app
from bot.clock import utcnow
from bot.deliver.outbox import Delivery
from bot.deliver.poster import SlackPoster
from bot.models import Item
from bot.pipeline import poll
from bot.services import Services
from bot.slack.app import build_app, web_client
from bot.stories.urls import dedup_keys
from tests.fakes.feeds import FeedServer, rss
from tests.fakes.slack import FakeSlack
from tests.slack_requests import SECRET, signed

OUTLETS = {"reuters": "Reuters", "aljazeera": "Al Jazeera", "rfi": "RFI", "bbc": "BBC"}
SAHEL, AQ, SOMALIA = "C0SAHEL001", "C0AQAFF001", "C0SOMALI01"
MEMBERS = ("U0ANALYST", "U0EDITOR")
# One team names its channel "#name", as teams.yaml allows; threads are still found by id.
TEAMS = """
teams:
  - name: sahel-desk
    channel: "#sahel-alerts"
    watch: {regions: [Sahel]}
  - name: aq-tracker
    channel: C0AQAFF001
    watch: {groups: [al-Qaeda]}
  - name: somalia-desk
    channel: "#somalia"
    watch: {regions: [Somalia]}
"""

# Three reports of one event, as the issue describes them.
CLAIM = (
    "reuters",
    "JNIM claims attack on army base in Boulikessi, Mali",
    "The al-Qaeda-linked group JNIM said on Sunday its fighters seized an army base in "
    "Boulikessi, in Mali's Mopti region near the border with Burkina Faso. Over 30 soldiers "
    "were killed, security sources said.",
)
ARMY = (
    "aljazeera",
    "Mali army says it repelled assault in Boulikessi",
    "Mali's armed forces said they repelled a terrorist assault on their camp in Boulikessi "
    "on Sunday and carried out a tactical withdrawal. The army did not give a toll.",
)
TOLL_RISE = (
    "rfi",
    "Mali: at least 40 soldiers killed in Boulikessi attack claimed by JNIM",
    "At least 40 soldiers were killed when JNIM fighters attacked the army camp in "
    "Boulikessi, in central Mali, local officials told RFI.",
)
SOMALIA_RAID = (
    "bbc",
    "Al-Shabaab fighters attack checkpoint near Mogadishu",
    "Al-Shabaab militants attacked a police checkpoint near Mogadishu, Somalia, killing three officers.",
)


@dataclass
class World:
    services: Services
    delivery: Delivery
    feeds: FeedServer
    fake: FakeSlack
    published: dict[str, list[dict]] = field(default_factory=dict)

    def publish(
        self,
        report: tuple[str, str, str],
        *,
        guid: str | None = None,
        at: datetime | None = None,
        title: str | None = None,
    ) -> str:
        """Put an article on its outlet's feed; returns its link."""
        source, headline, text = report
        items = self.published.setdefault(source, [])
        guid = guid or f"{source}-{len(items) + 1}"
        link = f"https://{source}.example.org/news/{guid}"
        # Distinct times, a minute apart, so "first" and "oldest first" are well defined.
        at = at or utcnow() - timedelta(hours=2) + timedelta(minutes=sum(map(len, self.published.values())))
        items.append(
            {
                "guid": guid,
                "title": title or headline,
                "link": link,
                "description": text,
                "pubDate": format_datetime(at, usegmt=True),
            }
        )
        self.feeds.put(f"/{source}.xml", rss(items, title=OUTLETS[source]))
        return link

    def arrive(self, item: Item) -> None:
        """An item stored as a source adapter would store it, before the next cycle processes it
        (for text no feed parser would let through, from adapters that do less cleaning)."""
        self.services.store.add_items([item], now=utcnow(), keys=[dedup_keys(item)])

    def cycle(self):
        """One poll of every outlet, then delivery until nothing is due."""
        report = poll(self.services, force=True)
        assert not report.errors, report.errors
        return self.delivery.drain()

    def card(self, channel: str) -> dict:
        [card] = self.fake.top_level(channel)
        return card

    def thread(self, channel: str) -> list[dict]:
        return self.fake.replies(channel, self.card(channel)["ts"])


def build_world(make_services, feeds: FeedServer, fake: FakeSlack, db_url: str | None = None) -> World:
    urls = {s: feeds.put(f"/{s}.xml", rss([], title=label)) for s, label in OUTLETS.items()}
    sources = "sources:\n" + "".join(
        f"  - {{id: {s}, name: '{label}', kind: rss, url: '{urls[s]}', allow_private: true}}\n"
        for s, label in OUTLETS.items()
    )
    services = make_services(teams=TEAMS, sources=sources, db_url=db_url)
    # Who is in which channel: only members may mute (as with `/lookout mute`).
    fake.members.update({SAHEL: list(MEMBERS), AQ: list(MEMBERS)})
    poster = SlackPoster(web_client(services.settings), pace_seconds=0)
    return World(services, build_delivery(services, poster), feeds, fake)


class App:
    """The running HTTP app, and signed requests to it as Slack sends them."""

    def __init__(self, services: Services):
        bolt = build_app(services.settings, services)
        self.web = WebServer(
            wsgi_app(lambda: bolt, lambda: (True, {"ok": True}), signing_secret=SECRET),
            host="127.0.0.1",
            port=0,
        ).start()
        self.url = f"http://127.0.0.1:{self.web.port}/slack/events"
        self._events = 0

    def stop(self) -> None:
        self.web.stop()

    def event(self, event: dict, *, retry: int | None = None, event_id: str | None = None):
        self._events += 1
        body = json.dumps(
            {
                "token": "x",
                "team_id": "T1",
                "api_app_id": "A1",
                "type": "event_callback",
                "event_id": event_id or f"Ev{self._events:06d}",
                "event_time": int(time.time()),
                "event": event,
            }
        )
        headers = signed(body, "application/json")
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        r = requests.post(self.url, data=body, headers=headers, timeout=5)
        assert r.status_code == 200, r.text
        return r

    def mention(
        self,
        fake: FakeSlack,
        channel: str,
        text: str,
        *,
        thread_ts: str | None,
        user: str = "U0ANALYST",
        retry: int | None = None,
        event_id: str | None = None,
    ) -> dict:
        """A person mentions the bot (the message lands in Slack, then the event comes)."""
        from tests.fakes.slack import person_says

        msg = person_says(fake, channel, f"<@UBOT> {text}", user=user, thread_ts=thread_ts)
        event = {
            "type": "app_mention",
            "user": user,
            "text": msg["text"],
            "ts": msg["ts"],
            "channel": msg["channel"],
            "event_ts": msg["ts"],
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        self.event(event, retry=retry, event_id=event_id)
        return event

    def press(
        self,
        fake: FakeSlack,
        channel: str,
        card: dict,
        action_id: str,
        *,
        user: str = "U0ANALYST",
        response: str = "r1",
    ) -> None:
        """Press one of the card's buttons, with the card's own block and value."""
        [actions] = [b for b in card["blocks"] if b["type"] == "actions"]
        [button] = [e for e in actions["elements"] if e["action_id"] == action_id]
        payload = {
            "type": "block_actions",
            "user": {"id": user, "team_id": "T1"},
            "api_app_id": "A1",
            "team": {"id": "T1"},
            "channel": {"id": channel},
            "container": {"type": "message", "message_ts": card["ts"], "channel_id": channel},
            "message": {"ts": card["ts"], "blocks": card["blocks"]},
            "trigger_id": f"trigger-{time.monotonic_ns()}",  # unique per press, as in Slack
            "response_url": fake.response_url(response),
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": actions["block_id"],
                    "value": button["value"],
                    "type": "button",
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        body = urlencode({"payload": json.dumps(payload)})
        r = requests.post(
            self.url, data=body, headers=signed(body, "application/x-www-form-urlencoded"), timeout=5
        )
        assert r.status_code == 200, r.text


def text_of(msg: dict) -> str:
    """Everything a person reads in a message: its blocks (or its fallback text)."""
    parts = [msg.get("text", "")]
    for b in msg.get("blocks") or []:
        if b.get("text"):
            parts.append(b["text"]["text"])
        parts += [f["text"] for f in b.get("fields", [])]
        parts += [e.get("text", "") for e in b.get("elements", []) if isinstance(e.get("text"), str)]
    return "\n".join(parts)
