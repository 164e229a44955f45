"""Other news of a town an attack hit, told without a kind of event ("new terminal opens",
"record cargo"), stays out of the attack's story; the attack told again joins (headlines we
wrote)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.stories import Clusterer, StoryDoc

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
