"""A report as clustering sees it: its words, when it was published, and what the earlier
stages found in it (places, groups, countries; and, when the event stage says so, the kind of
event and its toll)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.models import Item, Mentions


@dataclass(frozen=True)
class StoryDoc:
    id: str
    title: str
    text: str
    source: str
    published: datetime | None
    places: frozenset[str] = frozenset()  # towns and first-level regions
    groups: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    admin1: frozenset[str] = frozenset()  # which of `places` are first-level regions
    affiliations: frozenset[str] = frozenset()  # the franchises of `groups` (JNIM → al-Qaeda)
    # Which of `places` the matcher read as towns: a town may share its region's name ("in
    # Gao" is the town, "Gao region" the region; both list the region Gao in `admin1`).
    towns: frozenset[str] = frozenset()
    # From the event stage when it runs (its kind names, "air_strike", or ours, events.yaml);
    # None → read from the text (bot/stories/lexicon.py).
    kind: str | None = None
    toll: int | None = None
    language: str | None = None  # "en", "fr", ...; None → told from the text

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("StoryDoc needs a non-empty id")
        if self.published is not None and self.published.utcoffset() is None:
            raise ValueError(f"StoryDoc {self.id}: published must be timezone-aware")
        if self.toll is not None and self.toll < 0:
            raise ValueError(f"StoryDoc {self.id}: toll must be a count, got {self.toll}")

    @classmethod
    def from_item(
        cls,
        item: Item,
        mentions: Mentions | None = None,
        *,
        doc_id: str | None = None,
        kind: str | None = None,
        toll: int | None = None,
    ) -> StoryDoc:
        """The pipeline's view of an item: its text plus what the matcher (and the event stage,
        when given) found in it. Everything comes from the stored item and its mentions, so a
        restarted process rebuilds the same docs."""
        return cls(
            id=doc_id or f"{item.source_id}:{item.guid}",
            title=item.title,
            text=item.text or item.summary,
            source=item.source_id,
            published=item.published,
            kind=kind,
            toll=toll,
            language=_language_code(item.language),
            **entities(mentions),
        )


def entities(mentions: Mentions | None) -> dict[str, frozenset[str]]:
    """StoryDoc's places/groups/countries/admin1 from matcher output. First-level regions count
    as places (measured: two reports naming "Kogi" are more often one event than not), and are
    also listed as admin1, so a shared region weighs less than a shared town; the towns are
    listed too, as a town may share its region's name (Gao, Kayes, Kassala). A state's armed
    forces are no group here: the army fights in most events, on one side or the other, so
    "RSF" in one report and "the army" in another are no conflict. A group's franchise (the
    catalogue's affiliation) is kept: "al-Qaeda-linked fighters" are read as al-Qaeda, whose
    Sahel affiliate is JNIM."""
    m = mentions or Mentions()
    admin1 = frozenset(a.name for a in m.admin1)
    armed = [g for g in m.groups if not g.state]
    return {
        "places": frozenset(p.name for p in m.places) | admin1,
        "groups": frozenset(g.name for g in armed),
        "countries": frozenset(m.countries),
        "admin1": admin1,
        "towns": frozenset(p.name for p in m.places),
        "affiliations": frozenset(g.affiliation for g in armed if g.affiliation),
    }


def _language_code(language: str | None) -> str | None:
    """ "en-GB", "fr_FR", "French" → "en", "fr"; None stays None (told from the text)."""
    if not language:
        return None
    code = language.strip().lower().replace("_", "-").split("-")[0]
    return {"english": "en", "french": "fr", "francais": "fr", "français": "fr"}.get(code, code[:2] or None)
