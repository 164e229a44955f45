"""Online story clustering: each report joins an open story about the same event, or starts one.

Candidates are the open stories that share a rare word, name, place, group or named event
with the report (bot/stories/index.py). Each is scored by how alike the report is to its
nearest report and to the story's word profile, plus the evidence of bot/stories/evidence.py
(shared place, same toll, named event; different places or groups lower the score; different
countries, or an attack against a flood, forbid the join). A wrong merge hides an alert, so
the join threshold is set for precision (docs/stories.md).

Another outlet's copy of a report already in a story (nearly the same words) joins that story
at once and is not compared against again: a wire report carried by fifty outlets costs one
comparison per copy, not fifty, and its words are counted once in the word weights.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

from bot.stories.clues import word_clues
from bot.stories.doc import StoryDoc, entities
from bot.stories.evidence import (
    StorySide,
    Verdict,
    adjustments,
    blocked,
    cross_language,
    cross_language_backed,
    two_scenes,
    unsaid_kind,
)
from bot.stories.features import Features, features
from bot.stories.index import StoryIndex
from bot.stories.similarity import DocFrequencies, profile_cosine, set_cosine
from bot.stories.thresholds import Thresholds

__all__ = ["Assignment", "Clusterer", "StoryDoc", "Thresholds", "entities", "story_id_for"]


@dataclass(frozen=True)
class Assignment:
    story_id: str
    is_new: bool
    score: float
    reason: str
    verdict: Verdict | None = None  # the evidence for the best candidate story, if any


def story_id_for(doc_id: str) -> str:
    """Deterministic from the first article, so a live run and an offline run agree."""
    return "s-" + hashlib.sha1(doc_id.encode()).hexdigest()[:12]


@dataclass
class _Story:
    side: StorySide
    first: datetime | None
    docs: list[Features] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)  # ids of reports joined as copies
    counts: Counter[str] = field(default_factory=Counter)  # words over its reports
    title_counts: Counter[str] = field(default_factory=Counter)  # headline words over its reports
    names: Counter[str] = field(default_factory=Counter)

    @property
    def id(self) -> str:
        return self.side.id

    @property
    def last(self) -> datetime | None:
        return self.side.last


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
        self._df = DocFrequencies(name_boost=self.t.name_boost)
        self._totals: dict[str, tuple[int, float, float]] = {}  # doc id → (epoch, words, headline)
        self._index = StoryIndex()
        self._open: dict[str, _Story] = {}
        self._closed: dict[str, _Story] = {}  # closed, not yet forgotten
        self._doc_story: dict[str, str] = {}  # every doc id seen → its story (idempotent add)
        self._by_title: dict[frozenset[str], list[Features]] = {}  # headline words → open reports
        self._clock: datetime | None = None  # latest published time seen
        self._expired_at: datetime | None = None  # the clock at the last _expire

    # -- public ------------------------------------------------------------------------

    def add(self, doc: StoryDoc) -> Assignment:
        if doc.id in self._doc_story:
            return Assignment(self._doc_story[doc.id], False, 1.0, "already seen")
        f = features(doc, self._advance(doc.published))
        copy = self._copy_of(f, self._by_title.get(f.title_words, []) if f.title_words else [])
        candidates = [] if copy else self._candidates(f)
        copy = copy or self._copy_of(f, [d for s in candidates for d in s.docs[-self.t.recent :]])
        if copy is not None:
            story, original, overlap = copy
            self._attach(story, f, as_copy=True)
            return Assignment(story.id, False, 1.0, f"copy of {original} (words {overlap:.2f})")
        self._df.add(f.words, f.names, f.actors)
        best = self._best(f, candidates)
        if best is not None and best.blocked is None and best.score >= self.t.join:
            self._attach(self._open[best.story_id], f)
            return Assignment(best.story_id, False, round(best.score, 4), best.describe(), best)
        story = self._new_story(story_id_for(doc.id), f.when)
        self._attach(story, f)
        reason = "new story"
        if best is not None:
            reason += f" (nearest {best.story_id} scored {best.score:.2f}: {best.describe()})"
        return Assignment(story.id, True, round(best.score, 4) if best else 0.0, reason, best)

    def restore(self, doc: StoryDoc, story_id: str) -> None:
        """Put back a doc whose story is already decided (warming up from the store after a
        restart, or catching up with what another replica processed)."""
        if doc.id in self._doc_story:
            return
        when = doc.published or self._clock
        if doc.published and (self._clock is None or doc.published > self._clock):
            self._clock = doc.published
        f = features(doc, when)
        self._df.add(f.words, f.names, f.actors)
        # A closed story that gets a report back is open again: its reports go back into the
        # indexes, and the next add() closes it properly if it is still quiet.
        story = self._open.get(story_id)
        if story is None and story_id in self._closed:
            story = self._reopen(self._closed.pop(story_id))
            self._expired_at = None
        story = story or self._new_story(story_id, when)
        self._attach(story, f)

    def closed_before(self, now: datetime) -> list[str]:
        """Stories whose last article is more than `window` before `now`, oldest first."""
        if now.utcoffset() is None:
            raise ValueError("closed_before: now must be timezone-aware")
        stories = [*self._open.values(), *self._closed.values()]
        quiet = {s.id: s.last for s in stories if _quiet(s.last, now, self.window)}
        return [sid for sid, _ in sorted(quiet.items(), key=lambda kv: (kv[1], kv[0]))]

    def story_of(self, doc_id: str) -> str | None:
        return self._doc_story.get(doc_id)

    # -- deciding ----------------------------------------------------------------------

    def _advance(self, published: datetime | None) -> datetime | None:
        if published and (self._clock is None or published > self._clock):
            self._clock = published
        if self._clock is not None and self._clock != self._expired_at:
            self._expire(self._clock)  # only when time moved: it looks at every open story
            self._expired_at = self._clock
        return published or self._clock

    def _candidates(self, f: Features) -> list[_Story]:
        ids = self._index.candidates(
            f.index_keys(), self._key_weight, cap=self.t.key_cap, limit=self.t.candidates
        )
        return [self._open[i] for i in ids if self._in_window(self._open[i], f.when)]

    def _key_weight(self, key: str) -> float:
        # Entities and named events are rare by nature; words weigh as rare as they are.
        return 1.0 if key[0] in "@!" else self._df.weight(key)

    def _copy_of(self, f: Features, near: list[Features]) -> tuple[_Story, str, float] | None:
        """The story holding a report whose words this one nearly repeats, if any."""
        best, size = None, len(f.words)
        for d in near:
            other = d.words
            if not size or min(size, len(other)) < self.t.copy * max(size, len(other)):
                continue  # sizes alone keep the overlap below the copy level
            shared = len(f.words & other)
            overlap = shared / (size + len(other) - shared)
            if overlap >= self.t.copy and (best is None or (overlap, d.id) > (best[1], best[0].id)):
                best = (d, overlap)
        if best is None:
            return None
        story = self._open[self._doc_story[best[0].id]]
        if not self._in_window(story, f.when) or blocked(f, story.side):
            return None
        return story, best[0].id, best[1]

    def _best(self, f: Features, candidates: list[_Story]) -> Verdict | None:
        best = None
        for story in candidates:
            v = self._weigh(f, story)
            if best is None or (v.blocked is None, v.score) > (best.blocked is None, best.score):
                best = v
        return best

    def _weigh(self, f: Features, story: _Story) -> Verdict:
        s = story.side
        why = blocked(f, s)
        if why:
            return Verdict(s.id, 0.0, 0.0, None, blocked=why)
        other_language = cross_language(f, s)
        weigh = self._df.weight
        text, nearest = self._text(f, story, weigh, universal=other_language)
        pieces = adjustments(f, s, self.t, self._place_rarity, story.counts)
        shared = sorted(f.names & story.names.keys(), key=lambda n: (-weigh(n), n))
        near = next((d.words for d in story.docs if d.id == nearest), frozenset())
        if two_scenes(f, s):
            # Two attacks in two towns of one province: its name, which both headlines carry
            # ("Ménaka : … près d'Inékar", "at Ménaka livestock market"), is why they are alike.
            text = min(text, self._beyond_places(f, s, near, weigh))
        score = text + sum(p.score for p in pieces)
        # Across languages a country's name is translated ("Guinée" / "Guinea"): the matcher's
        # country stands for it. Within one language the name is a word, or the matcher's
        # reading of a word both share ("Meta"), which must not count twice.
        same_country = other_language and bool(f.countries & s.countries)
        clues = word_clues(
            f,
            near,
            story.counts,
            self._index.stories_with,
            same_country=same_country,
            story_says_what=bool(s.families),
        )
        clues += sum(p.clue for p in pieces)
        # Across languages only what needs no translation is compared: a report that is that
        # alike (names, numbers, kinds and words written alike) is its own backing, unless all
        # it shares is one name ("Kolofata" alone makes any two short headlines alike).
        translated = other_language and text >= self.t.cross_text and not self._one_name(f, near, story)
        why = None
        # A security event's scene (evidence._scene) stands for the words two reports do not
        # share, unless something contradicts it: tolls of 5 and 30 are two attacks.
        scene = any(p.scene for p in pieces) and not any(p.score < 0 for p in pieces)
        if text < self.t.min_text and not scene:
            why = f"text {text:.2f} below {self.t.min_text}"
        elif clues < self.t.min_clues and not translated:
            why = f"{clues:g} clue(s) in common: one shared word or name is no story"
        elif unsaid := unsaid_kind(f, s, lambda: self._beyond_places(f, s, near, weigh), self.t):
            why = unsaid
        elif not any(p.score > 0 for p in pieces) and any(
            d.id == nearest and d.source == f.source for d in story.docs
        ):
            why = self._same_feed(f, s, text)
        if why is None and (
            other_language
            and not translated
            and not cross_language_backed(f, s, self._shared_weight(f, story, weigh), self.t.cross_weight)
        ):
            why = "other language, and no place, group, named event, toll or rare name in common"
        adjust = tuple((p.label, p.score) for p in pieces)
        return Verdict(s.id, score, text, nearest, tuple(shared[:8]), adjust, other_language, why, clues)

    @staticmethod
    def _beyond_places(f: Features, s: StorySide, near: frozenset[str], weigh) -> float:
        """How alike a report and its nearest are without the places' names: two headlines of
        one town and its province are alike by those alone."""
        where = {part for p in f.places | s.places for part in p.split("_")}
        return set_cosine(f.words - where, near - where, weigh, spelling=False)

    @staticmethod
    def _one_name(f: Features, near: frozenset[str], story: _Story) -> bool:
        """All that needs no translation and a report shares with its nearest is one name."""
        names = f.names | story.names.keys()
        shared = [w for w in f.words & near if _untranslated(w, names)]
        return len(shared) == 1 and shared[0] in names

    def _same_feed(self, f: Features, s: StorySide, text: float) -> str | None:
        """One feed's two reports on one topic with nothing but words in common: AllAfrica's
        G20, USAID or COP16 items are developments, each its own story, unless they are alike
        and the story is still active (one outlet's items on one release come minutes apart;
        its item of the next morning is the next development)."""
        if text < self.t.same_outlet_text:
            return f"text {text:.2f} alone, from the same feed: below {self.t.same_outlet_text}"
        hours = (f.when - s.last).total_seconds() / 3600 if f.when and s.last else 0.0
        if hours >= self.t.same_outlet_hours:
            return f"words alone, from the same feed, after the story was quiet {hours:.0f} h"
        return None

    def _doc_totals(self, d: Features) -> tuple[float, float]:
        """A report's total word weight and headline weight, kept until the weights change."""
        cached = self._totals.get(d.id)
        if cached is None or cached[0] != self._df.epoch:
            weigh = self._df.weight
            cached = (self._df.epoch, sum(map(weigh, d.words)), sum(map(weigh, d.title_words)))
            self._totals[d.id] = cached
        return cached[1], cached[2]

    @staticmethod
    def _shared_weight(f: Features, story: _Story, weigh) -> float:
        """The weight of the words a report shares with most of a story's reports (kinds of
        event aside: every attack shares "#attack")."""
        half = len(story.docs) / 2
        return sum(weigh(w) for w in f.words if w[0] != "#" and story.counts.get(w, 0) >= half)

    def _text(self, f: Features, story: _Story, weigh, *, universal: bool) -> tuple[float, str | None]:
        """How alike the report is to the story: to its nearest recent report, and to the
        story's word profile once it has a few reports (a report that is like one member but
        not like the story as a whole is how unrelated stories chain together)."""
        best, nearest = 0.0, None
        for d in story.docs[-self.t.recent :]:
            sim = self._pair(f, d, weigh, universal, floor=max(best, self.t.min_text))
            if sim > best:
                best, nearest = sim, d.id
        n = len(story.docs)
        if n > 1:
            if universal:
                names = f.names | story.names.keys()
                mine = translatable(f.words, names, frozenset(story.counts))
                words = Counter(
                    {w: c for w, c in story.counts.items() if w in f.words or _untranslated(w, names)}
                )
                profile = profile_cosine(mine, words, n, weigh)
            else:
                profile = profile_cosine(f.title_words, story.title_counts, n, weigh)
                if f.words != f.title_words:
                    profile = max(profile, (profile + profile_cosine(f.words, story.counts, n, weigh)) / 2)
            best = max(profile, (best + profile) / 2) if n >= 3 else max(best, profile)
        return best, nearest

    def _pair(self, f: Features, d: Features, weigh, universal: bool, *, floor: float) -> float:
        """Report to report. Headlines say the event most densely; a lead adds the facts but
        also context two unrelated reports share ("at the AU summit in Addis Ababa"), so two
        leads lift two headlines' likeness only part of the way toward theirs."""
        if universal:
            names = f.names | d.names
            a, b = translatable(f.words, names, d.words), translatable(d.words, names, f.words)
            return set_cosine(a, b, weigh, floor=floor)
        (fw, ft), (dw, dt) = self._doc_totals(f), self._doc_totals(d)
        titles = set_cosine(f.title_words, d.title_words, weigh, floor=floor, totals=(ft, dt))
        # Spellings are paired in headlines only: leads are long, and a transliterated name
        # that matters is in the headline.
        whole = set_cosine(f.words, d.words, weigh, floor=max(floor, titles), totals=(fw, dw), spelling=False)
        both_leads = f.words != f.title_words and d.words != d.title_words
        if not both_leads:
            return max(titles, whole)
        if f.outlet and f.outlet == d.outlet:
            # One outlet's two reports share its boilerplate ("During his participation at the
            # 38th session..." in two press releases): between them, the headlines decide.
            return titles
        return max(titles, titles + self.t.lead_share * (whole - titles))

    def _place_rarity(self, place: str) -> float:
        """A place many open stories name (a capital, a busy province) is weak evidence."""
        n = self._index.stories_with(f"@{place}")
        return min(1.0, 3.0 / n) if n else 1.0

    def _in_window(self, story: _Story, when: datetime | None) -> bool:
        if when is None or story.first is None or story.last is None:
            return True
        return story.first - self.window <= when <= story.last + self.window

    # -- keeping state -----------------------------------------------------------------

    def _new_story(self, story_id: str, when: datetime | None) -> _Story:
        story = _Story(StorySide(story_id, when), when)
        self._open[story_id] = story
        return story

    def _attach(self, story: _Story, f: Features, *, as_copy: bool = False) -> None:
        if as_copy:
            story.copies.append(f.id)
        else:
            story.docs.append(f)
            self._index_doc(story, f)
        s = story.side
        s.places |= f.places
        s.admin1 |= f.admin1
        s.seats |= f.seats
        s.groups |= f.groups
        s.parents |= f.parents
        s.districts |= f.districts
        s.countries |= f.countries
        s.kinds |= f.kinds
        s.families |= f.families
        s.events |= f.events
        s.violent = s.violent or f.violent
        s.victims |= set(f.victims)
        if f.toll is not None:
            s.tolls.add(f.toll)
        if f.lang:
            s.langs.add(f.lang)
        if f.label:
            s.labels.add(f.label)
        if f.when is not None:
            story.first = min(story.first or f.when, f.when)
            s.last = max(s.last or f.when, f.when)
        self._doc_story[f.id] = story.id

    def _index_doc(self, story: _Story, f: Features) -> None:
        story.counts.update(f.words)
        story.title_counts.update(f.title_words)
        story.names.update(f.names)
        self._index.add(story.id, f.index_keys())
        if f.title_words:
            self._by_title.setdefault(f.title_words, []).append(f)

    def _unindex_doc(self, story: _Story, f: Features) -> None:
        self._index.remove(story.id, f.index_keys())
        same_title = self._by_title.get(f.title_words)
        if same_title is not None:
            same_title.remove(f)
            if not same_title:
                del self._by_title[f.title_words]

    def _reopen(self, story: _Story) -> _Story:
        """Index a closed story's reports again, as _expire had taken them out."""
        for d in story.docs:
            self._df.add(d.words, d.names, d.actors)
            self._index.add(story.id, d.index_keys())
            if d.title_words:
                self._by_title.setdefault(d.title_words, []).append(d)
        self._open[story.id] = story
        return story

    def _expire(self, now: datetime) -> None:
        for sid in [sid for sid, s in self._open.items() if _quiet(s.last, now, self.window)]:
            story = self._open.pop(sid)
            for d in story.docs:
                self._df.remove(d.words, d.names, d.actors)
                self._unindex_doc(story, d)
                self._totals.pop(d.id, None)
            self._closed[sid] = story
        # Forget closed stories long past, so a worker that runs for months stays small.
        horizon = now - 7 * self.window
        for sid in [sid for sid, s in self._closed.items() if s.last and s.last < horizon]:
            story = self._closed.pop(sid)
            for doc_id in [d.id for d in story.docs] + story.copies:
                self._doc_story.pop(doc_id, None)


def translatable(words: frozenset[str], names, other: frozenset[str]) -> frozenset[str]:
    """The words two reports in different languages can share: names (either report's),
    numbers, kinds of event, entities, and words both happen to write alike ("mpox",
    "referendum"); the rest is translation, no evidence either way."""
    return frozenset(w for w in words if w in other or _untranslated(w, names))


def _untranslated(word: str, names) -> bool:
    return word in names or word[0] in "#@" or word.isdigit()


def _quiet(last: datetime | None, now: datetime, window: timedelta) -> bool:
    return last is not None and last + window < now
