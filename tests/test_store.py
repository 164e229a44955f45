"""The store on both SQLite and PostgreSQL: idempotent writes, leases, outbox claims."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, select

from bot.models import Admin1, Fact, GroupMention, Item, Mentions, Place, ReplyDetails, Summary
from bot.store import ItemOutcome, NewAlert, Store, StoryRecord
from bot.store.schema import alerts, items, metadata

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


def item(n: int, source: str = "src") -> Item:
    return Item(
        source_id=source,
        guid=f"g{n}",
        url=f"https://example.org/{n}",
        title=f"Title {n}",
        summary="Summary.",
        published=NOW,
    )


def queue(store: Store, item_id: int, teams: list[str], kind: str = "parent") -> list[int]:
    story = StoryRecord(id=f"s{item_id}", title="t", first_item_id=item_id, opened_at=NOW, last_item_at=NOW)
    return store.record_processed(
        item_id,
        now=NOW,
        mentions=Mentions(),
        story=story,
        new_alerts=[NewAlert(t, f"#{t}", kind) for t in teams],
    )


def test_migrations_create_the_declared_schema(db_url):
    store = Store.open(db_url)
    found = inspect(store.engine)
    for table in metadata.sorted_tables:
        assert {c["name"] for c in found.get_columns(table.name)} == set(table.c.keys())
        assert {i.name for i in table.indexes} <= {i["name"] for i in found.get_indexes(table.name)}
    Store.open(db_url)  # a second start migrates nothing and does not fail


def test_items_are_stored_once_by_source_and_guid(db_url):
    store = Store.open(db_url)
    first = store.add_items([item(1), item(2)], now=NOW)
    again = store.add_items([item(1), item(2), item(3)], now=NOW)
    assert len(first) == 2 and len(again) == 1
    assert store.item(again[0]).item.guid == "g3"
    assert store.add_items([item(1, source="other")], now=NOW)  # same guid, other source


def test_a_batch_of_items_skips_what_is_stored_and_repeats_in_one_call(db_url):
    store = Store.open(db_url)
    [first] = store.add_items([item(2)], now=NOW)
    batch = [item(1), item(2), item(3), item(1), item(2, source="other"), item(3)]
    keys = [(f"https://example.org/{n}", f"key{n}") for n in range(len(batch))]
    ids = store.add_items(batch, now=NOW, keys=keys)
    # New ones only, each once (the first of a repeated guid), ids rising in the feed's order.
    got = [(s.item.source_id, s.item.guid) for s in map(store.item, ids)]
    assert got == [("src", "g1"), ("src", "g3"), ("other", "g2")]
    assert ids == sorted(ids) and first not in ids
    with store.engine.connect() as conn:
        stored = dict(conn.execute(select(items.c.id, items.c.content_key)).all())
    assert [stored[i] for i in ids] == ["key0", "key2", "key4"]
    assert store.add_items(batch, now=NOW) == []
    assert store.add_items([], now=NOW) == []
    many = store.add_items([item(n, source="big") for n in range(1200)], now=NOW)  # > one chunk
    [last] = store.add_items([item(n, source="big") for n in range(1201)], now=NOW)
    assert len(many) == 1200 and store.item(last).item.guid == "g1200"


def test_duplicates_in_one_batch_point_at_the_lowest_earlier_item(db_url):
    store = Store.open(db_url)
    [before] = store.add_items([item(0)], now=NOW, keys=[("u9", None)])  # an earlier cycle's
    batch = {
        "a": ("u1", "k1"),
        "b": ("u2", "k1"),
        "c": ("u1", None),
        "d": ("u3", "k3"),
        "e": ("u3", "k1"),
        "f": (None, None),
        "g": ("u9", "k7"),
        "h": ("u4", "k7"),
    }
    ids = dict(
        zip(
            batch,
            store.add_items([item(n + 1) for n in range(len(batch))], now=NOW, keys=list(batch.values())),
            strict=True,
        )
    )
    originals = store.duplicates(list(ids.values()))
    # e repeats d by URL and a by text: the original is the lowest of them; h repeats g, which
    # repeats the earlier cycle's item, and points at g (the lowest with its own keys).
    assert originals == {
        ids["b"]: ids["a"],
        ids["c"]: ids["a"],
        ids["e"]: ids["a"],
        ids["g"]: before,
        ids["h"]: ids["g"],
    }
    assert store.duplicates([ids["a"], ids["f"]]) == {}
    assert store.duplicates([ids["h"]]) == {ids["h"]: ids["g"]}  # the same answer alone

    queue(store, ids["c"], [])  # another worker processed c meanwhile: it is left alone
    assert store.mark_duplicates(originals, now=NOW) == 4
    with store.engine.connect() as conn:
        marked = dict(
            conn.execute(
                select(items.c.id, items.c.duplicate_of).where(items.c.processed_at.is_not(None))
            ).all()
        )
    assert marked == {
        ids["b"]: ids["a"],
        ids["c"]: None,
        ids["e"]: ids["a"],
        ids["g"]: before,
        ids["h"]: ids["g"],
    }
    left = store.claim_items(owner="w", now=NOW, lease=LEASE, limit=20)
    assert {s.id for s in left} == {before, ids["a"], ids["d"], ids["f"]}


def test_item_processing_is_all_or_nothing_and_once(db_url):
    store = Store.open(db_url)
    [iid] = store.add_items([item(1)], now=NOW)
    claimed = store.claim_items(owner="w1", now=NOW, lease=LEASE)
    assert [c.id for c in claimed] == [iid]
    assert store.claim_items(owner="w2", now=NOW, lease=LEASE) == []  # leased
    assert len(queue(store, iid, ["a", "b"])) == 2
    assert queue(store, iid, ["a", "b"]) == []  # already processed: nothing written
    assert store.claim_items(owner="w2", now=NOW + LEASE * 2, lease=LEASE) == []


def test_expired_item_lease_is_taken_over(db_url):
    store = Store.open(db_url)
    [iid] = store.add_items([item(1)], now=NOW)
    store.claim_items(owner="dead", now=NOW, lease=LEASE)
    later = NOW + LEASE + timedelta(seconds=1)
    assert [c.id for c in store.claim_items(owner="w2", now=later, lease=LEASE)] == [iid]


def test_one_alert_per_team_and_item(db_url):
    store = Store.open(db_url)
    [iid] = store.add_items([item(1)], now=NOW)
    story = StoryRecord(id="s1", title="t", first_item_id=iid, opened_at=NOW, last_item_at=NOW)
    ids = store.record_processed(
        iid,
        now=NOW,
        mentions=Mentions(),
        story=story,
        new_alerts=[NewAlert("a", "#a", "parent"), NewAlert("a", "#a", "parent")],
    )
    assert len(ids) == 1


def test_replies_wait_for_their_parent(db_url):
    store = Store.open(db_url)
    i1, i2 = store.add_items([item(1), item(2)], now=NOW)
    [parent] = queue(store, i1, ["a"])
    story = StoryRecord(id=f"s{i1}", title="t", first_item_id=i1, opened_at=NOW, last_item_at=NOW)
    [reply] = store.record_processed(
        i2, now=NOW, mentions=Mentions(), story=story, new_alerts=[NewAlert("a", "#a", "reply")]
    )
    claimed = store.claim_alerts(owner="w", now=NOW, lease=LEASE)
    assert [a.id for a in claimed] == [parent]
    store.mark_sent(parent, ts="111.1", now=NOW, owner="w")
    [r] = store.claim_alerts(owner="w", now=NOW, lease=LEASE)
    assert (r.id, r.kind, r.thread_ts) == (reply, "reply", "111.1")


def test_concurrent_claimants_never_get_the_same_row(db_url):
    store = Store.open(db_url)
    ids = store.add_items([item(n) for n in range(60)], now=NOW)
    for iid in ids:
        queue(store, iid, ["a"])
    got: dict[str, list[int]] = {}

    def claim(owner: str) -> None:
        mine = got.setdefault(owner, [])
        while batch := store.claim_alerts(owner=owner, now=NOW, lease=LEASE, limit=3):
            mine += [a.id for a in batch]

    threads = [threading.Thread(target=claim, args=(f"w{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    claimed = [i for ids_ in got.values() for i in ids_]
    assert len(claimed) == 60 and len(set(claimed)) == 60


def test_retry_and_failure_states(db_url):
    store = Store.open(db_url)
    [iid] = store.add_items([item(1)], now=NOW)
    [aid] = queue(store, iid, ["a"])
    store.claim_alerts(owner="w", now=NOW, lease=LEASE)
    store.mark_retry(aid, error="ratelimited", at=NOW + timedelta(seconds=30))
    assert store.claim_alerts(owner="w", now=NOW + timedelta(seconds=10), lease=LEASE) == []
    [again] = store.claim_alerts(owner="w", now=NOW + timedelta(seconds=31), lease=LEASE)
    assert again.attempts == 2
    store.mark_failed(aid, error="not_in_channel")
    q = store.queue_status(NOW)
    assert (q.pending, q.failed) == (0, 1)
    assert store.claim_alerts(owner="w", now=NOW + timedelta(days=1), lease=LEASE) == []


def test_stories_are_read_with_the_teams_that_have_their_card(db_url):
    store = Store.open(db_url)
    i1, i2, i3 = store.add_items([item(1), item(2), item(3)], now=NOW)
    story = StoryRecord(id="s1", title="t", first_item_id=i1, opened_at=NOW, last_item_at=NOW)
    other = replace(story, id="s3", first_item_id=i3)
    written = store.record_batch(
        [
            ItemOutcome(
                i1, Mentions(), story, (NewAlert("a", "#a", "parent"), NewAlert("b", "#b", "parent"))
            ),
            ItemOutcome(i2, Mentions(), story, (NewAlert("a", "#a", "reply"), NewAlert("c", "#c", "reply"))),
            ItemOutcome(i3, Mentions(), other),
        ],
        now=NOW,
    )
    assert [len(written[i]) for i in (i1, i2, i3)] == [2, 2, 0]
    found = store.stories_and_followers(["s1", "s3", "s-unknown"])
    assert set(found) == {"s1", "s3"}  # an unknown story is simply not there
    assert found["s1"][0].first_item_id == i1
    assert found["s1"][1] == {"a", "b"}  # "c" has a reply queued, not the card
    assert found["s3"][1] == set()


def test_a_batch_skips_items_another_worker_recorded_and_writes_the_rest(db_url):
    store = Store.open(db_url)
    i1, i2 = store.add_items([item(1), item(2)], now=NOW)
    queue(store, i1, ["a"])  # another worker got there first
    story = StoryRecord(id="s9", title="t", first_item_id=i2, opened_at=NOW, last_item_at=NOW)
    written = store.record_batch(
        [
            ItemOutcome(i1, Mentions(), story, (NewAlert("b", "#b", "parent"),)),
            ItemOutcome(i2, Mentions(), story, (NewAlert("b", "#b", "parent"),)),
        ],
        now=NOW,
    )
    assert list(written) == [i2] and len(written[i2]) == 1
    assert store.stories_and_followers(["s9"])["s9"][1] == {"b"}


def test_a_card_given_meanwhile_by_another_worker_turns_ours_into_a_reply(db_url):
    store = Store.open(db_url)
    i1, i2 = store.add_items([item(1), item(2)], now=NOW)
    story = StoryRecord(id="s1", title="t", first_item_id=i1, opened_at=NOW, last_item_at=NOW)
    store.record_processed(
        i1, now=NOW, mentions=Mentions(), story=story, new_alerts=[NewAlert("a", "#a", "parent")]
    )
    # We read the story before that write, so we think team "a" has no card yet.
    [late] = store.record_processed(
        i2, now=NOW, mentions=Mentions(), story=story, new_alerts=[NewAlert("a", "#a", "parent")]
    )
    with store.engine.connect() as conn:
        kinds = dict(conn.execute(select(alerts.c.id, alerts.c.kind)).all())
    assert kinds[late] == "reply" and sorted(kinds.values()) == ["parent", "reply"]


def test_a_story_in_a_batch_is_written_as_its_last_item_left_it(db_url):
    store = Store.open(db_url)
    i1, i2 = store.add_items([item(1), item(2)], now=NOW)
    first = StoryRecord(
        id="s1",
        title="t",
        first_item_id=i1,
        opened_at=NOW,
        last_item_at=NOW,
        mentions=Mentions(countries=("ML",)),
    )
    later = replace(first, last_item_at=NOW + LEASE, mentions=Mentions(countries=("ML", "BF")))
    store.record_batch([ItemOutcome(i1, Mentions(), first), ItemOutcome(i2, Mentions(), later)], now=NOW)
    stored = store.story("s1")
    assert stored.last_item_at == NOW + LEASE and stored.mentions == Mentions(countries=("ML", "BF"))
    assert {store.item(i).story_id for i in (i1, i2)} == {"s1"}


def test_mentions_summary_and_reply_details_come_back_typed_and_whole(db_url):
    """What the store keeps as JSON (an item's mentions, a story's summary and toll, a reply's
    details) comes back as the same typed values, state forces and dateline included."""
    store = Store.open(db_url)
    i1, i2 = store.add_items([item(1), item(2)], now=NOW)
    mentions = Mentions(
        countries=("ML",),
        admin1=(Admin1("ML", "Mopti"),),
        places=(Place("Boulikessi", "ML", "Mopti", 15.06, -1.3, (10, 20)),),
        regions=("Sahel",),
        groups=(
            GroupMention("JNIM", ("GSIM",), "al-Qaeda", (0, 4)),
            GroupMention("FAMa", ("Malian army",), None, (30, 34), state=True),
        ),
        dateline=Place("Bamako", "ML", "Bamako", 12.65, -8.0, (0, 6)),
    )
    summary = Summary(
        ("Gunmen attacked a base.",), (Fact("toll", "30+ soldiers killed", "It said.", (5, 9)),)
    )
    story = StoryRecord(
        id="s1",
        title="t",
        first_item_id=i1,
        opened_at=NOW,
        last_item_at=NOW,
        summary=summary,
        mentions=mentions,
        toll="40+ soldiers killed",
        toll_note="unverified",
    )
    details = ReplyDetails(("toll: 40+ soldiers killed",), "toll rose")
    written = store.record_batch(
        [
            ItemOutcome(i1, mentions, story, (NewAlert("a", "#a", "parent"),)),
            ItemOutcome(i2, Mentions(), story, (NewAlert("a", "#a", "reply", details=details),)),
        ],
        now=NOW,
    )
    assert store.story("s1") == story
    assert [m for _, m in store.story_reports("s1")] == [mentions, Mentions()]
    assert store.alert(written[i2][0]).details == details
