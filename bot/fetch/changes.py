"""Sources added, removed, paused and resumed from Slack, replayed over sources.yaml.

sources.yaml is the seed. Each change is one row of the one change log (the team change log,
scope "source"): it survives restarts, every replica sees it at its next poll, and it is the
audit trail (`/lookout sources history`). A source added from Slack is fetched once, through
the same guarded client as every poll (public addresses only), before anything is stored.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from pydantic import ValidationError

from bot import messages
from bot.config import SourceConfig
from bot.errors import BlockedAddress, ChangeError, FeedError, FetchError
from bot.fetch.feeds import parse_feed
from bot.fetch.http import SafeHttp
from bot.fetch.normalise import plain_text
from bot.fetch.redact import redact
from bot.store import Store, TeamChange

log = logging.getLogger(__name__)

SCOPE = "source"  # the change log's scope for these rows
KIND = "rss"  # the feed parser tells RSS, RDF, Atom and JSON Feed apart by itself
MAX_URL = 2000
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")  # SourceConfig.id
_SLACK_LINK = re.compile(r"^<([^<>|\s]+)(?:\|[^<>]*)?>$")  # Slack sends a typed URL as <url> or <url|label>


@dataclass(frozen=True)
class Added:
    source: SourceConfig
    title: str  # the feed's own title ("" when it has none)
    items: int  # items it holds now


# ---- the live list ---------------------------------------------------------------------------


def effective_sources(
    seed: Iterable[SourceConfig], changes: Iterable[TeamChange]
) -> tuple[SourceConfig, ...]:
    """sources.yaml with every source change from Slack applied, in the order they were made."""
    live = {s.id: s for s in seed}
    for c in changes:
        if c.action == "add":
            try:
                live[c.team] = _slack_source(c.team, c.value)
            except ChangeError:  # add_source stores only what passes; a row edited by hand may not
                log.warning("source change %s: %r is not a usable source; skipped", c.id, c.team)
        elif c.action == "remove":
            live.pop(c.team, None)
        elif c.action in ("pause", "resume") and c.team in live:
            live[c.team] = live[c.team].model_copy(update={"enabled": c.action == "resume"})
    return tuple(live.values())


# ---- changes ---------------------------------------------------------------------------------


def add_source(
    store: Store,
    http: SafeHttp,
    live: Iterable[SourceConfig],
    *,
    url_text: str,
    name: str | None,
    user_id: str,
    now: datetime,
) -> Added:
    """Check the URL and name, fetch the feed once, then store the change; ChangeError (and
    nothing stored) when any step fails."""
    url = clean_url(url_text)
    source_id = clean_id(name) if name else default_id(url)
    live = list(live)
    taken = next((s for s in live if s.id == source_id), None)
    if taken is not None:
        raise ChangeError(
            messages.SOURCE_NAME_TAKEN.format(name=source_id, url=redact(taken.url), hint=_name_hint(name))
        )
    same = next((s for s in live if s.url == url), None)
    if same is not None:
        raise ChangeError(messages.SOURCE_URL_TAKEN.format(name=same.id))
    source = _slack_source(source_id, url)  # what the replay will build, checked before storing
    title, items = try_feed(http, url, source_id=source_id, now=now)
    store.record_team_change(TeamChange(source_id, "add", SCOPE, url, user_id, scope=SCOPE), now=now)
    return Added(source, title, items)


def _slack_source(source_id: str, url: str) -> SourceConfig:
    try:
        return SourceConfig(id=source_id, kind=KIND, url=url)
    except ValidationError:
        raise ChangeError(messages.SOURCE_BAD_URL.format(url=_cut(url))) from None


def remove_source(
    store: Store, live: Iterable[SourceConfig], *, name: str, user_id: str, now: datetime
) -> SourceConfig:
    source = find(live, name)
    store.record_team_change(TeamChange(source.id, "remove", SCOPE, "", user_id, scope=SCOPE), now=now)
    return source


def pause_source(
    store: Store, live: Iterable[SourceConfig], *, name: str, paused: bool, user_id: str, now: datetime
) -> tuple[SourceConfig, bool]:
    """Pause (or resume) a source; False when it already was, and then nothing is stored."""
    source = find(live, name)
    if source.enabled != paused:
        return source, False
    action = "pause" if paused else "resume"
    store.record_team_change(TeamChange(source.id, action, SCOPE, "", user_id, scope=SCOPE), now=now)
    return source, True


def find(live: Iterable[SourceConfig], name: str) -> SourceConfig:
    live = list(live)
    wanted = name.strip().lower()
    found = next((s for s in live if s.id == wanted), None)
    if found is None:
        names = ", ".join(f"`{s.id}`" for s in live) or messages.NONE
        raise ChangeError(messages.SOURCE_UNKNOWN.format(name=_cut(name), names=names))
    return found


def try_feed(http: SafeHttp, url: str, *, source_id: str, now: datetime) -> tuple[str, int]:
    """The feed's title and item count, fetched as a poll would; ChangeError when unusable."""
    try:
        resp = http.get(url)  # allow_private is never given from Slack
        if resp.status != 200:
            raise FetchError(f"HTTP {resp.status}")
        items = parse_feed(
            resp.body, source_id=source_id, base_url=resp.url, header_charset=resp.charset, now=now
        )
    except (FetchError, BlockedAddress, FeedError, ValueError) as e:
        error = _cut(str(e), 200)
        raise ChangeError(messages.SOURCE_UNUSABLE.format(url=redact(url), error=error)) from None
    return feed_title(resp.body), len(items)


