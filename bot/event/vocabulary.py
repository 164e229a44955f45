"""The event vocabulary (vocabulary.yaml): loaded and validated once, compiled into one automaton.

Every phrase is folded the way the text is (bot.match.fold: accents dropped, punctuation as
spaces) and lower-cased, so one Aho-Corasick pass over the folded text finds every cue as whole
words. Braces spell out word forms ("kill{,s,ed}"), so the file lists morphology explicitly and
a reviewer sees every form that counts.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from itertools import product
from pathlib import Path
from typing import Literal

import ahocorasick
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.config import ConfigError, read_yaml
from bot.match.fold import fold

DEFAULT_PATH = Path(__file__).with_name("vocabulary.yaml")
LANGS = ("en", "fr")
CueClass = Literal[
    "event",
    "actor",
    "harm",
    "victim",
    "number",
    "aggregate",
    "topic",
    "idiom",
    "background",
    "occasion",
    "lang",
]
_BRACES = re.compile(r"\{([^{}]*)\}")
_MAX_FORMS = 5000  # one line may not spell out more phrases than this


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class CueGroup(_Strict):
    cls: CueClass = Field(alias="class")
    weight: float = 0.0
    kind: str | None = None  # event: one of `kinds`
    topic: str | None = None  # topic: its name ("sport")
    near_actor: int = Field(0, ge=0, le=20)  # event: counts only with an actor this close
    civilian: bool = False  # victim: a toll of these is violence against civilians
    reach: Literal["after", "before"] = "after"  # background: which words it makes background
    cause: bool = False  # topic: kills without an armed actor (flood, crash, disease)
    frames: bool = False  # topic: events named right after it are its subject (a trial for an attack)
    unframed: bool = False  # event: still news when a frame names it (a plot told at a trial)
    en: str = ""
    fr: str = ""
    any: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> CueGroup:
        if self.cls == "event" and (self.kind is None or self.weight <= 0):
            raise ValueError("an event cue needs a kind and a positive weight")
        if self.cls == "topic" and (not self.topic or self.weight >= 0):
            raise ValueError("a topic cue needs a topic name and a negative weight")
        if self.cls != "event" and (self.kind or self.near_actor or self.unframed):
            raise ValueError("kind, near_actor and unframed belong to event cues only")
        if self.cls != "topic" and self.topic:
            raise ValueError("topic belongs to topic cues only")
        if self.cls != "topic" and (self.cause or self.frames):
            raise ValueError("cause and frames belong to topic cues only")
        if self.cls != "background" and self.reach != "after":
            raise ValueError("reach belongs to background cues only")
        if not (self.en.strip() or self.fr.strip() or self.any.strip()):
            raise ValueError("no phrases: give en, fr or any")
        return self


class VocabularyFile(_Strict):
    version: Literal[1]
    threshold: float = Field(gt=0)
    title_factor: float = Field(gt=0)
    lead_chars: int = Field(ge=0)
    tail_factor: float = Field(ge=0)
    read_chars: int = Field(gt=0)
    actor_window: int = Field(ge=1)
    actor_cap: float = Field(ge=0)
    group_support: float = Field(ge=0)
    toll_bonus: float = Field(ge=0)
    toll_window: int = Field(ge=1)
    cause_window: int = Field(ge=0)
    agent_window: int = Field(default=3, ge=0)
    # A crime cause beside a harm word with at least this many dead is no ordinary crime:
    # gangs and cartels that kill ten at a time fight as militias (16o).
    mass_toll: int = Field(default=10, ge=1)
    topic_cap: float = Field(ge=0)
    other_topics: float = Field(ge=0, le=1)
    background_window: int = Field(ge=0)
    background_factor: float = Field(ge=0, le=1)
    target_weight: float = Field(gt=0)
    target_window: int = Field(ge=0)
    weak_topics: list[str] = Field(default_factory=list)
    weak_topic_share: float = Field(ge=0, le=1)
    # Kinds whose words near an occasion (an election, a match, a visit) are its security
    # arrangements, not an event: "troops deployed for the vote".
    occasion_kinds: list[str] = Field(default_factory=list)
    occasion_window: int = Field(default=8, ge=0)
    # Topics that mark an explainer ("Analysis:", "explained", "décryptage"): one whose
    # headline names an event and no other topic is about that event, and counts as one of
    # this weight; otherwise it is a topic like the others.
    explainer_topics: list[str] = Field(default_factory=list)
    explainer_weight: float = Field(default=2.5, gt=0)
    explainer_kinds: list[str] = Field(default_factory=list)  # the fighting an explainer may be about
    kinds: dict[str, str] = Field(min_length=1)
    cues: list[CueGroup] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_kinds(self) -> VocabularyFile:
        for i, cue in enumerate(self.cues):
            if cue.kind is not None and cue.kind not in self.kinds:
                raise ValueError(f"cues[{i}]: unknown kind {cue.kind!r} (kinds: {', '.join(self.kinds)})")
        for field_name in ("occasion_kinds", "explainer_kinds"):
            for kind in getattr(self, field_name):
                if kind not in self.kinds:
                    raise ValueError(f"{field_name}: unknown kind {kind!r} (kinds: {', '.join(self.kinds)})")
        topics = {cue.topic for cue in self.cues if cue.topic}
        for field_name in ("weak_topics", "explainer_topics"):
            for name in getattr(self, field_name):
                if name not in topics:
                    known = ", ".join(sorted(topics))
                    raise ValueError(f"{field_name}: unknown topic {name!r} (topics: {known})")
        return self


@dataclass(frozen=True, eq=False)  # one object per phrase and group: identity is equality
class Cue:
    """One folded phrase of one cue group, in one language ("" for both)."""

    phrase: str
    cls: str
    weight: float
    lang: str
    kind: str | None = None
    topic: str | None = None
    near_actor: int = 0
    civilian: bool = False
    words: int = 1  # how many words the phrase has
    reach: str = "after"
    cause: bool = False
    frames: bool = False
    unframed: bool = False


@dataclass(frozen=True)
class Vocabulary:
    settings: VocabularyFile
    cues: tuple[tuple[Cue, ...], ...]  # automaton value i → the cues of phrase i
    lengths: tuple[int, ...]  # automaton value i → length of phrase i
    automaton: ahocorasick.Automaton
    function_words: dict[str, tuple[str, ...]]  # language → " word " forms, to guess the language
    # Active languages → the automaton values with a specific event cue (weight above 1) or a
    # harm cue: a text with none of these is no security news (most news) ...
    decisive: dict[tuple[str, ...], frozenset[int]]
    # ... unless it has one of these general event words and the matcher found an armed group,
    general: dict[tuple[str, ...], frozenset[int]]
    # ... or one of these specific words that count only beside an armed actor ("arrested",
    # "strikes", "deployed") and an armed actor: one of `armed`, or a group the matcher found.
    needs_actor: dict[tuple[str, ...], frozenset[int]]
    armed: dict[tuple[str, ...], frozenset[int]]
    # Active languages → automaton value i → the cues of phrase i in those languages (the scan
    # reads these: no language test per hit).
    active: dict[tuple[str, ...], tuple[tuple[Cue, ...], ...]]

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(self.settings.kinds)


def expand(pattern: str) -> list[str]:
    """All phrases a braced pattern spells: "kill{,s} {a,b}" → kill a, kill b, kills a, kills b."""
    parts = _BRACES.split(pattern)
    if any(ch in literal for literal in parts[::2] for ch in "{}"):
        raise ValueError(f"{pattern!r}: unbalanced or nested braces")
    choices = [[p] if i % 2 == 0 else p.split(",") for i, p in enumerate(parts)]
    total = 1
    for c in choices:
        total *= len(c)
    if total > _MAX_FORMS:
        raise ValueError(f"{pattern!r} spells {total} phrases (at most {_MAX_FORMS})")
    return ["".join(combo) for combo in product(*choices)]


def _lines(block: str) -> list[str]:
    out = []
    for raw in block.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def _cues(group: CueGroup, where: str) -> list[Cue]:
    out = []
    for lang in ("en", "fr", "any"):
        for line in _lines(getattr(group, lang)):
            try:
                forms = expand(line)
            except ValueError as e:
                raise ConfigError([f"{where}.{lang}: {e}"]) from None
            for form in forms:
                phrase = fold(form)
                if not phrase:
                    raise ConfigError([f"{where}.{lang}: {line!r} has no words once folded"])
                out.append(
                    Cue(
                        phrase,
                        group.cls,
                        group.weight,
                        "" if lang == "any" else lang,
                        group.kind,
                        group.topic,
                        group.near_actor,
                        group.civilian,
                        phrase.count(" ") + 1,
                        group.reach,
                        group.cause,
                        group.frames,
                        group.unframed,
                    )
                )
    return out


def compile_vocabulary(data: object, path: Path) -> Vocabulary:
    """Validate parsed YAML and build the automaton; ConfigError names file, field and value."""
    try:
        settings = VocabularyFile.model_validate(data)
    except ValidationError as e:
        raise ConfigError([_describe(path, err) for err in e.errors(include_url=False)]) from None
    by_phrase: dict[str, list[Cue]] = {}
    function_words: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for i, group in enumerate(settings.cues):
        for cue in _cues(group, f"{path}: cues[{i}]"):
            if cue.cls == "lang":
                for lang in [cue.lang] if cue.lang else LANGS:
                    function_words[lang].append(f" {cue.phrase} ")
            else:
                by_phrase.setdefault(cue.phrase, []).append(cue)
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    phrases = list(by_phrase)
    for i, phrase in enumerate(phrases):
        automaton.add_word(f" {phrase} ", i)
    automaton.make_automaton()
    cues = tuple(tuple(dict.fromkeys(by_phrase[p])) for p in phrases)
    active = {langs: tuple(_in(group, langs) for group in cues) for langs in _LANG_SETS}
    explainers = frozenset(settings.explainer_topics)
    keys = {langs: _key_sets(groups, explainers) for langs, groups in active.items()}
    return Vocabulary(
        settings,
        cues,
        tuple(len(p) for p in phrases),
        automaton,
        {lang: tuple(words) for lang, words in function_words.items()},
        {langs: k["decisive"] for langs, k in keys.items()},
        {langs: k["general"] for langs, k in keys.items()},
        {langs: k["needs_actor"] for langs, k in keys.items()},
        {langs: k["armed"] for langs, k in keys.items()},
        active,
    )


_LANG_SETS = [(lang,) for lang in LANGS] + [LANGS]


def _in(group: tuple[Cue, ...], langs: tuple[str, ...]) -> tuple[Cue, ...]:
    return tuple(c for c in group if not c.lang or c.lang in langs)


def _key_sets(groups: tuple[tuple[Cue, ...], ...], explainers: frozenset[str]) -> dict[str, frozenset[int]]:
    """Automaton values by what their cues (of the active languages) do for the quick path:
    harm words and specific event words decide alone ("decisive"), as explainer words may
    (with a general word: "the war explained"), specific ones that need an armed actor decide
    beside one ("needs_actor", "armed"), any event word with a group ("general"). One pass
    over the cues."""
    out: dict[str, set[int]] = {"decisive": set(), "general": set(), "needs_actor": set(), "armed": set()}
    for i, group in enumerate(groups):
        for c in group:
            if c.cls == "harm" or (c.cls == "topic" and c.topic in explainers):
                out["decisive"].add(i)
            elif c.cls == "event":
                out["general"].add(i)
                if c.weight > 1:
                    out["needs_actor" if c.near_actor else "decisive"].add(i)
            elif c.cls == "actor" and c.weight >= 1:
                out["armed"].add(i)
    return {name: frozenset(keys) for name, keys in out.items()}


def load_vocabulary(path: Path = DEFAULT_PATH) -> Vocabulary:
    return compile_vocabulary(read_yaml(path), path)


@cache
def default_vocabulary() -> Vocabulary:
    """The vocabulary the pipeline and `match` use, loaded once per process: the shipped one,
    or the file $LOOKOUT_EVENT_VOCABULARY names (to try a change without reinstalling)."""
    return load_vocabulary(Path(os.environ.get("LOOKOUT_EVENT_VOCABULARY") or DEFAULT_PATH))


def _describe(path: Path, err: dict) -> str:
    loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"]).lstrip(".")
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = "unknown field"
    elif err["type"] == "missing":
        msg = "required field is missing"
    elif "input" in err and err["type"] not in ("model_type", "value_error"):
        shown = repr(err["input"])
        msg = f"{msg} (got {shown if len(shown) <= 60 else shown[:57] + '...'})"
    return f"{path}: {loc or '(top level)'}: {msg}"
