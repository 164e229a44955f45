"""The one store surface. Methods are named as questions or verbs; only this package talks SQL.

`Store` is one class; its methods live in one module per entity (items, stories, outbox,
sources, teams, jobs, digests), each a part of it sharing `StoreBase`'s engine and `_tx`.
"""

from __future__ import annotations

from bot.store.digests import Digests
from bot.store.items import Items
from bot.store.jobs import Jobs
from bot.store.outbox import Outbox
from bot.store.sources import Sources
from bot.store.stories import Stories
from bot.store.teams import Teams


class Store(Sources, Items, Stories, Outbox, Teams, Jobs, Digests):
    """SQLite by default, PostgreSQL via DATABASE_URL (see bot/store/db.py)."""
