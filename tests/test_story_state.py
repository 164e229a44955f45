"""The live story state on both stores: replicas that share the items agree on every story."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.models import Event, Item, Mentions
from bot.store import ItemOutcome, Store, StoredItem, StoryRecord
from bot.stories import Clusterer, StoryDoc
from bot.stories.tracker import StoryTracker

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
# With all three seen, the third joins the second's story; without the second, the first's.
HEADLINES = [
    "Suspected herders kill 9 in raid on villages in Nigeria's Kogi state",
    "Gunmen kill 12 worshippers in Benue church",
    "Worshippers killed in Kogi and Benue church attacks",
]


def add(store: Store, n: int) -> StoredItem:
    item = Item(
        source_id=f"wire{n}",
        guid=f"g{n}",
        url=f"https://news.example/{n}",
        title=HEADLINES[n],
        published=NOW - timedelta(hours=6 - n),
    )
    [iid] = store.add_items([item], now=NOW)
    return StoredItem(iid, item)


def process(store: Store, tracker: StoryTracker, stored: StoredItem, now: datetime) -> str:
    """What the pipeline does for one item, without matching: catch up, assign, record."""
    tracker.catch_up(store, now)
    story_id = tracker.assign(stored, Mentions()).story_id
    when = stored.item.published
    story = StoryRecord(
        id=story_id, title=stored.item.title, first_item_id=stored.id, opened_at=when, last_item_at=when
    )
    store.record_processed(stored.id, now=now, mentions=Mentions(), story=story, new_alerts=[])
    return story_id


def test_a_replica_restores_what_another_processed_after_its_own_assignments(db_url):
    store = Store.open(db_url)
    first, second, third = (add(store, n) for n in range(3))
    a, b = StoryTracker(), StoryTracker()
    s1 = process(store, a, first, NOW)
    # The other replica's clock is 5 minutes behind: its item looks processed before our
    # last sync, and must still be restored before we assign the next one.
    s2 = process(store, b, second, NOW - timedelta(minutes=5))
    s3 = process(store, a, third, NOW + timedelta(seconds=1))

    alone = Clusterer()
    expected = [
        alone.add(StoryDoc.from_item(s.item, doc_id=str(s.id))).story_id for s in (first, second, third)
    ]
    assert [s1, s2, s3] == expected
    assert s3 == s2 != s1
    assert a.clusterer.story_of(str(second.id)) == s2


def test_catch_up_reads_ids_in_the_margin_and_only_unknown_items_in_full(db_url):
    store = Store.open(db_url)
    stored = [add(store, n) for n in range(3)]
    tracker = StoryTracker()
    ids = [process(store, tracker, s, NOW + timedelta(seconds=n)) for n, s in enumerate(stored)]
    # Everything is inside the margin, so every id comes back, and the tracker knows them all.
    assert store.processed_ids_since(NOW - timedelta(minutes=10)) == [s.id for s in stored]
    tracker.catch_up(store, NOW + timedelta(seconds=5))
    assert [tracker.clusterer.story_of(str(s.id)) for s in stored] == ids
    assert store.items_with_mentions([]) == []
    assert [s.id for s, _ in store.items_with_mentions([stored[2].id, stored[0].id, 999])] == [
        stored[0].id,
        stored[2].id,
    ]


def test_catch_up_leaves_out_what_this_replica_processed(db_url):
    store = Store.open(db_url)
    mine, theirs = add(store, 0), add(store, 1)
    store.claim_items(owner="me", now=NOW, lease=timedelta(minutes=2), limit=1)
    store.claim_items(owner="them", now=NOW, lease=timedelta(minutes=2), limit=1)
    a, b = StoryTracker(), StoryTracker()
    process(store, a, mine, NOW)
    process(store, b, theirs, NOW)
    since = NOW - timedelta(minutes=10)
    assert store.processed_ids_since(since) == [mine.id, theirs.id]
    assert store.processed_ids_since(since, not_by="me") == [theirs.id]
    assert store.processed_ids_since(since, not_by="them") == [mine.id]


# One bus attack as the event stage reads two reports of it: the first an abduction (the
# gunmen took the travellers), the second an attack. Where a report's first sentence names a
# kind of event, the event stage's (read from the whole report) stands for it; clustering never
# joins a kidnapping and an attack, so that kind must be the one used, live and on restore.
BUS = [
    (
        "Travellers stopped on road near Kaya in Burkina Faso",
        "Gunmen attacked a bus near Kaya and took 20 travellers away.",
    ),
    (
        "Burkina Faso: bus stopped outside Kaya",
        "An attack on a bus outside Kaya left several travellers dead.",
    ),
]


def bus_report(store: Store, n: int) -> StoredItem:
    title, text = BUS[n]
    item = Item(
        source_id=f"desk{n}",
        guid=f"c{n}",
        url=f"https://desk.example/c{n}",
        title=title,
        text=text,
        published=NOW - timedelta(hours=2 - n),
    )
    [iid] = store.add_items([item], now=NOW)
    return StoredItem(iid, item)


def test_the_event_stage_kind_decides_live_and_after_a_restart(db_url):
    store = Store.open(db_url)
    first, second = bus_report(store, 0), bus_report(store, 1)
    without = StoryTracker()
    assert without.assign(first, Mentions()).story_id == without.assign(second, Mentions()).story_id

    taken, attack = Event(security=True, kind="abduction"), Event(security=True, kind="attack")
    live = StoryTracker()
    s1 = live.assign(first, Mentions(), taken).story_id
    when = first.item.published
    story = StoryRecord(
        id=s1, title=first.item.title, first_item_id=first.id, opened_at=when, last_item_at=when
    )
    store.record_batch([ItemOutcome(first.id, Mentions(), story, (), taken)], now=NOW)
    assert live.assign(second, Mentions(), attack).story_id != s1

    restarted = StoryTracker()  # reads the first report's verdict back from the store
    restarted.catch_up(store, NOW)
    assert restarted.assign(second, Mentions(), attack).story_id != s1
