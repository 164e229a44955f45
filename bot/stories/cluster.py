"""Online story clustering: each article joins an open story about the same event, or starts one.

Candidates are the open stories holding a report that MinHash LSH on content words
(datasketch) finds near. Each is scored by its most similar such report; shared places
raise the score, disjoint places or groups lower it, disjoint countries forbid the join.
A wrong merge hides an alert, so the join threshold is set for precision (see bench/).

Another outlet's copy of a report already in a story (nearly the same words) joins that story
at once and is not compared against again: a wire report carried by fifty outlets costs one
comparison per copy, not fifty, and its words are counted once in the word weights.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from functools import lru_cache

from datasketch import MinHash, MinHashLSH
from datasketch.hashfunc import sha1_hash32

from bot.models import Item, Mentions
from bot.stories.lexicon import event_kinds
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
    copy: float = 0.8  # word-set Jaccard with one report at which another is its copy
    lsh_threshold: float = 0.2  # low: headlines are short; 0.1 found nothing more on dev
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
    kinds: frozenset[str] = frozenset()  # what happened, by family, as the headline says it


@dataclass
class _Story:
    id: str
    first: datetime | None
    last: datetime | None
    docs: list[_Doc] = field(default_factory=list)
    places: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    copies: list[str] = field(default_factory=list)  # ids of reports joined as copies


# Outlets call one violent event an attack, a raid, a clash or an ambush; a kidnapping or a
# protest is another event even in the same town on the same day.
_DISTINCT_FAMILIES = {"kidnapping": "kidnapping", "protest": "protest"}


@lru_cache(maxsize=4096)  # other outlets' copies repeat the headline
def event_families(title: str) -> frozenset[str]:
    return frozenset(_DISTINCT_FAMILIES.get(kind, "violence") for kind, _, _ in event_kinds(title))


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
        self._indexed: dict[str, _Doc] = {}  # the docs in LSH (open stories, copies aside)
        self._by_title: dict[frozenset[str], list[str]] = {}  # headline words → indexed docs
        self._clock: datetime | None = None  # latest published time seen
        self._expired_at: datetime | None = None  # the clock at the last _expire

    # -- public ------------------------------------------------------------------------

    def add(self, doc: StoryDoc) -> Assignment:
        if doc.id in self._doc_story:
            return Assignment(self._doc_story[doc.id], False, 1.0, "already seen")
        when = doc.published or self._clock
        if doc.published and (self._clock is None or doc.published > self._clock):
            self._clock = doc.published
        if self._clock is not None and self._clock != self._expired_at:
            self._expire(self._clock)  # only when time moved: it looks at every open story
            self._expired_at = self._clock
        item, places, groups, countries = self._prepare(doc, when)
        # Syndicated copies mostly keep the headline: look among those first, and only then
        # hash the words for LSH (a copy found by its headline costs no MinHash at all).
        copy = (
            self._copy_of(item, self._by_title.get(item.title_words, []), countries)
            if item.title_words
            else None
        )
        near = self._lsh.query(self._minhash(item.words)) if item.words and not copy else []
        copy = copy or self._copy_of(item, near, countries)
        if copy is not None:
            story, original, overlap = copy
            self._attach(story, item, places, groups, countries, as_copy=True)
            return Assignment(story.id, False, 1.0, f"copy of {original} (words {overlap:.2f})")
        self._df.add(item.words)
        best = self._best_story(item, near, places, groups, countries)
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
        self._df.add(item.words)
        # A closed story that gets a report back is open again: its reports go back into the
        # indexes, and the next add() closes it properly (out of LSH) if it is still quiet.
        story = self._open.get(story_id)
        if story is None and story_id in self._closed:
            story = self._reopen(self._closed.pop(story_id))
            self._expired_at = None
        story = story or _Story(story_id, when, when)
        self._open[story_id] = story
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
        title = frozenset(content_words(doc.title))
        words = title | frozenset(content_words(doc.text[:_LEAD_CHARS]))
        item = _Doc(doc.id, words, title, when, event_families(doc.title))
        countries = frozenset(c.upper() for c in doc.countries)
        return item, _fold_all(doc.places), _fold_all(doc.groups), countries

    def _copy_of(self, item: _Doc, near: list[str], countries) -> tuple[_Story, str, float] | None:
        """The story holding a report whose words this one nearly repeats, if any."""
        best, size = None, len(item.words)
        for doc_id in near:
            other = self._indexed[doc_id].words
            if min(size, len(other)) < self.t.copy * max(size, len(other)):
                continue  # sizes alone keep the overlap below the copy level
            shared = len(item.words & other)
            overlap = shared / (size + len(other) - shared)
            if overlap >= self.t.copy and (best is None or (overlap, doc_id) > best[1:]):
                best = (doc_id, overlap)
        if best is None:
            return None
        story = self._open[self._doc_story[best[0]]]
        if not self._in_window(story, item.when) or not self._compatible(story, item, countries):
            return None
        return story, *best

    def _best_story(self, item, near, places, groups, countries) -> tuple[_Story, float, str] | None:
        best = None
        for story, hits in self._candidates(near):
            if not self._in_window(story, item.when):
                continue
            beat = self.t.join if best is None else max(self.t.join, best[1])
            scored = self._score(story, hits, item, places, groups, countries, beat)
            if scored and (best is None or scored[0] > best[1]):
                best = (story, *scored)
        return best

    def _candidates(self, near: list[str]) -> list[tuple[_Story, set[str]]]:
        """The open stories LSH found near, each with the doc ids it found in it.

        Only these: a story that merely names the same town or group was scored too once,
        and on the dev set that added wrong merges and no right ones, at a cost growing
        with the window (every story in Borno is a candidate for every Borno report).
        """
        hits: dict[str, set[str]] = defaultdict(set)
        for doc_id in near:
            hits[self._doc_story[doc_id]].add(doc_id)
        # Sorted so ties break the same way in every run.
        return [(self._open[i], hits[i]) for i in sorted(hits) if i in self._open]

    def _score(self, story: _Story, hits: set[str], item: _Doc, places, groups, countries, beat: float):
        """(score, reason), exact when the score reaches `beat` (what joining or beating the
        best so far needs); below it, a lower bound is enough and cheaper."""
        if not self._compatible(story, item, countries):
            return None
        agree = agreement((places, frozenset(story.places)), (groups, frozenset(story.groups)))
        adjust = self.t.place_bonus if agree.shared_places else 0.0
        adjust += self.t.group_bonus if agree.shared_groups else 0.0
        adjust -= self.t.place_conflict if agree.places_conflict else 0.0
        adjust -= self.t.group_conflict if agree.groups_conflict else 0.0
        floor = max(self.t.min_text, beat - adjust)
        # Compared through its LSH neighbours only: however big the story, a few reports.
        text = max(self._text_similarity(item, self._indexed[i], floor) for i in hits)
        if text < self.t.min_text:
            return None
        score = text + adjust
        shared = agree.describe()
        return score, f"text {text:.2f}" + (f" + {shared}" if shared else "")

    @staticmethod
    def _compatible(story: _Story, item: _Doc, countries: frozenset[str]) -> bool:
        if countries and story.countries and not countries & story.countries:
            return False  # different countries: never one event, whatever the words say
        # A kidnapping is not the attack reported beside it.
        return not (item.kinds and story.kinds and not item.kinds & story.kinds)

    def _text_similarity(self, a: _Doc, b: _Doc, floor: float) -> float:
        # Titles compared alone too: a long description full of context dilutes two headlines
        # that name the same people and places.
        lead = text_similarity(a.words, b.words, self._df, floor=floor)
        if a.title_words == a.words and b.title_words == b.words:
            return lead
        titles = text_similarity(a.title_words, b.title_words, self._df, floor=max(floor, lead))
        return max(lead, titles)

    def _in_window(self, story: _Story, when: datetime | None) -> bool:
        if when is None or story.first is None or story.last is None:
            return True
        return story.first - self.window <= when <= story.last + self.window

    def _attach(self, story: _Story, item: _Doc, places, groups, countries, *, as_copy: bool = False) -> None:
        if as_copy:
            story.copies.append(item.id)
        else:
            story.docs.append(item)
            self._index(item)
        story.places |= places
        story.groups |= groups
        story.countries |= countries
        story.kinds |= item.kinds
        if item.when is not None:
            story.first = min(story.first or item.when, item.when)
            story.last = max(story.last or item.when, item.when)
        self._doc_story[item.id] = story.id

    def _index(self, d: _Doc) -> None:
        if d.words:
            self._lsh.insert(d.id, self._minhash(d.words))
            self._indexed[d.id] = d
            self._by_title.setdefault(d.title_words, []).append(d.id)

    def _unindex(self, d: _Doc) -> None:
        if self._indexed.pop(d.id, None):
            self._lsh.remove(d.id)
            same_title = self._by_title[d.title_words]
            same_title.remove(d.id)
            if not same_title:
                del self._by_title[d.title_words]

    def _reopen(self, story: _Story) -> _Story:
        """Index a closed story's reports again, as _expire had taken them out."""
        for d in story.docs:
            self._df.add(d.words)
            self._index(d)
        return story

    def _expire(self, now: datetime) -> None:
        for sid in [sid for sid, s in self._open.items() if _quiet(s.last, now, self.window)]:
            story = self._open.pop(sid)
            for d in story.docs:
                self._df.remove(d.words)
                self._unindex(d)
            self._closed[sid] = story
        # Forget closed stories long past, so a worker that runs for months stays small.
        horizon = now - 7 * self.window
        for sid in [sid for sid, s in self._closed.items() if s.last and s.last < horizon]:
            story = self._closed.pop(sid)
            for doc_id in [d.id for d in story.docs] + story.copies:
                self._doc_story.pop(doc_id, None)

    def _minhash(self, words: frozenset[str]) -> MinHash:
        m = MinHash(
            num_perm=self.t.num_perm,
            permutations=self._perm.permutations,
            scheme=self._perm.scheme,
            hashfunc=_word_hash,
        )
        m.update_batch(sorted(words))
        return m


@lru_cache(maxsize=65536)
def _word_hash(word: str) -> int:
    """datasketch's own 32-bit SHA-1 hash, once per word: every report repeats most words."""
    return sha1_hash32(word.encode())


def _quiet(last: datetime | None, now: datetime, window: timedelta) -> bool:
    return last is not None and last + window < now