def feed_title(body: bytes) -> str:
    """The title of a feed parse_feed accepted (so its XML passed the entity check)."""
    import fastfeedparser
    import feedparser

    try:
        feed = fastfeedparser.parse(body).get("feed") or {}
    except Exception:  # the parser raises many kinds; feedparser reads what it rejects
        feed = feedparser.parse(body, resolve_relative_uris=False, sanitize_html=False).get("feed") or {}
    return plain_text(feed.get("title"), limit=200)


# ---- what people type ------------------------------------------------------------------------


def clean_url(text: str) -> str:
    """The URL as typed in Slack (which sends `<url>` or `<url|label>` and escapes `&`)."""
    text = text.strip()
    if m := _SLACK_LINK.match(text):
        text = m.group(1)
    url = html.unescape(text)
    if len(url) > MAX_URL:
        raise ChangeError(messages.SOURCE_URL_TOO_LONG.format(length=len(url), limit=MAX_URL))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(ch.isspace() for ch in url):
        raise ChangeError(messages.SOURCE_BAD_URL.format(url=_cut(text)))
    return parts.scheme + url[len(parts.scheme) :]  # HTTP://… → http://…


def clean_id(name: str) -> str:
    source_id = name.strip().lower()
    if not _ID.match(source_id):
        raise ChangeError(messages.SOURCE_BAD_NAME.format(name=_cut(name)))
    return source_id


def default_id(url: str) -> str:
    """A name from the host when none is given: https://www.example.org/rss → example.org."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return clean_id(host[:64])


def _name_hint(name: str | None) -> str:
    return messages.SOURCE_NAME_HINT if name is None else ""


def _cut(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---- words -----------------------------------------------------------------------------------


def change_line(c: TeamChange) -> str:
    """One source change in words (plain text, apart from the user mention)."""
    when = messages.HISTORY_WHEN.format(at=c.created_at) if c.created_at else ""
    what = messages.SOURCE_HISTORY_WHAT.get(c.action, messages.HISTORY_WHAT_OTHER).format(
        action=c.action, kind=c.kind, name=c.team, url=redact(c.value), value=redact(c.value)
    )
    return messages.HISTORY_LINE.format(when=when, user=c.user_id, what=what)
