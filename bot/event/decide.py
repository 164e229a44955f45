"""Is this item security news? A score over the cues one scan found, with the words to show.

score = event words (by kind) + armed actors near them + the matcher's armed groups
        + a toll (a harm word beside a count or a victim) − non-security topics
Event words inside an idiom do not count ("price war", "no casualties"); a phrase counts once,
at its best place (headline > lead > tail), and less when it is background ("since the coup").
Actors and groups only support an event word: they are never enough alone. The item is
security news when some event word counts and the score reaches the vocabulary's threshold.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

import bot.event.frames as frames
from bot.event.model import NONE, Event, Evidence
from bot.event.scan import Hit, Scan, near, one_sentence, read
from bot.event.vocabulary import Vocabulary, default_vocabulary
from bot.models import Mentions

_DIGIT = re.compile(r"\d")
# Where a clause ends, in the text as written ("U.S. forces" goes on; sentences: scan.py). A
# headline's last words and the body's first are one clause for targets: the body often opens
# on who says it ("... despite coup / Foreign Minister X says"), which is no topic.
_CLAUSE_END = re.compile(r"[,;:!?]|[a-z0-9)][.]\s")
_AGENT_WORD = re.compile(r" (?:by|par) ")
NO_EVENT_WORDS = "no event words"


@dataclass
class _Tally:
    """What the cues add up to, kept apart so the reason can say which part decided."""

    events: list[Hit]
    unsupported: list[Hit]  # words that need an armed actor nearby and had none
    kinds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    actors: float = 0.0
    groups: float = 0.0
    toll: Hit | None = None
    toll_score: float = 0.0
    harm: float = 0.0  # harm words: evidence of some violence, not of its kind
    civilian_toll: bool = False
    penalty: float = 0.0
    topic: str | None = None  # the strongest non-security topic
    topic_hits: list[Hit] = field(default_factory=list)

    @property
    def score(self) -> float:
        return (
            sum(self.kinds.values()) + self.harm + self.actors + self.groups + self.toll_score - self.penalty
        )


def classify(
    text: str,
    mentions: Mentions | None = None,
    language: str | None = None,
    *,
    vocabulary: Vocabulary | None = None,
    explain: bool = True,
    folded: str | None = None,
) -> Event:
    """Decide whether `text` (an item's title, a line break, then its summary or text: the
    same string as `Item.body`) reports a conflict or security event, and which kind.

    `explain=False` (`match` without --explain): the same decision, the reason of an item that
    is not security news cut short ("no event words", "score 1.5"), and an item with no event
    word at all decided after one automaton pass, before any per-cue work. `folded`: the
    matcher's fold of the same text (Folded.unsqueezed), which spares folding it again."""
    vocabulary = vocabulary or default_vocabulary()
    if not isinstance(text, str) or not text.strip():
        return Event(False, NONE, (), "empty text")
    found = mentions.groups if mentions is not None else ()
    forces = bool(found)  # most texts name no group or force: no generator to start
    groups = forces and any(not g.state for g in found)
    scan = read(vocabulary, text, language, quick=not explain, groups=groups, forces=forces, folded=folded)
    if scan is None:
        return _no_event_words(language or "")
    language = "+".join(scan.languages)
    if "event" not in scan.by_class and "harm" not in scan.by_class:
        return Event(False, NONE, (), _nothing(scan), 0.0, language)
    tally = _tally(scan, vocabulary, mentions)
    settings = vocabulary.settings
    score = round(tally.score, 2)
    # General words alone ("conflict", "war", "troops") never make news, unless an armed group
    # the matcher found is named with them in the headline ("Tensions escalate between Israel
    # and Hezbollah"): "Sudan named among the world's deadliest wars" is not security news.
    specific = (
        tally.toll is not None
        or any(h.cue.weight > 1 for h in tally.events)
        or _group_headline(scan, tally, mentions)
    )
    security = specific and score >= settings.threshold
    if not security:
        why = _why_not(tally, scan, score, settings.threshold) if explain else f"score {score:g}"
        return Event(False, NONE, (), why, score, language)
    kinds = tally.kinds or {"attack": 1.0}  # harm words alone: someone was attacked
    order = vocabulary.kinds
    kind = max(kinds, key=lambda k: (round(kinds[k], 3), -order.index(k)))
    if kind == "attack" and tally.civilian_toll:  # an attack whose toll is civilians
        kind = "violence_against_civilians"
    evidence = _evidence(scan, tally, mentions)
    words = ", ".join(f"'{e.text}'" for e in evidence[:3])
    toll = " + toll" if tally.toll is not None else ""
    reason = f"{kind.replace('_', ' ')}: {words}{toll} (score {score:g} ≥ {settings.threshold:g})"
    return Event(True, kind, evidence, reason, score, language)


