"""The live pipeline's story state: a clusterer kept in step with the store, and the JSON
forms of summaries and mentions that stories keep in the database."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.models import Admin1, Fact, GroupMention, Mentions, Place, Summary
from bot.store import Store, StoredItem
from bot.stories import Assignment, Clusterer, StoryDoc

CATCH_UP_MARGIN = timedelta(minutes=10)  # replicas' clocks differ a little; restore is idempotent


class StoryTracker:
    """Wraps the clusterer so every replica (and every restart) sees the same stories.

    Items processed elsewhere (another replica, an earlier run) are restored into their
    known stories before new ones are assigned, so assignment never depends on which
    process picked an item up.
    """

    def __init__(self, window: timedelta = timedelta(hours=72)):
        self.window = window
        self.clusterer = Clusterer(window=window)
        self._synced: datetime | None = None

    def catch_up(self, store: Store, now: datetime, owner: str | None = None) -> None:
        """Restore what other processes put into stories since we last looked.

        The look-back reaches CATCH_UP_MARGIN before our last sync, so it sees again
        everything processed in that margin except what `owner` (we) processed; only the ids
        come back, and only items the clusterer does not hold yet are read in full. A cycle
        of n batches then costs n small id queries, not n re-reads of every item it processed.
        """
        if self._synced is None:
            rows = store.recent_items(since=now - 2 * self.window)
        else:
            ids = store.processed_ids_since(self._synced - CATCH_UP_MARGIN, not_by=owner)
            rows = store.items_with_mentions([i for i in ids if self.clusterer.story_of(str(i)) is None])
        for stored, mentions in rows:
            if stored.story_id:
                self.clusterer.restore(_doc(stored, mentions_from_json(mentions or {})), stored.story_id)
        self._synced = now

    def assign(self, stored: StoredItem, mentions: Mentions) -> Assignment:
        return self.clusterer.add(_doc(stored, mentions))

    def closed(self, now: datetime) -> list[str]:
        return self.clusterer.closed_before(now)


def _doc(stored: StoredItem, mentions: Mentions) -> StoryDoc:
    return StoryDoc.from_item(stored.item, mentions, doc_id=str(stored.id))


def summary_json(s: Summary) -> dict:
    return {
        "sentences": list(s.sentences),
        "toll": s.toll,
        "toll_note": s.toll_note,
        "facts": [
            {"kind": f.kind, "value": f.value, "evidence": f.evidence, "span": list(f.span)} for f in s.facts
        ],
    }


def summary_from_json(d: dict) -> Summary:
    facts = tuple(Fact(f["kind"], f["value"], f["evidence"], tuple(f["span"])) for f in d.get("facts", []))
    toll = d.get("toll")
    if toll:
        # The story's toll may come from a later report: it goes first, so `Summary.toll` is it
        # and a follow-up is compared with the latest toll, not the first report's.
        latest = next(
            (f for f in facts if f.kind == "toll" and f.value == toll), Fact("toll", toll, "", (0, 0))
        )
        facts = (latest, *(f for f in facts if f is not latest))
    return Summary(tuple(d.get("sentences", [])), facts)


def mentions_from_json(d: dict) -> Mentions:
    """The `match` output contract back into Mentions."""
    return Mentions(
        countries=tuple(d.get("countries", [])),
        admin1=tuple(Admin1(a["country"], a["name"]) for a in d.get("admin1", [])),
        places=tuple(
            Place(
                p["name"],
                p["country"],
                p.get("admin1"),
                p.get("lat"),
                p.get("lon"),
                tuple(p.get("span", (0, 0))),
            )
            for p in d.get("places", [])
        ),
        regions=tuple(d.get("regions", [])),
        groups=tuple(
            GroupMention(
                g["name"], tuple(g.get("aliases", [])), g.get("affiliation"), tuple(g.get("span", (0, 0)))
            )
            for g in d.get("groups", [])
        ),
    )


def merge_mentions(old: dict, new: dict) -> dict:
    """A story's mentions: every report's places, groups and regions, first seen first."""
    merged = dict(old)
    for key, ident in (
        ("countries", None),
        ("regions", None),
        ("admin1", ("country", "name")),
        ("places", ("name", "country")),
        ("groups", ("name",)),
    ):
        seen = {_key(x, ident) for x in old.get(key, [])}
        merged[key] = list(old.get(key, [])) + [x for x in new.get(key, []) if _key(x, ident) not in seen]
    return merged


def _key(x, ident):
    return x if ident is None else tuple(x.get(k) for k in ident)
