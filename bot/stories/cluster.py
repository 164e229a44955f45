"""Online story clustering: each article joins an open story about the same event, or starts one.

Candidates come from two indexes over the open window: MinHash LSH on content words
(datasketch) and the places/groups a story names. Each candidate story is scored by its most
similar article; shared places and groups raise the score, disjoint countries forbid the join.
A wrong merge hides an alert, so the join threshold is set for precision (see bench/).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

from datasketch import MinHash, MinHashLSH

from bot.models import Item, Mentions
from bot.stories.similarity import DocFrequencies, agreement, text_similarity
from bot.stories.text import content_words
from bot.stories.urls import normalise_text

_LEAD_CHARS = 1500  # the lead says which event; the rest of an article drifts into context


@dataclass(frozen=True)
class StoryDoc:
    id: str
    title: str
    text: str
    source: str
    published: datetime | None
    places: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("StoryDoc needs a non-empty id")
        if self.published is not None and self.published.utcoffset() is None:
            raise ValueError(f"StoryDoc {self.id}: published must be timezone-aware")

    @classmethod
    def from_item(
        cls, item: Item, mentions: Mentions | None = None, *, doc_id: str | None = None
    ) -> StoryDoc:
        """The pipeline's view of an item: its text plus what the matcher found in it."""
        return cls(
            id=doc_id or f"{item.source_id}:{item.guid}",
            title=item.title,
            text=item.text or item.summary,
            source=item.source_id,
            published=item.published,
            **entities(mentions),
        )


def entities(mentions: Mentions | None) -> dict[str, frozenset[str]]:
    """StoryDoc's places/groups/countries from matcher output. First-level regions count as
    places (measured: two reports naming "Kogi" are more often one event than not)."""
    m = mentions or Mentions()
    return {
        "places": frozenset([p.name for p in m.places] + [a.name for a in m.admin1]),
        "groups": frozenset(g.name for g in m.groups),
        "countries": frozenset(m.countries),
    }


@dataclass(frozen=True)
class Assignment:
    story_id: str
    is_new: bool
    score: float
    reason: str


@dataclass(frozen=True)
class Thresholds:
    """Knobs of the join decision; defaults measured by bench/cluster_dev.py."""

    join: float = 0.5  # combined score needed to join a story
    min_text: float = 0.12  # text similarity below this never joins, whatever the entities say
    place_bonus: float = 0.25  # the two name a specific place in common
    # A shared group is weak evidence: the group's name already counts in the text, and
    # Boko Haram or al-Shabaab fight many battles a week (bench: any bonus lost precision).
    group_bonus: float = 0.0
    place_conflict: float = 0.2  # both name specific places, none shared
    group_conflict: float = 0.2  # both name armed groups, none shared
    lsh_threshold: float = 0.1  # low: headlines are short, LSH only proposes candidates
    num_perm: int = 128


def story_id_for(doc_id: str) -> str:
    """Deterministic from the first article, so a live run and an offline run agree."""
    return "s-" + hashlib.sha1(doc_id.encode()).hexdigest()[:12]


@dataclass
class _Doc:
    id: str
    words: frozenset[str]  # title + lead
    title_words: frozenset[str]  # headlines alone say the event most densely
    when: datetime | None


@dataclass
class _Story:
    id: str
    first: datetime | None
    last: datetime | None
    docs: list[_Doc] = field(default_factory=list)
    places: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)


def _fold_all(names: frozenset[str]) -> frozenset[str]:
    return frozenset(n for n in (normalise_text(x) for x in names) if n)


