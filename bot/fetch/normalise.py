"""Turning outside text into what Items carry: plain text, UTC dates, stable ids."""

from __future__ import annotations

import hashlib
import html
import logging
import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

log = logging.getLogger(__name__)

_TAG = re.compile(r"<[^>]*>")
_BLOCK = re.compile(r"<\s*(script|style)\b.*?</\s*\1\s*>", re.I | re.S)
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# A publisher's clock a little ahead is normal; beyond this a date is wrong.
FUTURE_SLACK = timedelta(minutes=15)


def plain_text(value: str | None, *, limit: int = 20_000) -> str:
    """HTML fragment → one line of plain text, entities decoded (also double-escaped ones)."""
    if not value:
        return ""
    text = _BLOCK.sub(" ", value)
    # AllAfrica ships "&#x26;amp;" (an escaped escape): decode until stable, at most 3 rounds,
    # stripping tags each round since "&lt;b&gt;" becomes a tag once decoded.
    for _ in range(3):
        decoded = html.unescape(_TAG.sub(" ", text))
        if decoded == text:
            break
        text = decoded
    text = _TAG.sub(" ", text)
    return _SPACE.sub(" ", _CONTROL.sub("", text)).strip()[:limit]


def parse_date(value: object, *, now: datetime | None = None) -> datetime | None:
    """A timezone-aware UTC datetime, or None when unparsable.

    Dates later than now (plus a little clock skew) are clamped to now: a
    feed that says 2099 must not sort above every real story forever.
    """
    when = _to_datetime(value)
    if when is None:
        return None
    when = when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    if when > now + FUTURE_SLACK:
        log.info("clamped future date %s to %s", when.isoformat(), now.isoformat())
        return now
    if when.year < 1990:
        return None  # epoch zero and similar placeholders are not real dates
    return when


def _to_datetime(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    compact = re.fullmatch(r"(\d{8})T(\d{6})Z", text)  # GDELT "20250213T101500Z"
    if compact:
        return datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)  # RFC 822 as in RSS pubDate
    except (TypeError, ValueError, IndexError):
        return None


def stable_guid(guid: str | None, link: str | None, title: str, summary: str) -> str:
    """Feed GUID, else link, else a hash of the content: the same item keeps the same id."""
    for candidate in (guid, link):
        if candidate and candidate.strip():
            return candidate.strip()[:1000]
    digest = hashlib.sha256(f"{title}\n{summary}".encode()).hexdigest()[:32]
    return f"sha256:{digest}"
