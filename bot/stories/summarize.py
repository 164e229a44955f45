"""Extractive summary and key facts of one article, offline.

Every fact cites the sentence it was read from and the character span of its words in the
article body (`f"{title}\\n{text}".strip()`, the same string as `Item.body`, so match spans
and fact spans point into one text). Nothing is inferred beyond what a sentence says: a toll
is a number next to victims and a death word in one sentence, and a figure in a sentence
about a period or a region ("400 fatalities since last month") is context, not the toll.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import fuzz
from sentencex import segment

from bot.models import KINDS, Fact, Mentions, Summary
from bot.stories import attribution, facts_fr
from bot.stories.lexicon import event_kinds
from bot.stories.urls import normalise_text

# -- sentences ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sentence:
    text: str
    start: int
    index: int  # order in the body; 0 is the title


def _sentences(body: str) -> list[_Sentence]:
    out: list[_Sentence] = []
    pos = 0
    for line in body.split("\n"):
        line_start = body.index(line, pos) if line else pos
        pos = line_start + len(line)
        cursor = line_start
        for raw in segment("en", line) if line.strip() else []:
            text = raw.strip()
            if not text:
                continue
            start = body.index(text, cursor)
            cursor = start + len(text)
            out.append(_Sentence(text, start, len(out)))
    return out


# -- facts ---------------------------------------------------------------------------------


def _words(block: str) -> list[str]:
    return block.split()


_UNITS = _words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
_TENS = {
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
}
_NUM_WORDS = {w: str(i) for i, w in enumerate(_UNITS)} | {w: str(n) for w, n in _TENS.items()}
_NUM = r"(?:\d[\d,]*|" + "|".join(_NUM_WORDS) + r"|dozens|hundreds|scores)"
_APPROX = r"(?:(?:over|more than|at least|nearly|almost|about|around|some|up to|roughly|an estimated)\s+)"
_VICTIM = (
    r"(?:soldier|troop|civilian|people|person|villager|militant|fighter|insurgent|jihadist|"
    r"police(?:m[ae]n)?|officer|child(?:ren)?|women|woman|men|student|worshipper|miner|farmer|"
    r"resident|peacekeeper|rebel|member|personnel|gunm[ae]n|bandit|terrorist|herder|other|"
    r"passenger|worker|displaced|refugee|guard|recruit|activist|protester|demonstrator|"
    r"journalist|doctor|teacher|trader|pilgrim|shepherd|tourist|official|worshiper)s?"
)
_DEAD = r"(?:killed|dead|die[sd]?|lost (?:their|his|her) lives?|slain|massacred|executed|murdered)"
_DEAD_NOUN = r"(?:fatalities|deaths|martyrs|casualties)"
_HURT = r"(?:wounded|injured|hurt)"
_TAKEN = r"(?:kidnapped|abducted|taken hostage)"
# "six Abu Sayyaf militants": up to three words between, none of them a number ("1998
# Thirty rebels" is a date, then the count).
_FILL = r"(?:(?!(?:" + _NUM + r")\b)[\w'’-]+\s+){0,3}?"
_AUX = r"(?:(?:were|was|is|are|have been|had been|reportedly|confirmed)\s+){0,2}"
_ONE = rf"(?:{_APPROX})?{_NUM}\s+{_FILL}{_VICTIM}"
_PART = re.compile(rf"(?P<q>{_APPROX})?(?P<n>{_NUM})\s+{_FILL}(?P<v>{_VICTIM})", re.IGNORECASE)
_OUTCOME = rf"(?P<o>{_DEAD}|{_DEAD_NOUN}|{_HURT}|{_TAKEN})"
_TOLL_PATTERNS = (
    # "over 30 soldiers lost their lives", "Four soldiers, 37 insurgents killed",
    # "30 soldier fatalities"
    re.compile(rf"\b(?P<list>{_ONE}(?:\s*(?:,|and)\s+{_ONE})*)\s+{_AUX}{_OUTCOME}\b", re.IGNORECASE),
    # "kills 13 soldiers", "kidnapped 20 students", "kill 30"
    re.compile(
        rf"\b(?P<o>kill(?:s|ed|ing)?|wound(?:s|ed|ing)?|injur(?:es|ed|ing)|"
        rf"kidnap(?:s|ped|ping)?|abduct(?:s|ed|ing)?)\s+"
        rf"(?P<list>(?:{_APPROX})?{_NUM}\b(?:\s+{_FILL}{_VICTIM})?)",
        re.IGNORECASE,
    ),
    # "12 dead", "49 killed", "death toll rose to 45"
    re.compile(rf"\b(?P<list>(?:{_APPROX})?{_NUM})\s+{_AUX}{_OUTCOME}\b", re.IGNORECASE),
    re.compile(
        rf"\btoll\s+(?:\w+\s+){{0,4}}(?:to|of|at)\s+(?P<list>(?:{_APPROX})?{_NUM})\b",
        re.IGNORECASE,
    ),
)
_BARE = re.compile(rf"(?P<q>{_APPROX})?(?P<n>{_NUM})", re.IGNORECASE)
# A figure in a sentence about a period or a wider area is context, not this event's toll.
_CONTEXT = re.compile(
    r"\b(?:since|so far|this year|last year|last month|past (?:week|month|year)|"
    r"over the (?:past|last)|in recent (?:days|weeks|months|years)|in total|a total of|"
    r"overall|annual(?:ly)?|each year|every year|per year|decade|alone|across|combined)\b",
    re.IGNORECASE,
)


def _count(q: str | None, n: str) -> str:
    q, n = (q or "").strip().lower(), n.lower().replace(",", "")
    n = _NUM_WORDS.get(n, n)
    if q in ("over", "more than", "at least"):
        return n + "+"
    return f"{q} {n}" if q else n


def _victims(q: str | None, n: str, v: str | None) -> str:
    count, victim = _count(q, n), (v or "").lower()
    if victim and count not in ("1", "1+") and not re.search(r"(s|people|men|children|nel|police)$", victim):
        victim += "s"  # "30 soldier fatalities" → "30+ soldiers killed"
    return f"{count} {victim}".strip()


def _outcome(o: str | None) -> str:
    o = (o or "killed").lower()
    if re.match(r"wound|injur|hurt", o):
        return "wounded"
    if re.match(r"kidnap|abduct|taken", o):
        return "kidnapped"
    return "killed"


def _toll_value(m: re.Match[str]) -> str:
    parts = [_victims(p["q"], p["n"], p["v"]) for p in _PART.finditer(m.group("list"))]
    if not parts:
        bare = _BARE.search(m.group("list"))
        parts = [_count(bare["q"], bare["n"])] if bare else []
    return f"{', '.join(parts)} {_outcome(m.groupdict().get('o'))}"


def _tolls(s: _Sentence) -> list[Fact]:
    if _CONTEXT.search(s.text):
        return []
    facts, taken = [], []
    for rx in _TOLL_PATTERNS:
        for m in rx.finditer(s.text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append(m.span())
            span = (s.start + m.start(), s.start + m.end())
            facts.append(Fact("toll", _toll_value(m), s.text, span))
    if _FRENCH.search(s.text):
        for value, a, b in facts_fr.tolls(s.text):
            if not any(x < b and a < y for x, y in taken):
                facts.append(Fact("toll", value, s.text, (s.start + a, s.start + b)))
    return facts


# A French sentence: its toll and event words are read by facts_fr as well.
_FRENCH = re.compile(r"[éèêàç]|\b(?:le|la|les|de|des|du|une|dans|ont|selon|au|aux|lors|et)\b", re.IGNORECASE)


def _events(s: _Sentence) -> list[Fact]:
    found = event_kinds(s.text)
    if _FRENCH.search(s.text):
        found += [e for e in facts_fr.events(s.text) if not any(a < e[2] and e[1] < b for _, a, b in found)]
    return [Fact("event", kind, s.text, (s.start + a, s.start + b)) for kind, a, b in found]


# "claims responsibility", not "claims the lives of".
_CLAIM = r"\bclaim(?:s|ed|ing)?\b(?!\s+(?:the\s+)?li(?:fe|ves))(?:\s+responsibility)?"
_QUALIFIERS = (
    (
        "unverified",
        re.compile(
            r"\bun(?:verified|confirmed)\b|\bnot (?:been )?(?:officially |independently )?"
            r"(?:confirmed|corroborated|verified)\b|\bcould not (?:be )?(?:independently )?"
            r"(?:confirm|verif)\w*|\bnon (?:confirmée?s?|vérifiée?s?)\b|\bn['’]a pas (?:pu )?être "
            r"(?:confirmée?s?|vérifiée?s?)|\bde source (?:indépendante|officielle)\b",
            re.IGNORECASE,
        ),
    ),
    ("claimed", re.compile(_CLAIM, re.IGNORECASE)),
    # "bilan provisoire": the count may still rise, and the card says so beside the toll.
    (
        "provisional",
        re.compile(
            r"\b(?:provisional|preliminary|initial) (?:death )?toll\b|\bbilan (?:encore )?(?:provisoire|"
            r"préliminaire)\b|\bpremier bilan\b",
            re.IGNORECASE,
        ),
    ),
    ("reportedly", re.compile(r"\b(?:reportedly|allegedly|suspected)\b", re.IGNORECASE)),
)
_ACCORDING = re.compile(r"\b(?:according to|selon) (?P<src>[^,.;:()]{3,80})", re.IGNORECASE)
_CITED = re.compile(r"\b(?P<src>sources cited by \w+|(?:local |security )?sources)\b", re.I)


def _attribution(s: _Sentence) -> list[Fact]:
    """Whose figure a toll is (bot/stories/attribution.py)."""
    found = attribution.source(s.text)
    if found is None:
        return []
    value, start, end = found
    return [Fact("qualifier", value, s.text, (s.start + start, s.start + end))]


def _qualifiers(s: _Sentence) -> list[Fact]:
    facts = []
    for value, rx in _QUALIFIERS:
        m = rx.search(s.text)
        if m:
            facts.append(Fact("qualifier", value, s.text, (s.start + m.start(), s.start + m.end())))
    for rx in (_ACCORDING, _CITED):
        m = rx.search(s.text)
        if m:
            src = m.group("src").strip()
            value = (
                src
                if rx is _CITED
                else m.group().strip()
                if m.group().lower().startswith("selon")
                else f"according to {src}"
            )
            facts.append(Fact("qualifier", value, s.text, (s.start + m.start(), s.start + m.end())))
    return facts


# Actors without a matcher: a capitalised name (with Arabic particles) or a short noun phrase.
_WORD_UP = r"(?:[A-Z][\w'’.-]*|[a-z]{1,3}-[A-Z][\w'’-]*)"  # "Nusrat", "ul-Islam"
_NAME = rf"{_WORD_UP}(?:\s+(?:{_WORD_UP}|al|wa|ul|el|of|de))*"
_ACRONYM = r"(?:\s*\((?P<acr>[A-Z][A-Za-z-]{1,10})\))?"
_CLAIMER = re.compile(rf"(?P<actor>{_NAME}){_ACRONYM}\s+(?:has\s+|have\s+)?(?:also\s+)?(?i:{_CLAIM})")
_SUBJECT = re.compile(
    r"^(?:[A-Z][\w ]{0,20}:\s*)?(?P<actor>(?:[Ss]uspected\s+|[Uu]nknown\s+|[Aa]rmed\s+)?"
    r"[\w'’-]+(?:\s+[\w'’-]+){0,3}?)\s+(?:reportedly\s+|allegedly\s+)?"
    r"(?:kills?|attacks?|ambush(?:es)?|abducts?|kidnaps?|storms?|seizes?|captures?)\b"
)
_BY = re.compile(
    rf"\b(?:attack(?:ed)?|killed|carried out|ambushed|abducted|kidnapped|blamed on)\s+by\s+"
    rf"(?P<actor>(?:suspected\s+)?{_NAME}|suspected\s+[\w-]+(?:\s+[\w-]+)?)"
)
# Subjects that are weapons or events, not actors ("Bomb kills two", "Clashes kill 10"), and
# words that make the next "attacks" a noun ("faces deadly attacks").
_NOT_ACTORS = re.compile(
    r"(?:bomb|blast|explosion|strike|clash|fighting|rocket|shell|airstrike|violence|attack|raid)"
    r"\w*|the|a|an|in|on|at|these|this|those|such|its|their|his|her|\d+|killed|after|as|says?|said|claims?|and|while|when|two|three",
    re.IGNORECASE,
)
_NOUN_BEFORE = re.compile(
    r"\b(?:deadly|fresh|new|major|multiple|further|coordinated|twin|suicide|faces?|face|more|"
    r"several|renewed|recent|repeated|of|and|after|amid|fears?|against)$",
    re.IGNORECASE,
)


def _who_from_text(s: _Sentence) -> list[Fact]:
    facts = []
    for rx, qualifier in ((_CLAIMER, "claimed"), (_SUBJECT, "attributed"), (_BY, "attributed")):
        for m in rx.finditer(s.text):
            actor = (m.groupdict().get("acr") or m.group("actor")).strip()
            words = actor.split()
            if not words or any(_NOT_ACTORS.fullmatch(w) for w in words):
                continue
            if _NOUN_BEFORE.search(actor):
                continue
            span = (s.start + m.start("actor"), s.start + m.end("actor"))
            facts.append(Fact("who", f"{actor} ({qualifier})", s.text, span))
    return facts


def _who_from_mentions(mentions: Mentions, sentences: list[_Sentence]) -> list[Fact]:
    facts = []
    for g in mentions.groups:
        s = _sentence_at(sentences, g.span[0])
        if s is None:
            continue
        local = s.text.lower()
        qualifier = (
            "claimed"
            if "claim" in local
            else "attributed"
            if re.search(r"blam|suspect|accus|attribut|by ", local)
            else "named"
        )
        facts.append(Fact("who", f"{g.name} ({qualifier})", s.text, g.span))
    return facts


_PLACE = re.compile(
    r"\b(?:in|near|outside)\s+(?:the\s+(?:\w+\s+)?(?:town|city|village|region|province|"
    r"state|district|area|camp|commune|county)\s+of\s+)?"
    r"(?P<place>[A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+){0,2})"
)
# Languages and demonyms follow "in" too ("in Pashto 1230 gmt", "in Kurdish rebel conflict").
_NOT_PLACE_END = re.compile(r"(?:ish|ese|ian|ani|phone|-held|-controlled|-led)$")
_LANGUAGES = frozenset(
    _words(
        "Pashto Dari Arabic French English Somali Swahili Hausa Urdu Persian Farsi Amharic "
        "Spanish Portuguese Russian Tigrinya"
    )
)
_NOT_PLACES = frozenset(
    _words(
        "January February March April May June July August September October November December "
        "Monday Tuesday Wednesday Thursday Friday Saturday Sunday The A An This That His Her Their "
        "It Response Addition Total"
    )
)


def _where_from_text(s: _Sentence) -> list[Fact]:
    out = []
    for m in _PLACE.finditer(s.text):
        start, place = m.start("place"), m.group("place")
        owner = re.match(r"[\w-]+['’]s\s+", place)  # "Nigeria's Kogi state" → Kogi
        if owner:
            start, place = start + owner.end(), place[owner.end() :]
        place = place.rstrip("'’")
        first = place.split()[0] if place.split() else ""
        if not first or first in _NOT_PLACES or place in _LANGUAGES:
            continue
        if _NOT_PLACE_END.search(place):
            continue
        out.append(Fact("where", place, s.text, (s.start + start, s.start + start + len(place))))
    return out


def _where_from_mentions(mentions: Mentions, sentences: list[_Sentence]) -> list[Fact]:
    facts = []
    for p in mentions.places:
        s = _sentence_at(sentences, p.span[0])
        if s is None:
            continue
        where = ", ".join(x for x in (p.name, p.admin1, p.country) if x)
        facts.append(Fact("where", where, s.text, p.span))
    return facts


def _sentence_at(sentences: list[_Sentence], offset: int) -> _Sentence | None:
    for s in sentences:
        if s.start <= offset < s.start + len(s.text):
            return s
    return None


# -- choosing sentences ------------------------------------------------------------------


def _informativeness(s: _Sentence, facts: list[Fact]) -> float:
    kinds = {f.kind for f in facts if f.evidence == s.text}
    score = sum({"event": 1.0, "toll": 1.2, "where": 0.7, "who": 0.7, "qualifier": 0.3}[k] for k in kinds)
    score += 0.6 / (1 + s.index)  # leads say what happened; later paragraphs add context
    if _CONTEXT.search(s.text):
        score -= 0.8
    if len(s.text) < 40:
        score -= 0.5
    return score


def _pick(sentences: list[_Sentence], facts: list[Fact], title: str, n: int) -> list[_Sentence]:
    ranked = sorted(sentences, key=lambda s: (-_informativeness(s, facts), s.index))
    chosen: list[_Sentence] = []
    for s in ranked:
        if len(chosen) == n:
            break
        others = [title] * bool(title) + [c.text for c in chosen]
        # Skip repeats: the seed article prints its headline twice and a summary paragraph
        # that the body then says again.
        if any(fuzz.token_sort_ratio(s.text, o) >= 80 for o in others):
            continue
        chosen.append(s)
    if not chosen and sentences:
        chosen = sentences[:1]  # a headline-only item: the headline is the summary
    return sorted(chosen, key=lambda s: s.index)


# -- public ------------------------------------------------------------------------------


def summarize(title: str, text: str, mentions: Mentions | None = None, *, max_sentences: int = 3) -> Summary:
    if max_sentences < 1:
        raise ValueError(f"max_sentences must be at least 1, got {max_sentences}")
    body = f"{title}\n{text}".strip()
    if not body:
        raise ValueError("summarize needs a title or a text")
    sentences = _sentences(body)
    facts: list[Fact] = []
    for s in sentences:
        facts += [
            replace(f, span=(f.span[0] + s.start, f.span[1] + s.start)) for f in _sentence_facts(s.text)
        ]
        if mentions is None:
            facts += _where_from_text(s) + _who_from_text(s)
    if mentions is not None:
        facts += _where_from_mentions(mentions, sentences)
        facts += _who_from_mentions(mentions, sentences)
    facts.sort(key=lambda f: (f.span[0], KINDS.index(f.kind)))
    # Sentences are ranked on every fact they state, repeats included: the second report of
    # a toll is often the better sentence.
    chosen = _pick(sentences, facts, title.strip(), max_sentences)
    return Summary(tuple(s.text for s in chosen), tuple(_dedup(facts)))


@lru_cache(maxsize=8192)
def _sentence_facts(text: str) -> tuple[Fact, ...]:
    """Event, toll and qualifier facts of one sentence, spans from its start. Cached: wire
    copies and follow-ups repeat whole sentences, and the patterns are the costly part."""
    s = _Sentence(text, 0, 0)
    tolls, qualifiers = _tolls(s), _qualifiers(s)
    # Whose figure it is matters only where there is a figure, and is said once: "according
    # to X" or "security sources" already say it.
    sourced = any(q.value not in ("unverified", "claimed", "reportedly") for q in qualifiers)
    return (*_events(s), *tolls, *qualifiers, *(_attribution(s) if tolls and not sourced else ()))


def _dedup(facts: list[Fact]) -> list[Fact]:
    seen, out = set(), []
    for f in facts:
        key = (f.kind, normalise_text(f.value))
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def new_facts(old: Summary, new: Summary) -> tuple[Fact, ...]:
    """Facts of `new` that `old` did not state (by kind and normalised value)."""
    known = {(f.kind, normalise_text(f.value)) for f in old.facts}
    return tuple(f for f in new.facts if (f.kind, normalise_text(f.value)) not in known)


def toll_count(value: str | None) -> int | None:
    """The number in a toll value ("30+ soldiers killed" → 30); None for "dozens"."""
    m = re.search(r"\d+", value or "")
    return int(m.group()) if m else None


def is_significant_change(
    old: Summary, new: Summary, old_mentions: Mentions, new_mentions: Mentions
) -> str | None:
    """Why a follow-up deserves a broadcast reply, or None when it only adds a source."""
    before, after = toll_count(old.toll), toll_count(new.toll)
    if after is not None and (before is None or after > before) and new.toll.endswith("killed"):
        return f"toll rose: {new.toll}" + (f" (was {old.toll})" if old.toll else "")
    old_places = {normalise_text(p.name) for p in old_mentions.places}
    added = [p.name for p in new_mentions.places if normalise_text(p.name) not in old_places]
    if added:
        return "new place: " + ", ".join(dict.fromkeys(added))
    old_groups = {normalise_text(g.name) for g in old_mentions.groups}
    claimers = {f.value.rsplit(" (", 1)[0] for f in new.of("who") if f.value.endswith("(claimed)")}
    for g in new_mentions.groups:
        if normalise_text(g.name) not in old_groups and g.name in claimers:
            return f"new claim: {g.name}"
    return None
