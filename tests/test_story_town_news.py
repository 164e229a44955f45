"""Other news of a town an attack hit, told without a kind of event ("new terminal opens",
"record cargo"), stays out of the attack's story; the attack told again, or claimed, joins
(headlines we wrote)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.stories import Clusterer, StoryDoc
from bot.stories.lexicon import kinds_in

T0 = datetime(2025, 8, 4, 5, 0, tzinfo=UTC)


def _doc(i: str, title: str, hours: float) -> StoryDoc:
    # As the matcher lists them: the town, its first-level region, the country.
    return StoryDoc(
        i,
        title,
        "",
        "test",
        T0 + timedelta(hours=hours),
        places=frozenset({"Kismayo", "Lower Juba"}),
        admin1=frozenset({"Lower Juba"}),
        countries=frozenset({"SO"}),
    )


def test_a_towns_other_news_without_a_kind_is_another_story() -> None:
    c = Clusterer()
    attack = c.add(_doc("a", "Suicide bomber kills nine at Kismayo police station", 0))
    other = c.add(_doc("b", "New ferry terminal opens at Kismayo harbour", 3))
    assert other.story_id != attack.story_id
    assert "clue" in other.reason


def test_the_same_attack_told_again_joins() -> None:
    c = Clusterer()
    attack = c.add(_doc("a", "Suicide bomber kills nine at Kismayo police station", 0))
    again = c.add(_doc("b", "Nine dead as suicide bomber strikes Kismayo police post", 3))
    assert again.story_id == attack.story_id


def test_a_blast_an_armed_group_claims_is_an_attack() -> None:
    c = Clusterer()
    c.add(_doc("a", "Suicide bomber kills nine at Kismayo police station", 0))
    claimed = StoryDoc(
        "b",
        "Al-Shabaab claims blast at Kismayo police station",
        "",
        "test",
        T0 + timedelta(hours=2),
        places=frozenset({"Kismayo", "Lower Juba"}),
        admin1=frozenset({"Lower Juba"}),
        groups=frozenset({"al-Shabaab"}),
        countries=frozenset({"SO"}),
    )
    assert "kinds of event differ" not in c.add(claimed).reason


def test_a_beheading_is_an_attack() -> None:
    assert kinds_in("Insurgents behead six villagers") == {"attack"}
    assert kinds_in("Six villageois décapités par des insurgés") == {"attack"}
