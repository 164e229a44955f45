"""What the stages of one process share, built once (bot/app/build.py)."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.clock import utcnow
from bot.config import Config, SourceConfig, Team
from bot.fetch.changes import SCOPE as SOURCE_SCOPE
from bot.fetch.changes import effective_sources
from bot.fetch.http import SafeHttp
from bot.match.matcher import Matcher
from bot.settings import Settings
from bot.store import Store
from bot.stories.tracker import StoryTracker
from bot.watches import effective_teams


def worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


@dataclass
class Services:
    """What the stages need, built once per process."""

    settings: Settings
    config: Config
    store: Store
    matcher: Matcher
    http: SafeHttp = field(default_factory=SafeHttp)
    owner: str = field(default_factory=worker_id)
    health_reporter: Callable[[str], None] | None = None  # ops channel for source health changes
    stories: StoryTracker = field(default_factory=StoryTracker)
    # One thread processes at a time: the story clusterer is in-process state.
    processing: threading.Lock = field(default_factory=threading.Lock)
    # Set on SIGTERM: the item in hand is finished, the rest are handed back.
    stopping: threading.Event = field(default_factory=threading.Event)
    # What time it is for digests: the wall clock, or a fixed one in tests.
    clock: Callable[[], datetime] = utcnow

    def teams(self) -> tuple[Team, ...]:
        """The YAML teams with the watch changes made in Slack applied (bot.watches)."""
        return effective_teams(self.config.teams, self.store.team_changes())

    def sources(self) -> tuple[SourceConfig, ...]:
        """sources.yaml with the source changes made in Slack applied (bot.fetch.changes): read
        at each use, so every replica's next poll sees an added, paused or removed source."""
        return effective_sources(self.config.sources, self.store.team_changes(scope=SOURCE_SCOPE))

    def source(self, source_id: str) -> SourceConfig | None:
        return next((s for s in self.sources() if s.id == source_id), None)

    def lease(self, default: timedelta) -> timedelta:
        """How long our claims last: LOOKOUT_LEASE_SECONDS when set (short in the chaos run, so
        a killed replica's work is taken over quickly), else the kind's default."""
        seconds = self.settings.lookout_lease_seconds
        return timedelta(seconds=seconds) if seconds else default
