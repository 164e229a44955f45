"""The live pipeline's story state: a clusterer kept in step with the store."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.models import Event, Mentions
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
                self.clusterer.restore(_doc(stored, mentions, stored.event), stored.story_id)
        self._synced = now

    def assign(self, stored: StoredItem, mentions: Mentions, event: Event | None = None) -> Assignment:
        """The item's story, with the event stage's kind of event (`event`, None when it failed)
        standing for the one clustering would read from the text."""
        return self.clusterer.add(_doc(stored, mentions, event))

    def closed(self, now: datetime) -> list[str]:
        return self.clusterer.closed_before(now)


def _doc(stored: StoredItem, mentions: Mentions, event: Event | None) -> StoryDoc:
    """Built alike when assigning and when restoring (the stored item keeps its verdict), so a
    restarted replica rebuilds the same stories."""
    kind = event.kind if event and event.security else None  # "none" and the like say no more
    return StoryDoc.from_item(stored.item, mentions, doc_id=str(stored.id), kind=kind)
