"""The knobs of the join decision, in one place. Defaults were tuned on the tune parts of
bench/cluster_dev.py and checked on the test parts (docs/stories.md); round numbers, not
fitted to the last digit."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    join: float = 0.22  # combined score needed to join a story
    min_text: float = 0.12  # text likeness below this never joins, whatever else agrees
    same_outlet_text: float = 0.24  # likeness a join to one feed's report needs with no other evidence
    same_outlet_hours: float = 12.0  # quiet this long, a story takes no such join
    min_clues: float = 1.5  # shared words and pieces of evidence a join needs (clues.py)
    name_boost: float = 0.5  # a name weighs up to (1 + this) times a word, by its rarity
    lead_share: float = 0.5  # how far two leads can lift two headlines' likeness toward theirs
    place_bonus: float = 0.2  # a shared town (a region or a capital much less)
    place_conflict: float = 0.2  # both name towns, none shared
    group_conflict: float = 0.2  # both name armed groups, none shared
    kind_bonus: float = 0.1  # the same kind of security event or disaster, one country, one day
    kind_conflict: float = 0.2  # kinds of event that differ, where that does not forbid the join
    scene_bonus: float = 0.15  # one armed group or security kind, one region, within scene_hours
    scene_hours: float = 12.0
    toll_bonus: float = 0.15  # the same toll of the same kind of event within toll_hours
    toll_hours: float = 48.0
    victims_conflict: float = 1.0  # both name victims, of classes that differ (soldiers, traders)
    event_bonus: float = 0.3  # the same named event ("the Derna floods")
    unsaid_text: float = 0.4  # likeness a report needs where only it or the story names a security event
    stale_per_day: float = 0.1  # less per day the story has been quiet, after half a day
    cross_text: float = 0.6  # likeness across languages that needs no other backing
    cross_weight: float = 3.0  # shared word weight that backs a join across languages (a rare name)
    copy: float = 0.8  # word-set Jaccard with one report at which another is its copy
    candidates: int = 10  # stories scored per report, the best by shared rare keys
    key_cap: int = 40  # a key more open stories use than this is no clue to candidates
    recent: int = 8  # a story's latest reports a report is compared with one by one