@cache
def _no_event_words(language: str) -> Event:
    """The decision on most news, made once per language: an Event is frozen, and making one
    (six checked attribute sets) cost a tenth of deciding such an item."""
    return Event(False, NONE, (), NO_EVENT_WORDS, 0.0, language)


# -- adding up -----------------------------------------------------------------------------


def _tally(scan: Scan, vocabulary: Vocabulary, mentions: Mentions | None) -> _Tally:
    settings = vocabulary.settings
    by_class = scan.by_class
    idioms = [(i.first, i.last) for i in by_class.get("idiom", ())]

    def live(cls: str) -> list[Hit]:
        hits = by_class.get(cls, [])
        return [h for h in hits if not _within(h, idioms)] if idioms and hits else hits

    actors, events_found = live("actor"), _longest(live("event"))
    armed = [a for a in actors if a.cue.weight >= 1]  # police alone do not make an arrest a security one
    if mentions is not None and mentions.groups:  # "le M23 progresse": a group is an armed actor
        armed = armed + _group_places(scan, mentions)
    # A topic word inside an event, actor or victim phrase is part of it ("outbreak of
    # violence", "aid worker"); right after a strong event word, in the same clause, it is its
    # target ("the assassination of a presidential candidate", "attack on a football stadium";
    # not "planned to kill his wife, jury told").
    spans = [(h.first, h.last) for h in events_found + actors + by_class.get("victim", [])]
    strong = [h for h in events_found if h.cue.weight >= settings.target_weight]
    # A cause right after a strong event word is its agent, not its target: "a trader
    # killed by thieves", "tué par des voleurs" (ordinary crime).
    topic_hits = live("topic")
    agents = [t for t in topic_hits if t.cue.cause and _agent(t, strong, settings.agent_window, scan.low)]
    topics = [
        t
        for t in topic_hits
        if not _within(t, spans)
        and (t in agents or not (strong and _target(t, strong, settings.target_window, scan.text)))
    ]
    explainer = frames.explainer(scan, topics, events_found, armed, settings)
    if explainer:  # "the war explained in 10 points": news of the war, not an essay about it
        topics = [t for t in topics if t.cue.topic not in settings.explainer_topics]
        events_found = [*events_found, explainer]
    causes = [t for t in topics if t.cue.cause]
    if causes:  # "Floods kill 60", "killed in a bus crash": no armed actor did it
        window, low = settings.agent_window, scan.low
        events_found = [
            h
            for h in events_found
            if not near(h, causes, settings.cause_window)
            or (h.cue.weight >= 3 and not any(_agent(a, [h], window, low) for a in agents))
        ]
    occasions = live("occasion")
    if occasions:  # "troops deployed for the vote", "police deployed ahead of the derby"
        events_found = [h for h in events_found if not frames.for_occasion(h, occasions, scan, settings)]
    events, unsupported = [], []
    for h in events_found:
        (events if frames.supported(h, armed) else unsupported).append(h)
    # Background: after "since", before "in 2021", and after a trial or an anniversary ("the
    # verdict in the massacre case", "30 years since the genocide").
    backgrounds = by_class.get("background", []) + [t for t in topics if t.cue.frames]
    retold = False
    if backgrounds:
        framed = [_as_background(h, backgrounds, scan, settings) for h in events]
        retold = frames.retold(events, framed, backgrounds, scan)
        events = [frames.retelling(h, scan, settings) if retold else h for h in framed]
    tally = _Tally(events, unsupported)
    for h in _best_per_phrase(events):
        tally.kinds[h.cue.kind] += h.cue.weight * h.factor
    harms = live("harm")
    if causes:  # a gang that kills a dozen is no robber: crime causes keep a mass toll (16o)
        window = settings.cause_window
        crime = all(c.cue.topic == "crime" for c in causes)  # floods kill many without arms
        mass = [h for h in harms if crime and _mass_toll(h, scan, settings)]
        harms = [h for h in harms if h in mass or not near(h, causes, window)]
        if mass:  # the gang is who killed, not the story's topic
            topics = [t for t in topics if not t.cue.cause]
    past: set[int] = set()
    if backgrounds and harms:  # "a tué mon père en 1944"
        told = [_as_background(h, backgrounds, scan, settings) for h in harms]
        past = {h.first for h, t in zip(harms, told, strict=True) if t.factor < h.factor}
        harms = [frames.retelling(h, scan, settings) if retold else h for h in told]
    if harms:
        _add_toll(tally, scan, harms, live("victim") + live("number"), settings, past)
    if tally.events and actors:
        # An actor supports an event word; it cannot be one ("armed men" is both).
        spans = [(e.first, e.last) for e in tally.events]
        support = sum(
            h.cue.weight * h.factor * (1.0 if near(h, tally.events, settings.actor_window) else 0.5)
            for h in _best_per_phrase([a for a in actors if not _within(a, spans)])
        )
        tally.actors = min(settings.actor_cap, support)
    if tally.events and mentions is not None and mentions.groups:
        tally.groups = settings.group_support
    if topics:
        _add_topics(tally, topics, settings)
    return tally


