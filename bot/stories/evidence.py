"""How far a report and an open story agree that they are one event: what forbids the join
(`blocked`), and each piece of evidence beyond the words, with what it adds to the score and
to the clues a join needs (`adjustments`).

The shared place (a town; a region or a capital much less), the same kind of event in one
country within a day, the same toll, the same named event ("the Derna floods", "les
inondations de Derna"), the same headline label, one security event's scene (one armed group
— a franchise and its affiliate as one — or kind of security event in one region within
hours, a district standing for the towns in it); and against: towns, armed groups, kinds of
event, tolls or victims (soldiers, traders) that differ, a story quiet for days. Across
languages a join needs something only that event shares (`cross_language_backed`); beside a
security story, a report naming no kind of event needs more than the town (`unsaid_kind`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.stories.coarse import capitals
from bot.stories.features import Features
from bot.stories.lexicon import FIGURATIVE, SECURITY_FAMILIES, rare_kind
from bot.stories.thresholds import Thresholds
from bot.stories.tolls import same_toll
from bot.stories.victims import classes_agree
from bot.stories.words import generic


@dataclass
class StorySide:
    """What an open story says, as `weigh` reads it (kept up to date by the clusterer)."""

    id: str
    last: datetime | None
    places: set[str] = field(default_factory=set)
    admin1: set[str] = field(default_factory=set)
    seats: set[str] = field(default_factory=set)  # regions a report named as their town (Features)
    groups: set[str] = field(default_factory=set)
    parents: set[str] = field(default_factory=set)
    districts: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    families: set[str] = field(default_factory=set)
    tolls: set[int] = field(default_factory=set)
    victims: set[tuple[str, str]] = field(default_factory=set)  # (class, word), as Features
    events: set[str] = field(default_factory=set)
    langs: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)
    violent: bool = False  # a report tells of violence, if not its kind (Features.violent)


@dataclass(frozen=True)
class Piece:
    """One piece of evidence: what it adds to the score, and to the clues a join needs."""

    label: str  # "place djibo", "toll 12", "kinds differ"
    score: float
    clue: float
    scene: bool = False  # one security event's scene: carries a join whose words differ


@dataclass(frozen=True)
class Verdict:
    """Why a report would or would not join one story: every piece of evidence and its weight."""

    story_id: str
    score: float
    text: float  # the best of: like its nearest report, like the story's word profile
    nearest: str | None  # the report of the story it is most like
    names: tuple[str, ...] = ()  # shared names, rarest first
    adjustments: tuple[tuple[str, float], ...] = ()  # ("place djibo", 0.2), ("toll 12", 0.15)
    cross_language: bool = False
    blocked: str | None = None  # why it may not join at all
    clues: float = 0.0

    def describe(self) -> str:
        if self.blocked:
            return f"blocked: {self.blocked}"
        bits = [f"text {self.text:.2f}"]
        bits += [f"{'+' if v >= 0 else '-'} {label}" for label, v in self.adjustments]
        return " ".join(bits)

    def to_json(self) -> dict:
        return {
            "story": self.story_id,
            "score": round(self.score, 4),
            "text": round(self.text, 4),
            "nearest": self.nearest,
            "names": list(self.names),
            "adjustments": {label: round(v, 4) for label, v in self.adjustments},
            "clues": self.clues,
            "cross_language": self.cross_language,
            "blocked": self.blocked,
        }


def blocked(f: Features, s: StorySide) -> str | None:
    """A reason the two can never be one event, whatever the words say."""
    if f.countries and s.countries and not f.countries & s.countries:
        return f"countries differ ({'/'.join(sorted(f.countries))} vs {'/'.join(sorted(s.countries))})"
    a, b = _widen(f.families), _widen(frozenset(s.families))
    if _differ(a, b) and (a & SECURITY_FAMILIES or b & SECURITY_FAMILIES):
        # Between security events (a kidnapping beside an attack), or a security event against
        # other news (an attack, and a flood or a clinic opening in the same town).
        return f"kinds of event differ ({'/'.join(sorted(f.families))} vs {'/'.join(sorted(s.families))})"
    return None


def _differ(a: frozenset[str], b: frozenset[str]) -> bool:
    """Both name kinds of event, and no family is shared. A figurative family beside a security
    one says nothing: "Trump attacks Powell" is no attack on the Fed's rate decision."""
    if not a or not b or a & b:
        return False
    return not ((a <= FIGURATIVE and b & SECURITY_FAMILIES) or (b <= FIGURATIVE and a & SECURITY_FAMILIES))


