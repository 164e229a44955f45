"""One security event's scene, told roughly: a district for a town inside it (headlines we
wrote)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.stories import Clusterer, StoryDoc
from bot.stories.coarse import districts

T0 = datetime(2025, 3, 9, 5, 0, tzinfo=UTC)
SAHEL = {"countries": frozenset({"BF"}), "admin1": frozenset({"Sahel"})}
JNIM = {"groups": frozenset({"JNIM"})}


def _doc(i: str, title: str, hours: float, places: set[str], **kw) -> StoryDoc:
    # As the matcher lists them: the first-level region comes with a town, and is a place too.
    kw = {**SAHEL, **kw}
    return StoryDoc(
        i, title, "", "test", T0 + timedelta(hours=hours), places=frozenset(places | {"Sahel"}), **kw
    )


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Soldiers killed as militants overrun base in Burkina's Soum province", {"soum"}),
        ("L'armée dit avoir repoussé une attaque dans le cercle de Douentza", {"douentza"}),
        ("Gunmen raid village in Gwoza LGA", {"gwoza"}),
        ("Gunmen raid village near Gwoza", set()),  # a town
        ("Curfew in the commune of Djibo", set()),  # a commune is a town's size
    ],
)
def test_a_place_the_text_calls_a_district_is_no_town(text: str, found: set[str]) -> None:
    assert districts(frozenset({"soum", "douentza", "gwoza", "djibo"}), text) == found


def test_a_town_and_the_district_around_it_are_one_scene() -> None:
    c = Clusterer()
    first = c.add(_doc("a", "JNIM claims attack on army post in Djibo", 0, {"Djibo"}, **JNIM))
    second = c.add(
        _doc("b", "Dozens of soldiers killed as militants overrun base in Soum province", 3, {"Soum"})
    )
    assert second.story_id == first.story_id
    assert "violence in sahel within 12 h" in second.reason


def test_two_towns_of_one_region_stay_two_scenes() -> None:
    c = Clusterer()
    c.add(_doc("a", "JNIM claims attack on army post in Djibo", 0, {"Djibo"}, **JNIM))
    other = c.add(
        _doc("b", "Dozens of soldiers killed as militants overrun base near Arbinda", 3, {"Arbinda"})
    )
    assert other.is_new
