"""Storage: SQLite by default, PostgreSQL via DATABASE_URL. Only this package talks SQL."""

from bot.store.store import Store
from bot.store.values import (
    Activity,
    Feedback,
    ItemOutcome,
    JobRun,
    Mute,
    NewAlert,
    OutboxAlert,
    ProcessedItem,
    QueueStatus,
    SourceState,
    StoredItem,
    StoryRecord,
    TeamChange,
)

__all__ = [
    "Activity",
    "Feedback",
    "ItemOutcome",
    "JobRun",
    "Mute",
    "NewAlert",
    "OutboxAlert",
    "ProcessedItem",
    "QueueStatus",
    "SourceState",
    "Store",
    "StoredItem",
    "StoryRecord",
    "TeamChange",
]
