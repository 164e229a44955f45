"""Block Kit cards and replies, with a plain-text fallback. Every outside string is escaped here."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.deliver.escape import host, link, mrkdwn


@dataclass(frozen=True)
class Card:
    """What a story's top-level alert shows."""

    alert_id: int
    story_id: str
    title: str
    url: str
    source: str
    published: datetime | None
    sentences: tuple[str, ...]
    places: tuple[str, ...]  # "Boulikessi (Mopti, ML)"
    regions: tuple[str, ...]
    groups: tuple[str, ...]  # "JNIM — al-Qaeda affiliate"
    reasons: tuple[str, ...]
    source_count: int = 1
    toll: str | None = None
    outlet: str | None = None  # who wrote a syndicated item ("Studio Tamani" via AllAfrica)
    filed_from: str | None = None  # the dateline: where the report was filed, not where it happened


@dataclass(frozen=True)
class Reply:
    """A later report of the story, posted in its thread."""

    alert_id: int
    story_id: str
    title: str
    url: str
    source: str
    new_facts: tuple[str, ...] = ()
    broadcast_reason: str | None = None
    outlet: str | None = None  # who wrote a syndicated report


def card_blocks(c: Card) -> list[dict]:
    origin = " · ".join(
        p
        for p in (
            mrkdwn(_byline(c), limit=160),
            mrkdwn(f"filed from {c.filed_from}", limit=80) if c.filed_from else "",
            _when(c.published),
            f"{c.source_count} source{'s' * (c.source_count != 1)}",
        )
        if p
    )
    blocks: list[dict] = [
        _section(f"*{link(c.url, c.title)}*  _({mrkdwn(host(c.url))})_"),
        _context(origin),
    ]
    if c.sentences:
        blocks.append(_section(mrkdwn(" ".join(c.sentences), limit=900)))
    facts = _facts(c)
    if facts:
        blocks.append({"type": "section", "fields": facts})
    if c.reasons:
        blocks.append(_context("Why: " + mrkdwn("; ".join(c.reasons), limit=600)))
    blocks.append(_actions(c.story_id))
    return blocks


def card_text(c: Card) -> str:
    """Notification and screen-reader fallback."""
    where = ", ".join(c.places or c.regions)
    parts = [
        mrkdwn(c.title, limit=200),
        mrkdwn(where, limit=100) if where else "",
        mrkdwn(c.toll or "", limit=80),
        mrkdwn(_byline(c), limit=160),
    ]
    return " — ".join(p for p in parts if p)


def _byline(c: Card | Reply) -> str:
    """The outlet that wrote the story, and the source we read it from when that differs."""
    if c.outlet and c.outlet.casefold() not in c.source.casefold():
        return f"{c.outlet} via {c.source}"
    return c.source


def reply_blocks(r: Reply) -> list[dict]:
    lead = f"Also reported by *{mrkdwn(_byline(r), limit=160)}*: {link(r.url, r.title)}"
    blocks = [_section(lead)]
    if r.new_facts:
        blocks.append(_section("*New:* " + mrkdwn("; ".join(r.new_facts), limit=900)))
    if r.broadcast_reason:
        blocks.append(_context(mrkdwn(r.broadcast_reason, limit=200)))
    return blocks


def reply_text(r: Reply) -> str:
    return f"Also reported by {mrkdwn(_byline(r), limit=160)}: {mrkdwn(r.title, limit=200)}"


SHOWN_COPIES = 10  # lines of one "Also reported by" message; the Sources button lists them all


def copies_text(rs: Sequence[Reply]) -> str:
    """One reply, or wire copies coalesced into one message: "Also reported by A, B and C"."""
    if len(rs) == 1:
        return reply_text(rs[0])
    return f"Also reported by {mrkdwn(_names(rs), limit=300)}"


def copies_blocks(rs: Sequence[Reply]) -> list[dict]:
    if len(rs) == 1:
        return reply_blocks(rs[0])
    lines = [f"• *{mrkdwn(_byline(r), limit=160)}*: {link(r.url, r.title)}" for r in rs[-SHOWN_COPIES:]]
    if len(rs) > SHOWN_COPIES:
        lines.insert(0, f"… {len(rs) - SHOWN_COPIES} earlier")
    return [_section(f"Also reported by *{mrkdwn(_names(rs), limit=300)}*"), _section("\n".join(lines))]


def _names(rs: Sequence[Reply]) -> str:
    """ "A, B and C", each outlet once, in the order they reported; "and 4 others" past eight."""
    names = list(dict.fromkeys(_byline(r) for r in rs))
    if len(names) > 8:
        names = [*names[:7], f"{len(names) - 7} others"]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _facts(c: Card) -> list[dict]:
    rows = [
        ("Where", ", ".join(c.places)),
        ("Regions", ", ".join(c.regions)),
        ("Groups", ", ".join(c.groups)),
        ("Toll", c.toll or ""),
    ]
    return [
        {"type": "mrkdwn", "text": f"*{label}*\n{mrkdwn(value, limit=300)}"} for label, value in rows if value
    ]


def _actions(story_id: str) -> dict:
    buttons = [
        ("Sources", "story_sources"),
        ("Mute story", "story_mute"),
        ("Not relevant", "story_not_relevant"),
    ]
    return {
        "type": "actions",
        "block_id": f"story:{story_id}",
        "elements": [
            {
                "type": "button",
                "action_id": action,
                "value": story_id,
                "text": {"type": "plain_text", "text": label},
            }
            for label, action in buttons
        ],
    }


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _when(d: datetime | None) -> str:
    return d.strftime("%d %b %Y %H:%M UTC") if d else ""


def console(text_blocks: list[dict], *, channel: str, team: str, thread: str | None) -> str:
    """A readable terminal rendering of blocks (console mode, the demo)."""
    head = f"── {team} → {channel}" + (f" (thread {thread})" if thread else "") + " ──"
    lines = [head]
    for b in text_blocks:
        if b["type"] == "section" and "text" in b:
            lines.append(b["text"]["text"])
        elif b["type"] == "section":
            lines += [f["text"].replace("\n", ": ", 1) for f in b["fields"]]
        elif b["type"] == "context":
            lines.append("  " + " ".join(e["text"] for e in b["elements"]))
    return "\n".join(_unescape_for_terminal(line) for line in lines)


_LINK = re.compile(r"<([^|>]+)\|([^>]*)>")


def _unescape_for_terminal(line: str) -> str:
    line = _LINK.sub(r"\2 <\1>", line)
    return line.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
