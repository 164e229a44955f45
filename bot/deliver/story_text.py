"""What the bot says about a story in its thread: every report, or the fuller summary with
each fact and the sentence it was read from. Every outside string is escaped here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz

from bot.deliver.escape import link, mrkdwn
from bot.models import Fact
from bot.store import Store
from bot.stories.summarize import summarize
from bot.stories.urls import normalise_text

SECTION_LIMIT = 2900  # Slack refuses a section text over 3000 characters
MAX_REPORTS = 40
MAX_FACTS = 24  # sentences with facts, really: each carries one or more
REPEAT = 85  # token_sort_ratio at which two sentences say the same thing
MORE_SENTENCES = 6  # the card shows three
KIND_LABELS = {"event": "What", "where": "Where", "who": "Who", "toll": "Toll", "qualifier": "Caveat"}


@dataclass(frozen=True)
class ThreadAnswer:
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
class Evidence:
    """One sentence of one report, and the facts read from it."""

    sentence: str
    source: str
    facts: tuple[Fact, ...]


def reports(store: Store, story_id: str, label: Callable[[str], str]) -> list[Report]:
    return [
        Report(s.item.title, s.item.url, label(s.item.source_id), s.item.published)
        for s, _ in store.story_reports(story_id)
    ]


def sources_answer(found: list[Report]) -> ThreadAnswer:
    n = len(found)
    head = f"*{n} report{'s' * (n != 1)} of this story*"
    lines = [
        f"{i}. *{mrkdwn(r.source, limit=80)}*{_when(r.published)} — {link(r.url, r.title)}"
        for i, r in enumerate(found[:MAX_REPORTS], 1)
    ]
    if n > MAX_REPORTS:
        lines.append(f"…and {n - MAX_REPORTS} more.")
    text = f"{n} report{'s' * (n != 1)}: " + "; ".join(
        f"{mrkdwn(r.source, limit=80)}: {mrkdwn(r.title, limit=120)}" for r in found[:10]
    )
    return ThreadAnswer(text, [_section(head), *_sections(lines)])


def fuller_summary(store: Store, story_id: str, label: Callable[[str], str]) -> ThreadAnswer | None:
    """The first report's fuller summary, the latest toll, and every report's facts, cited."""
    story = store.story(story_id)
    found = store.story_reports(story_id)
    if story is None or not found:
        return None
    # The card's report leads, as on the card; the others follow in the order they came.
    found.sort(key=lambda r: r[0].id != story.first_item_id)
    first, first_mentions = found[0]
    lead = summarize(
        first.item.title,
        first.item.text or first.item.summary,
        first_mentions,
        max_sentences=MORE_SENTENCES,
    )
    sentences = _fresh(lead.sentences, first.item.title)
    blocks = [
        _section(
            f"*Summary* (from {mrkdwn(label(first.item.source_id), limit=80)})\n"
            + mrkdwn(" ".join(sentences), limit=SECTION_LIMIT - 200)
        )
    ]
    toll = story.toll
    if toll:
        note = story.toll_note
        blocks.append(
            _section(
                f"*Latest toll:* {mrkdwn(toll, limit=120)}"
                + (f" _({mrkdwn(note, limit=80)})_" if note else "")
            )
        )
    evidence = _evidence(found, label)
    if evidence:
        n = len(found)
        blocks.append(
            _section(f"*Facts* from {n} report{'s' * (n != 1)}, under the sentence each was read from:")
        )
        blocks += _sections([_evidence_line(e) for e in evidence[:MAX_FACTS]])
    return ThreadAnswer(mrkdwn(" ".join(sentences), limit=1000), blocks)


def _fresh(sentences: tuple[str, ...], title: str) -> list[str]:
    """Sentences minus the headline (the card shows it) and near repeats (summaries restate)."""
    kept: list[str] = []
    for s in sentences:
        if all(fuzz.token_sort_ratio(s, other) < REPEAT for other in [title, *kept]):
            kept.append(s)
    return kept or list(sentences[:1])


def _evidence(found, label: Callable[[str], str]) -> list[Evidence]:
    """Each distinct fact once, grouped under the first sentence that stated it, report by report."""
    seen: set[tuple[str, str]] = set()
    groups: dict[tuple[int, str], list[Fact]] = {}
    sources: dict[tuple[int, str], str] = {}
    for n, (stored, mentions) in enumerate(found):
        item = stored.item
        summary = summarize(item.title, item.text or item.summary, mentions)
        for f in summary.facts:
            key = (f.kind, normalise_text(f.value))
            if key in seen or not f.evidence:
                continue
            seen.add(key)
            groups.setdefault((n, f.evidence), []).append(f)
            sources[(n, f.evidence)] = label(item.source_id)
    order = list(KIND_LABELS)
    return [
        Evidence(
            sentence,
            sources[(n, sentence)],
            tuple(sorted(facts, key=lambda f: order.index(f.kind) if f.kind in order else 9)),
        )
        for (n, sentence), facts in groups.items()
    ]


def _evidence_line(e: Evidence) -> str:
    facts = " · ".join(f"*{KIND_LABELS.get(f.kind, f.kind)}:* {mrkdwn(f.value, limit=120)}" for f in e.facts)
    return f"• {facts}\n      _“{mrkdwn(e.sentence, limit=300)}”_ ({mrkdwn(e.source, limit=60)})"


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
