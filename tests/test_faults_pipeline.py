"""Phase 2 of the fault suite: every fault at once, through the real poll cycle.

All faulty sources share one cycle with two good feeds (tests/fixtures/news) and a feed
whose story matches teams but repeats itself (duplicate GUIDs, an item with
no GUID or link). Two forced cycles run against a real store and the fake
Slack: the cycle finishes, health lands in the store, and nothing is posted twice.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot import pipeline
from bot.app.build import build_delivery, build_poster
from bot.fetch.http import SafeHttp
from bot.models import Item
from tests import sources_fakes as fk
from tests.news import jsonl
from tests.test_faults import FAULTS, LIMITS, LOOP, PUBLIC, _rss

STORY = (
    "<item><guid>mopti-1</guid><title>Gunmen attack army base in Mopti, Mali</title>"
    "<description>JNIM fighters attacked an army base near Boulikessi in the Mopti region "
    "of Mali on Tuesday, the army said.</description></item>"
)
REPEATS = _rss(
    STORY
    + STORY.replace("Gunmen attack", "Update: gunmen attack")
    + "<item><title>Kidnapping reported on the road to Mopti</title>"
    "<description>Armed men kidnapped travellers near Mopti, Mali.</description></item>"
)


def _sources_yaml(web, ports) -> str:
    lines = ["sources:"]
    for f in FAULTS:
        url = f.url(web, ports) if f.url else web.url(f"/fault/{f.name}", PUBLIC)
        lines.append(
            f"  - {{id: {f.name}, kind: rss, url: '{url}', allow_private: {str(f.allow_private).lower()}}}"
        )
    for sid, path, kind in (
        ("bbc-africa", "/bbc-africa", "rss"),
        ("allafrica", "/allafrica", "rdf"),
        ("repeats", "/repeats", "rss"),
    ):
        lines.append(f"  - {{id: {sid}, kind: {kind}, url: '{web.url(path, PUBLIC)}'}}")
    return "\n".join(lines) + "\n"


def test_all_faults_in_one_real_cycle(make_services, fake_slack):
    routes = {
        **LOOP,
        "/hop1": fk.redirect("/hop2", 301),
        "/hop2": fk.redirect("/fault-ok", 302),
        "/fault-ok": fk.feed(_rss("<item><guid>g1</guid><title>one</title></item>")),
        "/bbc-africa": fk.feed(fk.rss_from_entries(jsonl("bbc-africa.jsonl"))),
        "/allafrica": fk.feed(fk.rdf_from_entries(jsonl("allafrica.jsonl")), etag=None),
        "/repeats": fk.feed(REPEATS, etag=None),  # re-parsed every cycle: ids must be stable
    }
    routes |= {f"/fault/{f.name}": f.route() for f in FAULTS if f.route}
    with fk.serve(routes) as web, fk.refusing_port() as refused, fk.unaccepting_port() as stuck:
        services = make_services(sources=_sources_yaml(web, {"refused": refused, "stuck": stuck}))
        services.http = SafeHttp(
            limits=LIMITS,
            resolver=fk.fake_resolver({PUBLIC: "127.0.0.1"}),
            exempt=frozenset({("127.0.0.1", web.port)}),
        )
        for f in FAULTS:  # conditional-GET faults start from a remembered validator
            if f.state.etag:
                services.store.ensure_sources([f.name])
                services.store.record_fetch(f.name, values={"etag": f.state.etag})
        delivery = build_delivery(services, build_poster(services.settings))
        reports, posted = [], []
        for _ in range(2):
            reports.append(pipeline.poll(services, force=True))
            delivery.drain()
            posted.append(len(fake_slack.calls_to("chat.postMessage")))

    first, second = reports
    assert first.polled == second.polled == len(FAULTS) + 3  # every cycle finished for all
    states = {s.id: s for s in services.store.source_states()}
    for f in FAULTS:
        state = states[f.name]
        if f.error:
            assert re.search(f.error, state.last_error or ""), (f.name, state.last_error)
            assert state.consecutive_failures == 2 and state.last_success is None, f.name
        else:
            assert state.last_error is None and state.consecutive_failures == 0, f.name
            assert state.last_success is not None, f.name
    for good in ("bbc-africa", "allafrica", "repeats"):
        assert states[good].healthy and states[good].consecutive_failures == 0
    assert states["bbc-africa"].items_seen == 20 and states["allafrica"].items_seen == 12

    # the repeated story reached the Sahel desk once; nothing was posted again in cycle two
    sahel = [m["text"] for m in fake_slack.top_level("#sahel-alerts")]
    everything = [m["text"] for m in fake_slack.posts("#sahel-alerts")]
    assert sum("Mopti" in t and "army base" in t for t in sahel) == 1, everything
    assert sum("Kidnapping reported" in t for t in everything) <= 1, everything
    assert posted[0] > 0 and posted[1] == posted[0]
    assert second.new_items == 0


def test_an_item_the_database_refuses_waits_and_the_rest_of_its_batch_is_recorded(make_services):
    services = make_services()
    now = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    heads = [
        "Gunmen attack army base in Mopti, Mali",
        "Boko Haram fighters raid Borno village",
        "Al-Shabaab claims Mogadishu hotel siege",
    ]
    ids = services.store.add_items(
        [
            Item(
                source_id="wire",
                guid=f"g{n}",
                url=f"https://news.example/{n}",
                title=h,
                summary=f"{h}, officials said on Tuesday.",
                published=now,
            )
            for n, h in enumerate(heads)
        ],
        now=now,
    )
    poison = ids[1]
    with services.store.engine.begin() as conn:  # a real database failure, for one row only
        conn.exec_driver_sql(
            f"CREATE TRIGGER poison BEFORE UPDATE OF processed_at ON items "
            f"WHEN NEW.id = {poison} BEGIN SELECT RAISE(ABORT, 'poison'); END"
        )
    report = pipeline.process_pending(services, now=now)
    assert report.errors == {f"item {poison}": "processing failed"}
    assert [services.store.item(i).story_id is not None for i in ids] == [True, False, True]

    with services.store.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER poison")
    later = pipeline.process_pending(services, now=now + timedelta(hours=1))  # lease expired
    assert later.errors == {} and services.store.item(poison).story_id is not None
    again = pipeline.process_pending(services, now=now + timedelta(hours=2))
    assert again.alerts == 0 and again.errors == {}
