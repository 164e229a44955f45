"""Field-note and wire styles the dev set lacks: an admin1 whose name is an everyday word,
named with its division word ("province du Lac"), and venues named after their town."""

from __future__ import annotations

from bot.models import Admin1
from tests.match_support import matcher


def test_an_everyday_word_with_a_division_word_is_that_division():
    text = "Des hommes armés ont incendié un marché près du village, dans la province du Lac."
    mm = matcher().mentions(text)
    assert mm.countries == ("TD",) and Admin1("TD", "Lac") in mm.admin1


def test_a_division_word_after_the_name_counts_too():
    mm = matcher().mentions("Fishermen were kidnapped by gunmen on an island in Lac province overnight.")
    assert mm.countries == ("TD",) and Admin1("TD", "Lac") in mm.admin1


def test_the_everyday_word_alone_names_no_division():
    for text in ("Nous avons traversé le lac hier soir.", "Le Lac est calme ce matin, selon les pêcheurs."):
        mm = matcher().mentions(text)
        assert mm.countries == () and mm.admin1 == ()