def _widen(fams: frozenset[str]) -> frozenset[str]:
    # Protests turn into clashes ("running battles" with the police): one event, two words.
    return fams | {"violence"} if "protest" in fams else fams


def adjustments(
    f: Features, s: StorySide, t: Thresholds, place_rarity: Callable[[str], float], story_words
) -> list[Piece]:
    """Evidence beyond the words. `story_words`: every word the story's reports use."""
    out = _places(f, s, t, place_rarity, story_words)
    if f.groups and s.groups and not _same_actors(f, s):
        out.append(Piece("groups differ", -t.group_conflict, 0.0))
    a, b = _widen(f.families), _widen(frozenset(s.families))
    if _differ(a, b):
        # Not forbidden (neither is a security event: a storm and the aid after it can be one
        # story), but a flood and a hospital opening in one town are two.
        out.append(Piece("kinds differ", -t.kind_conflict, -1.0))
    # The same kind of security event, or the same disaster, in one country within a day.
    # A rare kind is a whole clue (one earthquake a day in a country); attacks are daily: half.
    rare = {k for k in f.kinds & s.kinds if rare_kind(k)}
    same_kind = (a & b & SECURITY_FAMILIES) | rare
    day = timedelta(hours=t.toll_hours / 2)
    tolls = _tolls(f, s, t)
    if same_kind and f.countries & s.countries and _recent(f.when, s.last, day) and not two_scenes(f, s):
        where = "/".join(sorted(f.countries & s.countries))
        # A rare event of one toll in one country on one day ("nine dead" in floods on the
        # Kenyan coast, "flash floods kill nine in Mombasa") is one event however it is told:
        # like a scene, it stands for the words the two do not share.
        counted = bool(rare) and any(p.score > 0 for p in tolls)
        label = f"{'/'.join(sorted(same_kind))} in {where}"
        out.append(Piece(label, t.kind_bonus, 1.0 if rare else 0.5, counted))
    out += _scene(f, s, t)
    out += tolls
    out += _victims(f, s, t)
    for e in sorted(f.events & s.events)[:1]:
        out.append(Piece(f"event {e}", t.event_bonus, 1.0))
    if f.label and f.label in s.labels and not _place_label(f.label, f, s):
        out.append(Piece(f"label {f.label}", 0.0, 1.0))  # no score: its word counts already
    quiet = _quiet_days(f.when, s.last)
    if quiet > 0.5:
        # A story quiet for days is less likely to be what a new report is about: the Fed's
        # minutes are not its rate decision of three days before.
        out.append(Piece(f"story quiet {quiet:.1f} days", -t.stale_per_day * (quiet - 0.5), 0.0))
    return out


def _places(f: Features, s: StorySide, t: Thresholds, place_rarity, story_words) -> list[Piece]:
    out = []
    shared = f.places & s.places
    if two_scenes(f, s):
        pass  # the region two towns share is why both name it, not one event
    elif shared:
        best = max(shared, key=lambda p: (_specificity(p, f, s) * place_rarity(p), p))
        # A place whose name both already share as words is no second clue, nor is the
        # region of a town both name ("Mogadishu" and its Banaadir): one place, one clue.
        said = any(all(w in f.words and w in story_words for w in p.split("_")) for p in shared)
        score = t.place_bonus * _specificity(best, f, s) * place_rarity(best)
        out.append(Piece(f"place {best}", score, 0.0 if said else 1.0))
    else:
        region = _region_named(f, s, story_words)
        if region:
            out.append(Piece(f"place {region}", t.place_bonus * 0.5 * place_rarity(region), 1.0))
    if _towns_differ(f, s):
        # Two towns, even in one province, are two events more often than one.
        out.append(Piece("places differ", -t.place_conflict, 0.0))
    elif _regions_differ(f, s):
        out.append(Piece("regions differ", -t.place_conflict, 0.0))
    return out


def _towns_differ(f: Features | StorySide, s: StorySide) -> bool:
    towns, story_towns = _towns(f), _towns(s)
    return bool(towns and story_towns and not towns & story_towns)


def two_scenes(f: Features, s: StorySide) -> bool:
    """Two security events in towns that differ ("suicide bomber kills four at mosque in
    Konduga, Borno" and "ISWAP overruns army base in Marte, Borno"): what both share because
    both are violence in that province (its name, the kind in the country) is no evidence of
    one event; a province sees several in a day."""
    return _towns_differ(f, s) and bool(f.families & SECURITY_FAMILIES and s.families & SECURITY_FAMILIES)


