"""Who the victims are, by class: two attacks on one town hours apart, one on a garrison and
one on traders, are two events (headlines we wrote)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.stories import Clusterer, StoryDoc
from bot.stories.victims import victims

T0 = datetime(2025, 4, 2, 5, 0, tzinfo=UTC)
PLACE = {"countries": frozenset({"ML"}), "admin1": frozenset({"Gao"})}


def _doc(i: str, title: str, hours: float, text: str = "") -> StoryDoc:
    # As the matcher lists them: the town with its first-level region.
    places = frozenset({"Menaka town", "Gao"})
    return StoryDoc(i, title, text, "test", T0 + timedelta(hours=hours), places=places, **PLACE)


@pytest.mark.parametrize(
    ("title", "classes"),
    [
        ("Militants overrun army base near Menaka town", {"security forces"}),
        ("Cinq gendarmes tués dans l'attaque d'un poste", {"security forces"}),
        ("Gunmen kill nine merchants at cattle market", {"civilians/traders"}),
        ("Des orpailleurs enlevés sur un site minier", {"civilians/miners"}),
        ("Army says air strikes killed 30 militants near Menaka town", {"militants"}),
        ("Une trentaine de terroristes neutralisés par l'armée", {"militants"}),
        ("Militants kill 12 soldiers near Menaka town", {"security forces"}),  # the attackers
        ("Three aid workers abducted on supply road", {"aid workers"}),
        ("Deux casques bleus blessés par une mine", {"peacekeepers"}),
        ("Gunmen kill soldiers and villagers in dawn raid", {"security forces", "civilians"}),
        ("Gunmen kill villagers and herders in dawn raid", {"civilians", "civilians/rural"}),
        ("Police said gunmen attacked the town at dawn", set()),  # the police as the source
        ("Mineral exports rise for third month", set()),  # "miner" is a whole word
    ],
)
def test_victims_are_read_by_class_in_english_and_french(title: str, classes: set[str]) -> None:
    assert {c for c, _ in victims(title, "")} == classes


def test_the_lead_is_read_only_when_the_headline_names_no_victims() -> None:
    lead = "Gunmen killed six herders on Sunday."
    assert victims("Attack near Menaka town", lead) == (("civilians/rural", "herders"),)
    assert victims("Soldiers killed near Menaka town", lead) == (("security forces", "soldiers"),)


def test_an_attack_on_other_victims_in_one_town_is_another_story() -> None:
    base = "Jihadists attack army camp in Menaka town, killing soldiers"
    market = "Gunmen kill traders at Menaka town market"
    c = Clusterer()
    first = c.add(_doc("a", base, 0))
    second = c.add(_doc("b", market, 2.5))
    assert second.story_id != first.story_id
    assert "victims differ (traders vs army camp)" in second.reason
    without = Clusterer(victims_conflict=0.0)  # the same two reports, victims unread: one story
    assert without.add(_doc("a", base, 0)).story_id == without.add(_doc("b", market, 2.5)).story_id


@pytest.mark.parametrize(
    "later",
    [
        "Malian troops repel jihadist attack in Menaka town",  # another word of one class
        "Mali : des militaires tués dans l'attaque du camp de Menaka town",
        "Jihadists attack in Menaka town, army says",  # names no victims
    ],
)
def test_one_attack_told_with_other_victim_words_stays_one_story(later: str) -> None:
    c = Clusterer()
    first = c.add(_doc("a", "Jihadists attack army camp in Menaka town, killing soldiers", 0))
    second = c.add(_doc("b", later, 2))
    assert second.story_id == first.story_id
    assert "victims differ" not in second.reason


def test_police_and_gendarmes_are_one_class() -> None:
    c = Clusterer()
    first = c.add(_doc("a", "Militants attack police post in Menaka town", 0))
    second = c.add(_doc("b", "Des gendarmes tués dans une attaque à Menaka town", 1.5))
    assert second.story_id == first.story_id


def test_two_kidnappings_of_civilians_doing_other_things_are_two_stories() -> None:
    c = Clusterer()
    c.add(_doc("a", "Bandits abduct 20 miners near Menaka town", 0))
    other = c.add(_doc("b", "Gunmen kidnap 12 bus passengers near Menaka town", 3))
    assert other.is_new, other.reason


def test_plain_civilians_agree_with_civilians_of_any_occupation() -> None:
    c = Clusterer()
    first = c.add(_doc("a", "Bandits abduct 20 miners near Menaka town", 0))
    second = c.add(_doc("b", "Gunmen kidnap 20 civilians at gold site near Menaka town", 3))
    assert second.story_id == first.story_id, second.reason


def test_an_air_strike_on_counted_militants_is_not_the_attack_on_soldiers() -> None:
    c = Clusterer()
    c.add(_doc("a", "Militants kill 20 soldiers in attack near Menaka town", 0))
    other = c.add(_doc("b", "Army says air strikes killed 30 militants near Menaka town", 5))
    assert other.is_new, other.reason
