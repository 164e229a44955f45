"""A town that shares its region's name (Tahoua, Kayes, Kassala): read per report as the town
or as the region, so two attacks in two towns of one region stay apart while one attack told
"in Tahoua" and "in the Tahoua region" still joins (headlines we wrote)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.models import Admin1, Mentions, Place
from bot.stories import Clusterer, StoryDoc, entities
from bot.stories.features import features

T0 = datetime(2025, 11, 3, 5, 0, tzinfo=UTC)
NIGER = {"countries": frozenset({"NE"}), "admin1": frozenset({"Tahoua"})}


def _doc(i: str, title: str, hours: float, *towns: str) -> StoryDoc:
    # As the matcher lists them: each town it read, with its region, which is a place too.
    return StoryDoc(
        i,
        title,
        "",
        "test",
        T0 + timedelta(hours=hours),
        places=frozenset({*towns, "Tahoua"}),
        towns=frozenset(towns),
        **NIGER,
    )


def _seats(title: str, *towns: str) -> frozenset[str]:
    return features(_doc("x", title, 0, *towns), T0).seats


def test_the_matcher_lists_the_towns_it_read() -> None:
    town = Place("Tahoua", "NE", "Tahoua", 14.9, 5.3, (13, 19))
    mentions = Mentions(countries=("NE",), admin1=(Admin1("NE", "Tahoua"),), places=(town,))
    assert entities(mentions)["towns"] == {"Tahoua"}
    assert entities(mentions)["places"] == {"Tahoua"}


def test_a_town_or_its_region_is_read_from_the_report() -> None:
    assert _seats("Gunmen storm police station in Tahoua city", "Tahoua") == {"tahoua"}
    assert _seats("Tahoua : le marché central rouvre ses portes", "Tahoua") == {"tahoua"}
    # A division word, or a label followed by another town: the region.
    assert _seats("Attaque contre un poste dans la région de Tahoua", "Tahoua") == frozenset()
    assert _seats("Tahoua : une patrouille attaquée près d'Illéla", "Tahoua", "Illéla") == frozenset()
    assert _seats("Soldiers killed in attack in Niger's Tahoua region") == frozenset()


def test_an_attack_in_the_town_is_not_one_in_another_town_of_its_region() -> None:
    c = Clusterer()
    first = c.add(_doc("a", "Gunmen kill seven soldiers at army post in Tahoua city", 0, "Tahoua"))
    other = c.add(_doc("b", "Jihadists attack army post near Illéla, soldiers killed", 2, "Illéla"))
    assert other.story_id != first.story_id


def test_one_attack_told_as_the_town_and_as_the_region_joins() -> None:
    c = Clusterer()
    region = c.add(_doc("a", "Jihadists kill seven soldiers in Niger's Tahoua region", 0))
    town = c.add(_doc("b", "Tahoua : sept militaires tués dans une attaque jihadiste", 3, "Tahoua"))
    assert town.story_id == region.story_id


def test_the_region_name_two_towns_share_is_no_likeness() -> None:
    # The label names the region, the attack was in Illéla; the next is in the town of Tahoua.
    c = Clusterer()
    label = "Tahoua : quatre soldats tués dans l'attaque d'un poste à Illéla"
    first = c.add(_doc("a", label, 0, "Illéla"))
    other = c.add(_doc("b", "Jihadists attack army checkpoint in Tahoua city", 2, "Tahoua"))
    assert other.story_id != first.story_id