def _place_label(label: str, f: Features, s: StorySide) -> bool:
    """A headline label that is a place either side names ("Beni : ", "Nord-Ouest : "): it says
    where, as the place already does, not which running story."""
    parts = {part for p in f.places | s.places for part in p.split("_")} | generic()
    return all(w in parts for w in label.split())


def _regions_differ(f: Features, s: StorySide) -> bool:
    """A security event in one first-level region and a story of one in another (the matcher
    lists a town's region with it): "attack in Ituri province" is not the massacre near Beni,
    North Kivu, though both are "in eastern Congo". Disasters and other news cross regions."""
    if not f.admin1 or not s.admin1 or f.admin1 & s.admin1:
        return False
    return bool(f.families & SECURITY_FAMILIES and s.families & SECURITY_FAMILIES)


def _scene(f: Features, s: StorySide, t: Thresholds) -> list[Piece]:
    """One security event told in other words: the same armed group, or the same kind of
    security event, in one first-level region within hours, where at most one side names a
    town (the matcher lists a town's region with it: "Marte" is in Borno; a district, "Soum
    province", is no town). A franchise and its affiliate are one group. "ISWAP seizes base
    in Marte" and "Islamic State West Africa fighters overrun army base in Borno" share no
    word the story weighs, but a province sees one such event in a morning, not two."""
    regions = f.admin1 & s.admin1
    if not _recent(f.when, s.last, timedelta(hours=t.scene_hours)):
        return []
    if not regions:
        return _group_scene(f, s, t)
    towns, story_towns = _towns(f), _towns(s)
    if towns and story_towns and not towns & story_towns:
        return []  # two towns of one region: two events (see _places)
    if f.groups and s.groups and not _same_actors(f, s):
        return []
    who = sorted(_same_actors(f, s))
    what = sorted(_widen(f.families) & _widen(frozenset(s.families)) & SECURITY_FAMILIES)
    if not who and not what:
        return []
    where = "/".join(sorted(regions))
    label = f"{'/'.join(who or what)} in {where} within {t.scene_hours:g} h"
    rough = sorted(f.districts | s.districts)  # read as no town: say so in --explain
    label += f" ({'/'.join(rough)} a district)" if rough else ""
    return [Piece(label, t.scene_bonus, 1.0, True)]


def _group_scene(f: Features, s: StorySide, t: Thresholds) -> list[Piece]:
    """One armed group in one country within hours, where one side says no more than the
    country ("Al-Qaeda affiliate attacks fuel convoy in western Mali" after "JNIM torches fuel
    tankers on the Kayes-Bamako road"): the region the other names is no contradiction."""
    who = sorted(_same_actors(f, s))
    if not who or not f.countries & s.countries or bool(f.places) == bool(s.places):
        return []  # both placeless: a war's belligerents in a country, not one event
    if not _widen(f.families) & _widen(frozenset(s.families)) & SECURITY_FAMILIES:
        return []
    where = "/".join(sorted(f.countries & s.countries))
    return [Piece(f"{'/'.join(who)} in {where} within {t.scene_hours:g} h", t.scene_bonus, 0.5, True)]


def _tolls(f: Features, s: StorySide, t: Thresholds) -> list[Piece]:
    if f.toll is None or not s.tolls or not _recent(f.when, s.last, timedelta(hours=t.toll_hours)):
        return []
    # "Delia death toll rises to 19" names no kind: an update of a count already given is
    # about an event already reported, whatever its kind.
    if not (f.families & s.families or (f.toll_rises and not f.families)):
        return []
    if any(same_toll(f.toll, x) for x in s.tolls):
        return [Piece(f"toll {f.toll}", t.toll_bonus, 1.0)]
    if f.toll_rises and max(s.tolls) < f.toll <= 4 * max(s.tolls):
        return [Piece(f"toll rises {max(s.tolls)} to {f.toll}", t.toll_bonus, 1.0)]
    if f.toll < 0.5 * min(s.tolls) or f.toll > 4 * max(s.tolls):
        # Tolls rise as bodies are counted, rarely fall by half, and do not quadruple in a day.
        told = "/".join(map(str, sorted(s.tolls)))
        return [Piece(f"tolls differ ({f.toll} vs {told})", -t.toll_bonus, 0.0)]
    return []