def _strongest(tally: _Tally, settings) -> float:
    """Points of the strongest specific event word (weight at least target_weight)."""
    return max(
        (h.cue.weight * h.factor for h in tally.events if h.cue.weight >= settings.target_weight),
        default=0.0,
    )


def _group_headline(scan: Scan, tally: _Tally, mentions: Mentions | None) -> bool:
    """A non-state armed group and an event word, both in the headline."""
    if mentions is None or not mentions.groups:
        return False
    end = scan.title_end
    return any(h.first <= end and h.cue.weight >= 1 for h in tally.events) and any(
        not g.state and g.span[0] < end for g in mentions.groups
    )


def _within(h: Hit, spans: list[tuple[int, int]]) -> bool:
    """Inside (or on) one of the spans."""
    first, last = h.first, h.last
    for a, b in spans:  # noqa: SIM110 -- a loop: any() over a generator costs twice this, per hit
        if a <= first and last <= b:
            return True
    return False


def _target(t: Hit, events: list[Hit], window: int, text: str) -> bool:
    """A topic word in the few words after an event word, in its clause: what the event hit."""
    for e in events:
        if (
            0 < t.word - e.word - e.words + 1 <= window
            and _CLAUSE_END.search(text, e.last - 1, t.first - 1) is None
        ):
            return True
    return False


def _as_background(h: Hit, backgrounds: list[Hit], scan: Scan, settings) -> Hit:
    """Less weight for an event word a background cue governs: in the few words after (or
    before) it, in the same sentence ("They were arrested in 2022" says nothing of the
    headline before it)."""
    window = settings.background_window
    for b in backgrounds:
        if h.cue.unframed and b.cue.cls == "topic":  # a plot told at a trial is news of the plot
            continue
        gap = h.word - b.word if b.cue.reach == "after" else b.word - h.word - h.words + 1
        if 0 < gap <= window and one_sentence(scan.text, h, b):
            return h._replace(factor=h.factor * settings.background_factor)
    return h


def _longest(hits: list[Hit]) -> list[Hit]:
    """Drop a hit inside a longer one of the same class ("bomb" inside "suicide bomber")."""
    if len(hits) < 2:
        return hits
    spans = [(h.first, h.last) for h in hits]
    out = []
    for h in hits:  # loops, not any() over a generator: this runs for every pair of hits
        first, last = h.first, h.last
        size = last - first
        for a, b in spans:
            if a <= first and last <= b and b - a > size:
                break
        else:
            out.append(h)
    return out


def _best_per_phrase(hits: list[Hit]) -> list[Hit]:
    best: dict[tuple[str, str | None], Hit] = {}
    for h in hits:
        key = (h.cue.phrase, h.cue.kind)
        if key not in best or h.factor > best[key].factor:
            best[key] = h
    return list(best.values())


class _At(NamedTuple):
    """Where a group the matcher found is, in words (what `near` reads of a hit)."""

    word: int
    words: int


