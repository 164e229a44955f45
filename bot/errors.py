"""Every error Lookout raises on purpose, under one base. Each says in one line what went
wrong; where retrying can help, it says so (FetchError, PostError)."""

from __future__ import annotations

from dataclasses import dataclass


class LookoutError(Exception):
    """Base of Lookout's own errors: str() is a message for a person."""


class ConfigError(LookoutError):
    """One or more problems in config files; str() has one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class StoreError(LookoutError):
    """The database cannot be used (another worker holds the SQLite file, a failed migration)."""


class FetchError(LookoutError):
    """A fetch that failed; `status` and `retry_after` say whether retrying helps."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class BlockedAddress(LookoutError):
    """A URL pointed at an address a source is not allowed to reach."""


class HostileXml(LookoutError):
    """A feed that tries XML entity tricks (expansion bombs, external entities)."""


class FeedError(LookoutError):
    """The payload is not a usable feed; the message says why in one line."""


class URLError(LookoutError, ValueError):
    """A URL that cannot be an article address (no scheme or host)."""


class ChangeError(LookoutError, ValueError):
    """A change that cannot be made; str() is the message for the user (plain text). Nothing changed."""


class InputError(LookoutError, ValueError):
    """One input line that cannot be an item; the message names the line."""


@dataclass(frozen=True)
class PostError(LookoutError):
    """Slack refused or failed a call; `permanent` when no retry can fix it."""

    error: str
    permanent: bool = False
    retry_after: float | None = None

    def __str__(self) -> str:
        return self.error
