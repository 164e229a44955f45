"""What the bot says about a story in its thread: every report, or the fuller summary with
each fact and the sentence it was read from. Every outside string is escaped here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.slack.escape import link, mrkdwn
from bot.store import Store
from bot.stories.urls import normalise_text
from bot.story_state import mentions_from_json
from bot.summarize import Fact, summarize

SECTION_LIMIT = 2900  # Slack refuses a section text over 3000 characters
MAX_REPORTS = 40
MAX_FACTS = 24
MORE_SENTENCES = 6  # the card shows three
KIND_LABELS = {"event": "What", "where": "Where", "who": "Who", "toll": "Toll", "qualifier": "Caveat"}


@dataclass(frozen=True)
class Answer:
    text: str  # notification and screen-reader fallback
    blocks: list[dict] | None = None
    announce: bool = False  # it changed the team's story: say so in the thread, for everyone


@dataclass(frozen=True)
class Report:
    title: str
    url: str
    source: str
    published: datetime | None


@dataclass(frozen=True)
class CitedFact:
    fact: Fact
    source: str


def reports(store: Store, story_id: str, label: Callable[[str], str]) -> list[Report]:
    return [Report(s.item.title, s.item.url, label(s.item.source_id), s.item.published)
            for s, _ in store.story_reports(story_id)]


def sources_answer(found: list[Report]) -> Answer:
    n = len(found)
    head = f"*{n} report{'s' * (n != 1)} of this story*"
    lines = [f"{i}. *{mrkdwn(r.source, limit=80)}*{_when(r.published)} — {link(r.url, r.title)}"
             for i, r in enumerate(found[:MAX_REPORTS], 1)]
    if n > MAX_REPORTS:
        lines.append(f"…and {n - MAX_REPORTS} more.")
    text = f"{n} report{'s' * (n != 1)}: " + "; ".join(
        f"{mrkdwn(r.source, limit=80)}: {mrkdwn(r.title, limit=120)}" for r in found[:10])
    return Answer(text, [_section(head), *_sections(lines)])


def more_answer(store: Store, story_id: str, label: Callable[[str], str]) -> Answer | None:
    """The first report's fuller summary, the latest toll, and every report's facts, cited."""
    story = store.story(story_id)
    found = store.story_reports(story_id)
    if story is None or not found:
        return None
    first, first_mentions = found[0]
    lead = summarize(first.item.title, first.item.text or first.item.summary,
                     mentions_from_json(first_mentions or {}), max_sentences=MORE_SENTENCES)
    cited = _cited_facts(found, label)
    blocks = [_section(f"*Summary* (from {mrkdwn(label(first.item.source_id), limit=80)})\n"
                       + mrkdwn(" ".join(lead.sentences), limit=SECTION_LIMIT - 200))]
    toll = (story.summary or {}).get("toll")
    if toll:
        note = (story.summary or {}).get("toll_note")
        blocks.append(_section(f"*Latest toll:* {mrkdwn(toll, limit=120)}"
                               + (f" _({mrkdwn(note, limit=80)})_" if note else "")))
    if cited:
        blocks.append(_section(f"*Facts* from {len(found)} report{'s' * (len(found) != 1)}, "
                               "each with the sentence it was read from:"))
        blocks += _sections([_fact_line(c) for c in cited[:MAX_FACTS]])
    text = mrkdwn(" ".join(lead.sentences), limit=1000)
    return Answer(text, blocks)


def _cited_facts(found, label: Callable[[str], str]) -> list[CitedFact]:
    """Each distinct fact once, from the first report that stated it, in the card's kind order."""
    seen: set[tuple[str, str]] = set()
    out: list[CitedFact] = []
    for stored, mentions in found:
        item = stored.item
        summary = summarize(item.title, item.text or item.summary, mentions_from_json(mentions or {}))
        for f in summary.facts:
            key = (f.kind, normalise_text(f.value))
            if key not in seen:
                seen.add(key)
                out.append(CitedFact(f, label(item.source_id)))
    order = list(KIND_LABELS)
    return sorted(out, key=lambda c: order.index(c.fact.kind) if c.fact.kind in order else len(order))


def _fact_line(c: CitedFact) -> str:
    kind = KIND_LABELS.get(c.fact.kind, c.fact.kind)
    quote = f" — {mrkdwn(c.source, limit=60)}: _“{mrkdwn(c.fact.evidence, limit=300)}”_" \
        if c.fact.evidence else ""
    return f"• *{kind}:* {mrkdwn(c.fact.value, limit=120)}{quote}"


def _sections(lines: list[str]) -> list[dict]:
    """Lines packed into as few sections as Slack's size limit allows."""
    blocks, chunk = [], ""
    for line in lines:
        if chunk and len(chunk) + 1 + len(line) > SECTION_LIMIT:
            blocks.append(_section(chunk))
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line[:SECTION_LIMIT]
    if chunk:
        blocks.append(_section(chunk))
    return blocks


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _when(d: datetime | None) -> str:
    return f" · {d:%d %b %H:%M UTC}" if d else ""
