"""One event told in other words: a rate decision or a court's sentences named otherwise, a
toll given as an update, an acronym beside what it stands for (headlines we wrote)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.stories import Clusterer, StoryDoc
from bot.stories.coarse import as_countries
from bot.stories.features import features
from bot.stories.lexicon import kinds_in
from bot.stories.tolls import rising
from bot.stories.words import spell_out

T0 = datetime(2025, 6, 10, 6, 0, tzinfo=UTC)


def _doc(i: str, title: str, hours: float, country: str | None = None) -> StoryDoc:
    countries = frozenset({country}) if country else frozenset()
    return StoryDoc(i, title, "", "test", T0 + timedelta(hours=hours), countries=countries)


@pytest.mark.parametrize(
    ("title", "kinds"),
    [
        ("Zambia's central bank raises key rate to 14.5%", {"rates"}),
        ("Surprise 150 basis point hike in Lusaka", {"rates"}),
        ("Le taux directeur relevé de 50 points de base", {"rates"}),
        ("Court jails six opposition figures for ten years", {"verdict"}),
        ("L'ancien ministre condamné à cinq ans de prison", {"verdict"}),
        ("Exchange rate of the kwacha weakens", set()),
    ],
)
def test_rate_decisions_and_sentences_are_kinds(title: str, kinds: set[str]) -> None:
    assert kinds_in(title) == kinds


def test_one_rate_decision_in_other_words_is_one_story() -> None:
    c = Clusterer()
    first = c.add(_doc("a", "Zambia central bank raises key rate to tame kwacha slide", 0, "ZM"))
    second = c.add(_doc("b", "Bank of Zambia surprises with 150 basis point hike", 3, "ZM"))
    assert second.story_id == first.story_id
    assert "rates in ZM" in second.reason


def test_a_figure_of_speech_does_not_make_a_rate_decision_an_attack() -> None:
    c = Clusterer()
    first = c.add(_doc("a", "Zambia central bank holds key rate as kwacha steadies", 0, "ZM"))
    second = c.add(_doc("b", "Hichilema attacks Zambia central bank over kwacha rate hold", 4, "ZM"))
    assert "kinds of event differ" not in second.reason
    assert second.story_id == first.story_id


@pytest.mark.parametrize(
    ("title", "rises"),
    [
        ("Kabwe flood death toll rises to 15", True),
        ("Le bilan des inondations de Kabwe s'alourdit à 15 morts", True),
        ("Toll climbs to 15 in Kabwe", True),
        ("Floods kill 15 in Kabwe", False),
    ],
)
def test_a_toll_given_as_an_update(title: str, rises: bool) -> None:
    assert rising(title) is rises


def test_a_rising_toll_joins_the_story_that_gave_the_first_count() -> None:
    c = Clusterer()
    first = c.add(_doc("a", "Flash floods kill eight in Kabwe", 0))
    c.add(_doc("x", "Copper output at Kansanshi mine rises 5%", 1))
    update = c.add(_doc("b", "Kabwe death toll rises to 15 as rescuers dig", 20))
    assert update.story_id == first.story_id
    assert "toll rises 8 to 15" in update.reason


def test_a_toll_that_fell_is_no_update() -> None:
    c = Clusterer()
    c.add(_doc("a", "Flash floods kill 40 in Kabwe", 0))
    update = c.add(_doc("b", "Kabwe death toll rises to 12 as rescuers dig", 20))
    assert "toll rises" not in update.reason


def test_acronyms_are_spelled_out_case_sensitively() -> None:
    assert spell_out("BoE cuts rates") == "Bank of England cuts rates"
    assert spell_out("GERD filling ends") == "Grand Ethiopian Renaissance Dam filling ends"
    assert spell_out("Children fed by volunteers") == "Children fed by volunteers"


def test_an_acronym_and_its_name_are_one_story() -> None:
    c = Clusterer()
    first = c.add(_doc("a", "Bank of England cuts interest rates to 3.75%", 0, "GB"))
    second = c.add(_doc("b", "BoE lowers rates but splits on vote", 2, "GB"))
    assert second.story_id == first.story_id


@pytest.mark.parametrize(
    ("word", "countries", "read"),
    [
        ("tunisian", {"TN"}, "tunisia"),
        ("ugandan", {"UG"}, "uganda"),
        ("nigerien", {"NE"}, "niger"),
        ("nigerian", {"NG"}, "nigeria"),
        ("senegalai", {"SN"}, "senegal"),  # "sénégalais", its plural "s" cut
        ("malien", {"ML"}, "mali"),
        ("nigerian", {"NE", "NG"}, "nigeria"),  # the longest name first
        ("kenyan", {"UG"}, "kenyan"),  # only the report's own countries are tried
        ("malice", {"ML"}, "malice"),
    ],
)
def test_a_country_adjective_is_read_as_its_name(word: str, countries: set[str], read: str) -> None:
    assert as_countries(frozenset({word}), frozenset(countries)) == {read}


def test_one_disaster_of_one_toll_in_one_country_is_one_story_in_other_words() -> None:
    c = Clusterer()
    first = c.add(_doc("a", "Flash floods kill seven in Malawi's Blantyre", 0, "MW"))
    second = c.add(_doc("b", "Heavy rains leave seven dead in the south, Red Cross says", 3, "MW"))
    assert second.story_id == first.story_id, second.reason
    assert "flood in MW" in second.reason


def test_one_disaster_in_other_words_with_no_count_in_common_stays_apart() -> None:
    c = Clusterer()
    c.add(_doc("a", "Flash floods kill seven in Malawi's Blantyre", 0, "MW"))
    other = c.add(_doc("b", "Heavy rains leave 40 dead in the south, Red Cross says", 3, "MW"))
    assert other.is_new, other.reason


@pytest.mark.parametrize(
    ("title", "families"),
    [
        ("Gunmen seize dozens of passengers from buses in Katsina", {"kidnapping", "violence"}),
        ("Bandits grabbed 12 farmers from their fields", {"kidnapping"}),
        ("Militants seize town near the border", {"violence"}),  # no people taken
        ("Camions-citernes incendiés par des jihadistes près de Nioro", {"disaster", "violence"}),
        ("Fire destroys fuel depot near Nioro", {"disaster"}),  # no one named who set it
        ("Floods cut roads in rebel-held areas", {"disaster"}),  # a flood stays a flood
    ],
)
def test_what_happened_told_without_its_word(title: str, families: set[str]) -> None:
    assert features(StoryDoc("a", title, "", "test", T0), T0).families == families


def test_a_kidnapping_told_as_people_seized_joins_the_abduction() -> None:
    c = Clusterer()
    first = c.add(_doc("a", "Bandits abduct 30 passengers from buses in Katsina", 0, "NG"))
    second = c.add(_doc("b", "Gunmen seize dozens of bus passengers in northwest Nigeria", 2, "NG"))
    assert second.story_id == first.story_id, second.reason