def _group_places(scan: Scan, mentions: Mentions) -> list[_At]:
    """The word positions of the matcher's groups and forces inside the text read."""
    low, out = scan.low, []
    for g in mentions.groups:
        start, end = g.span
        if end <= len(scan.text):  # `low` is the text with a space before: offsets shift by one
            out.append(_At(low.count(" ", 0, start + 1), low.count(" ", start + 1, end + 1) + 1))
    return out


def _agent(cause: Hit, events: list[Hit], window: int, low: str) -> bool:
    """The cause starts within `window` words after one of these event words ends, right
    after it or after "by" ("Gunmen rob", "killed by robbers", "tué par des voleurs"); not
    what the event brought about ("drone strike causes explosion at fuel depot")."""
    for h in events:
        gap = cause.word - (h.word + h.words - 1)
        if 0 < gap <= window and (gap == 1 or _AGENT_WORD.search(low, h.first - 1, cause.first) is not None):
            return True
    return False


def _add_toll(
    tally: _Tally, scan: Scan, harms: list[Hit], counts: list[Hit], settings, past: set[int] = frozenset()
) -> None:
    """A toll: a harm word with a count or a victim close by ("six civilians killed", "killing
    12", "89 morts"). Harm words count as attack evidence; a civilian toll is violence
    against civilians. A harm word told as background (`past`: where they start) is no toll:
    "families of soldiers killed in the 2012 massacre" report no deaths."""
    window = settings.toll_window
    totals = scan.of("aggregate")
    for h in _best_per_phrase(harms):
        if totals and near(h, totals, window):  # "killed thousands of people": a war's total
            tally.harm += h.cue.weight * h.factor
            continue
        before = [v for v in counts if 0 < h.word - v.word <= window]
        after = [v for v in counts if v.cue.cls == "victim" and 0 < v.word - h.word <= window]
        counted = (bool(before or after) or _digit_near(scan, h, window)) and h.first not in past
        civilian = counted and any(v.cue.civilian for v in before + after)
        tally.harm += h.cue.weight * h.factor
        if counted and (tally.toll is None or h.factor > tally.toll.factor):
            tally.toll, tally.toll_score = h, settings.toll_bonus * h.factor
        tally.civilian_toll |= civilian
    if harms and not tally.events:
        tally.events = harms


_COUNT = re.compile(r"\d[\d,]*")


def _mass_toll(h: Hit, scan: Scan, settings) -> bool:
    """The figure nearest the harm word, within `toll_window` words, is at least `mass_toll`:
    "Gang members killed at least 12 people"."""
    start, end = h.first, h.last
    for _ in range(settings.toll_window + 1):
        start = max(scan.low.rfind(" ", 0, max(start - 1, 0)), 0)
        nxt = scan.low.find(" ", end + 1)
        end = nxt if nxt > 0 else end
    # The toll is the figure nearest the harm word ("kill 2 and steal 1,000 goats": two dead);
    # `low` is the text with a space before, so its offsets are one past the text's.
    figures = list(_COUNT.finditer(scan.text, max(start - 1, 0), end))
    if not figures:
        return False
    nearest = min(figures, key=lambda m: min(abs(m.start() + 1 - h.last), abs(h.first - m.end() - 1)))
    return int(nearest.group().replace(",", "")) >= settings.mass_toll


def _digit_near(scan: Scan, h: Hit, window: int) -> bool:
    """A figure in the `window` words before the harm word, or in the two after ("kills 12")."""
    start = h.first
    for _ in range(window + 1):
        start = scan.low.rfind(" ", 0, max(start - 1, 0))
        if start <= 0:
            break
    end = h.last
    for _ in range(2):
        nxt = scan.low.find(" ", end + 1)
        end = nxt if nxt > 0 else end
    return bool(_DIGIT.search(scan.low, max(start, 0), h.first)) or bool(_DIGIT.search(scan.low, h.last, end))


