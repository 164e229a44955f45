"""Rows ↔ values: the only place that knows how values are laid out in tables.

Mentions, events, summaries and reply details are JSON columns; past the store they are the typed,
frozen values of bot.models again.
"""

from __future__ import annotations

from typing import Any

from bot.models import (
    Admin1,
    Event,
    Evidence,
    Fact,
    GroupMention,
    Item,
    Mentions,
    Place,
    ReplyDetails,
    Summary,
)
from bot.store.values import SourceState, StoredItem, StoryRecord


def item_row(item: Item) -> dict:
    return {
        "source_id": item.source_id,
        "guid": item.guid,
        "url": item.url,
        "title": item.title,
        "summary": item.summary,
        "text": item.text,
        "language": item.language,
        "published": item.published,
    }


def stored_item(r) -> StoredItem:
    item = Item(
        source_id=r["source_id"],
        guid=r["guid"],
        url=r["url"],
        title=r["title"],
        summary=r["summary"],
        text=r["text"],
        published=r["published"],
        language=r["language"],
    )
    return StoredItem(r["id"], item, r["story_id"], event_from_json(r["event"]))


def source_state(r) -> SourceState:
    return SourceState(**{k: r[k] for k in SourceState.__dataclass_fields__})


def story_record(r) -> StoryRecord | None:
    if r is None:
        return None
    summary = r["summary"] or {}
    return StoryRecord(
        r["id"],
        r["title"],
        r["first_item_id"],
        r["opened_at"],
        r["last_item_at"],
        summary=summary_from_json(summary),
        mentions=mentions_from_json(r["mentions"]),
        toll=summary.get("toll"),
        toll_note=summary.get("toll_note"),
        event=event_from_json(r["event"]),
    )


def story_columns(s: StoryRecord) -> dict[str, Any]:
    """The story's changing columns (its id, first item and opening time never change)."""
    summary = summary_json(s.summary) | {"toll": s.toll, "toll_note": s.toll_note}
    return {
        "title": s.title,
        "last_item_at": s.last_item_at,
        "summary": summary,
        "mentions": s.mentions.to_json(s.id),
        "event": event_json(s.event),
    }


def event_json(e: Event | None) -> dict | None:
    """The `match` contract's event field, with the reason and what was read (for people)."""
    if e is None:
        return None
    return e.to_json() | {"reason": e.reason, "score": e.score, "language": e.language}


def event_from_json(d: dict | None) -> Event | None:
    if not d:
        return None
    evidence = tuple(Evidence(x["text"], tuple(x["span"])) for x in d.get("evidence", []))
    return Event(
        bool(d.get("security")),
        d.get("kind") or "none",
        evidence,
        d.get("reason", ""),
        float(d.get("score") or 0.0),
        d.get("language", ""),
    )


def summary_json(s: Summary) -> dict:
    return {
        "sentences": list(s.sentences),
        "facts": [
            {"kind": f.kind, "value": f.value, "evidence": f.evidence, "span": list(f.span)} for f in s.facts
        ],
    }


def summary_from_json(d: dict) -> Summary:
    facts = tuple(Fact(f["kind"], f["value"], f["evidence"], tuple(f["span"])) for f in d.get("facts", []))
    return Summary(tuple(d.get("sentences", [])), facts)


def mentions_from_json(d: dict | None) -> Mentions:
    """The `match` output contract (Mentions.to_json) back into Mentions."""
    d = d or {}
    dateline = d.get("dateline")
    return Mentions(
        countries=tuple(d.get("countries", [])),
        admin1=tuple(Admin1(a["country"], a["name"]) for a in d.get("admin1", [])),
        places=tuple(_place(p) for p in d.get("places", [])),
        regions=tuple(d.get("regions", [])),
        groups=tuple(_group(g, state=False) for g in d.get("groups", []))
        + tuple(_group(g, state=True) for g in d.get("forces", [])),
        dateline=_place(dateline) if dateline else None,
        implied=tuple((d.get("implied") or {}).items()),
    )


def _place(p: dict) -> Place:
    return Place(
        p["name"], p["country"], p.get("admin1"), p.get("lat"), p.get("lon"), tuple(p.get("span", (0, 0)))
    )


def _group(g: dict, *, state: bool) -> GroupMention:
    span = tuple(g.get("span", (0, 0)))
    return GroupMention(g["name"], tuple(g.get("aliases", [])), g.get("affiliation"), span, state=state)


def details_json(d: ReplyDetails | None) -> dict | None:
    return None if d is None else {"new_facts": list(d.new_facts), "broadcast_reason": d.broadcast_reason}


def details_from_json(d: dict | None) -> ReplyDetails | None:
    if d is None:
        return None
    return ReplyDetails(tuple(d.get("new_facts", ())), d.get("broadcast_reason"))