def _victims(f: Features, s: StorySide, t: Thresholds) -> list[Piece]:
    """Victims of classes that differ: an attack on a garrison and one on traders at a
    market, one town and one morning, are two events. Silent when either names none, and
    a class is compared, not a word ("police" / "gendarmes" agree). Civilians of one
    occupation both name ("worshippers" / "fidèles") are half a clue: few events of a day
    have them."""
    if not f.victims or not s.victims:
        return []
    mine, theirs = {c for c, _ in f.victims}, {c for c, _ in s.victims}
    if classes_agree(mine, theirs):
        occupied = sorted(c for c in mine & theirs if "/" in c)
        return [Piece(f"victims {occupied[0]}", 0.0, 0.5)] if occupied else []
    told = "/".join(sorted({w for _, w in s.victims}))
    said = "/".join(sorted({w for _, w in f.victims}))
    return [Piece(f"victims differ ({said} vs {told})", -t.victims_conflict, 0.0)]


def _quiet_days(when: datetime | None, last: datetime | None) -> float:
    if when is None or last is None:
        return 0.0
    return max(0.0, (when - last).total_seconds() / 86400)


def _region_named(f: Features, s: StorySide, story_words) -> str | None:
    """A region one report names by a word of its name and the other's matcher found ("Darfur"
    in a headline, "North Darfur" from El Fasher): the same region, at least."""
    for regions, words in ((s.admin1, f.words), (f.admin1, story_words)):
        for region in sorted(regions):
            if any(part in words and part not in generic() for part in region.split("_") if len(part) > 3):
                return region
    return None


def _towns(side: Features | StorySide) -> frozenset[str]:
    """Places that are towns: not a first-level region (unless named as the town of its name,
    "in Gao"), not a district ("cercle de Douentza" holds Boulikessi), not a capital (a venue,
    not a scene)."""
    rough = (side.admin1 - side.seats) | side.districts
    return frozenset(p for p in side.places if p not in rough and p not in capitals())


def _same_actors(f: Features, s: StorySide) -> frozenset[str]:
    """The armed groups both name, a franchise and its affiliate as one ("al-Qaeda-linked
    fighters" and JNIM): a report that names the franchise is not naming another group."""
    return frozenset(f.groups & (s.groups | s.parents)) | (f.parents & s.groups)


def _specificity(place: str, f: Features, s: StorySide) -> float:
    """A town says where the event was; a region or a capital (where summits, ministries and
    datelines are) much less."""
    if place in capitals():
        return 0.3
    return 0.5 if place in f.admin1 or place in s.admin1 else 1.0


def _recent(when: datetime | None, last: datetime | None, window: timedelta) -> bool:
    return when is None or last is None or abs(when - last) <= window


def unsaid_kind(f: Features, s: StorySide, beyond: Callable[[], float], t: Thresholds) -> str | None:
    """Why a report may not join when one side names a security event and the other no kind
    of event at all ("Fire guts dozens of shops in El Obeid market" beside the drone strike
    there, an exam result headed "Kaya : " beside the attack near Kaya): the town they share
    says where, not what happened. Words alike beyond the places' names (`beyond`: the
    likeness without them), or a fact of the event itself (its toll, its armed group, its
    named event, victims of one class), still join them."""
    if not (_unsaid(f.families, s.families, s.violent) or _unsaid(s.families, f.families, f.violent)):
        return None
    if f.groups & (s.groups | s.parents) or f.parents & s.groups or f.events & s.events:
        return None
    if f.toll is not None and any(same_toll(f.toll, x) for x in s.tolls):
        return None
    if {c for c, _ in f.victims} & {c for c, _ in s.victims}:
        return None
    text = beyond()
    if text >= t.unsaid_text:
        return None
    return f"only one side names what happened, text {text:.2f} beyond places below {t.unsaid_text}"


def _unsaid(said: frozenset[str] | set[str], other: frozenset[str] | set[str], other_violent: bool) -> bool:
    """One side names security events only (a storm's "storm surge" is no attack), the other no
    kind of event and no violence ("Amhara fighters take control of Debre Markos" says who)."""
    return bool(said) and said <= SECURITY_FAMILIES and not other and not other_violent


def cross_language(f: Features, s: StorySide) -> bool:
    return bool(f.lang and s.langs and f.lang not in s.langs)


def cross_language_backed(f: Features, s: StorySide, shared_weight: float, enough: float) -> bool:
    """Across languages few words can be shared, and a handful of tokens on each side makes any
    cosine high ("Mali" and "Mali"). Joining needs something only that event shares: the place,
    an armed group, the event's name, the same toll of the same kind of event, or shared words
    that weigh as much as a rare name (a minister's name, "mpox"; not "Burkina Faso")."""
    if f.places & s.places or f.groups & s.groups or f.events & s.events:
        return True
    if f.toll is not None and f.families & s.families and any(same_toll(f.toll, t) for t in s.tolls):
        return True
    return shared_weight >= enough
