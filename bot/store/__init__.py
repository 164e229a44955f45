"""Storage: SQLite by default, PostgreSQL via DATABASE_URL. Only this package talks SQL."""

from bot.store.db import StoreError
from bot.store.store import (
    Feedback,
    ItemOutcome,
    Mute,
    NewAlert,
    OutboxAlert,
    QueueStatus,
    SourceState,
    Store,
    StoredItem,
    StoryRecord,
)
from bot.store.teams import TeamChange

__all__ = [
    "Feedback",
    "ItemOutcome",
    "Mute",
    "NewAlert",
    "OutboxAlert",
    "QueueStatus",
    "SourceState",
    "Store",
    "StoreError",
    "StoredItem",
    "StoryRecord",
    "TeamChange",
]