def _add_topics(tally: _Tally, topics: list[Hit], settings) -> None:
    """The strongest non-security topic counts in full, the others a little."""
    by_topic: dict[str, float] = defaultdict(float)
    for h in _best_per_phrase(_longest(topics)):
        by_topic[h.cue.topic] -= h.cue.weight * h.factor
    if not by_topic:
        return
    penalty = _combined(by_topic.values(), settings)
    # Politics, diplomacy, crime... beside a specific event word take from it, never all of
    # it: "Coup in Sudan: the prime minister resigns" is still news of a coup.
    cap = settings.weak_topic_share * _strongest(tally, settings)
    if cap:
        weak = set(settings.weak_topics)
        if any(h.cue.unframed and h.cue.weight >= settings.target_weight for h in tally.events):
            weak |= {h.cue.topic for h in topics if h.cue.frames}  # the trial of a plot is news of it
        strong = _combined((v for t, v in by_topic.items() if t not in weak), settings)
        penalty = min(penalty, max(strong, cap))
    tally.penalty = penalty
    tally.topic = max(by_topic, key=by_topic.get)
    tally.topic_hits = [h for h in topics if h.cue.topic == tally.topic]


def _combined(penalties, settings) -> float:
    """The strongest topic in full, the others a little, at most topic_cap."""
    ranked = sorted(penalties, reverse=True)
    if not ranked:
        return 0.0
    return min(settings.topic_cap, ranked[0] + settings.other_topics * sum(ranked[1:]))


# -- showing why ---------------------------------------------------------------------------


def _evidence(scan: Scan, tally: _Tally, mentions: Mentions | None) -> tuple[Evidence, ...]:
    """The event words, the toll and the actors beside them, merged into phrases where they
    touch ("gunmen killed 12"), in text order."""
    hits = list(tally.events)
    if tally.toll is not None:
        hits.append(tally.toll)
    hits += [h for h in scan.of("actor") + scan.of("victim") if near(h, tally.events, 3)]
    spans = {scan.span(h) for h in hits}
    if mentions is not None:
        spans |= {g.span for g in mentions.groups if g.span[1] <= len(scan.text)}
    text = scan.text
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and (a <= merged[-1][1] or not text[merged[-1][1] : a].strip(" -–—'’")):
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return tuple(Evidence(text[a:b], (a, b)) for a, b in merged[:8])


def _quote(hits: list[Hit], scan: Scan, n: int = 3) -> str:
    """Up to n distinct phrases as written, longest first where they overlap."""
    ranked = sorted(hits, key=lambda h: h.first - h.last)  # longer phrases first
    seen: list[str] = []
    taken: list[tuple[int, int]] = []
    for h in ranked:
        if len(seen) == n:
            break
        words = scan.words(h)
        if words not in seen and not any(a <= h.first and h.last <= b for a, b in taken):
            seen.append(words)
            taken.append((h.first, h.last))
    return ", ".join(f"'{w}'" for w in seen)


def _nothing(scan: Scan) -> str:
    """Why an item with no event word is not security news: its topic, the idioms that look
    like event words ("coup d'envoi"), and that no event word was found."""
    parts = []
    topics = scan.of("topic")
    if topics:
        weights: dict[str, float] = {}
        for h in topics:
            weights[h.cue.topic] = weights.get(h.cue.topic, 0.0) - h.cue.weight * h.factor
        top = max(weights, key=weights.get)
        parts.append(f"{top}: {_quote([h for h in topics if h.cue.topic == top], scan)}")
    if "idiom" in scan.by_class:
        parts.append(f"figurative: {_quote(scan.of('idiom'), scan)}")
    parts.append(NO_EVENT_WORDS)
    return "; ".join(parts)


def _why_not(tally: _Tally, scan: Scan, score: float, cut: float) -> str:
    below = f"(score {score:g} < {cut:g})"
    if tally.topic and tally.penalty >= 1.5:  # "sport: 'scored twice' outweighs 'attack'"
        topic = f"{tally.topic}: {_quote(tally.topic_hits, scan)}"
        shown = tally.events or tally.unsupported
        return f"{topic} outweighs {_quote(shown, scan)} {below}" if shown else _nothing(scan)
    if not tally.events and tally.unsupported:
        return f"no armed actor near {_quote(tally.unsupported, scan)}"
    if not tally.events:  # "Floods kill 60" (harm, but no one armed), "price war"
        return _nothing(scan)
    found = _quote(tally.events, scan)
    if tally.toll is None and all(h.cue.weight <= 1 for h in tally.events):
        return f"only general words: {found}"
    return f"weak evidence: {found} {below}"