class Clusterer:
    def __init__(self, *, window: timedelta = timedelta(hours=72), **thresholds: float) -> None:
        known = {f.name for f in fields(Thresholds)}
        unknown = sorted(set(thresholds) - known)
        if unknown:
            raise TypeError(f"unknown threshold(s) {unknown}; known: {sorted(known)}")
        if window <= timedelta(0):
            raise ValueError(f"window must be positive, got {window}")
        self.window = window
        self.t = Thresholds(**thresholds)  # type: ignore[arg-type]
        self._lsh = MinHashLSH(threshold=self.t.lsh_threshold, num_perm=self.t.num_perm)
        self._perm = MinHash(num_perm=self.t.num_perm)
        self._df = DocFrequencies()
        self._open: dict[str, _Story] = {}
        self._closed: dict[str, _Story] = {}  # closed, not yet forgotten
        self._doc_story: dict[str, str] = {}  # every doc id seen → its story (idempotent add)
        self._by_entity: dict[str, set[str]] = defaultdict(set)  # "p:name"/"g:name" → story ids
        self._clock: datetime | None = None  # latest published time seen

    # -- public ------------------------------------------------------------------------

    def add(self, doc: StoryDoc) -> Assignment:
        if doc.id in self._doc_story:
            return Assignment(self._doc_story[doc.id], False, 1.0, "already seen")
        when = doc.published or self._clock
        if doc.published and (self._clock is None or doc.published > self._clock):
            self._clock = doc.published
        if self._clock is not None:
            self._expire(self._clock)
        item, places, groups, countries = self._prepare(doc, when)
        best = self._best_story(item, places, groups, countries)
        if best is not None and best[1] >= self.t.join:
            story, score, reason = best
            is_new = False
        else:
            story = _Story(story_id_for(doc.id), when, when)
            self._open[story.id] = story
            score = best[1] if best else 0.0
            reason = "new story" + (f" (nearest {best[0].id} scored {best[1]:.2f})" if best else "")
            is_new = True
        self._attach(story, item, places, groups, countries)
        return Assignment(story.id, is_new, round(score, 4), reason)

    def restore(self, doc: StoryDoc, story_id: str) -> None:
        """Put back a doc whose story is already decided (warming up from the store after a
        restart, or catching up with what another replica processed)."""
        if doc.id in self._doc_story:
            return
        when = doc.published or self._clock
        if doc.published and (self._clock is None or doc.published > self._clock):
            self._clock = doc.published
        item, places, groups, countries = self._prepare(doc, when)
        story = self._open.get(story_id) or self._closed.get(story_id)
        if story is None:
            story = self._open[story_id] = _Story(story_id, when, when)
        self._attach(story, item, places, groups, countries)

    def closed_before(self, now: datetime) -> list[str]:
        """Stories whose last article is more than `window` before `now`, oldest first."""
        if now.utcoffset() is None:
            raise ValueError("closed_before: now must be timezone-aware")
        stories = [*self._open.values(), *self._closed.values()]
        quiet = {s.id: s.last for s in stories if _quiet(s.last, now, self.window)}
        return [sid for sid, _ in sorted(quiet.items(), key=lambda kv: (kv[1], kv[0]))]

    def story_of(self, doc_id: str) -> str | None:
        return self._doc_story.get(doc_id)

    # -- internals ---------------------------------------------------------------------

    def _prepare(self, doc: StoryDoc, when: datetime | None):
        words = frozenset(content_words(f"{doc.title}\n{doc.text[:_LEAD_CHARS]}"))
        item = _Doc(doc.id, words, frozenset(content_words(doc.title)), when)
        self._df.add(item.words)
        countries = frozenset(c.upper() for c in doc.countries)
        return item, _fold_all(doc.places), _fold_all(doc.groups), countries

    def _best_story(self, item, places, groups, countries) -> tuple[_Story, float, str] | None:
        best = None
        for story in self._candidates(item, places, groups):
            if not self._in_window(story, item.when):
                continue
            scored = self._score(story, item, places, groups, countries)
            if scored and (best is None or scored[0] > best[1]):
                best = (story, *scored)
        return best

    def _candidates(self, item: _Doc, places, groups) -> list[_Story]:
        ids = {self._doc_story[d] for d in self._lsh.query(self._minhash(item.words))}
        for key in [f"p:{p}" for p in places] + [f"g:{g}" for g in groups]:
            ids |= self._by_entity.get(key, set())
        # Sorted so ties break the same way in every run.
        return [self._open[i] for i in sorted(ids) if i in self._open]

    def _score(self, story: _Story, item: _Doc, places, groups, countries):
        agree = agreement(
            (places, frozenset(story.places)),
            (groups, frozenset(story.groups)),
            (countries, frozenset(story.countries)),
        )
        if agree.countries_conflict:
            return None  # different countries: never one event, whatever the words say
        text = max(self._text_similarity(item, d) for d in story.docs)
        if text < self.t.min_text:
            return None
        score = text
        score += self.t.place_bonus if agree.shared_places else 0.0
        score += self.t.group_bonus if agree.shared_groups else 0.0
        score -= self.t.place_conflict if agree.places_conflict else 0.0
        score -= self.t.group_conflict if agree.groups_conflict else 0.0
        shared = agree.describe()
        return score, f"text {text:.2f}" + (f" + {shared}" if shared else "")

    def _text_similarity(self, a: _Doc, b: _Doc) -> float:
        # Titles compared alone too: a long description full of context dilutes two headlines
        # that name the same people and places.
        lead = text_similarity(a.words, b.words, self._df)
        if a.title_words == a.words and b.title_words == b.words:
            return lead
        return max(lead, text_similarity(a.title_words, b.title_words, self._df))

    def _in_window(self, story: _Story, when: datetime | None) -> bool:
        if when is None or story.first is None or story.last is None:
            return True
        return story.first - self.window <= when <= story.last + self.window

    def _attach(self, story: _Story, item: _Doc, places, groups, countries) -> None:
        story.docs.append(item)
        story.places |= places
        story.groups |= groups
        story.countries |= countries
        if item.when is not None:
            story.first = min(story.first or item.when, item.when)
            story.last = max(story.last or item.when, item.when)
        for key in [f"p:{p}" for p in places] + [f"g:{g}" for g in groups]:
            self._by_entity[key].add(story.id)
        self._doc_story[item.id] = story.id
        if item.words:
            self._lsh.insert(item.id, self._minhash(item.words))

    def _expire(self, now: datetime) -> None:
        for sid in [sid for sid, s in self._open.items() if _quiet(s.last, now, self.window)]:
            story = self._open.pop(sid)
            for d in story.docs:
                self._df.remove(d.words)
                if d.words:
                    self._lsh.remove(d.id)
            for key in [f"p:{p}" for p in story.places] + [f"g:{g}" for g in story.groups]:
                self._by_entity[key].discard(sid)
            self._closed[sid] = story
        # Forget closed stories long past, so a worker that runs for months stays small.
        horizon = now - 7 * self.window
        for sid in [sid for sid, s in self._closed.items() if s.last and s.last < horizon]:
            for d in self._closed.pop(sid).docs:
                self._doc_story.pop(d.id, None)

    def _minhash(self, words: frozenset[str]) -> MinHash:
        m = MinHash(num_perm=self.t.num_perm, permutations=self._perm.permutations, scheme=self._perm.scheme)
        m.update_batch([w.encode() for w in sorted(words)])
        return m


def _quiet(last: datetime | None, now: datetime, window: timedelta) -> bool:
    return last is not None and last + window < now
