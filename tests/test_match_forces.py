"""Local forces named by a bare acronym, and division names two countries share: how they vote
for a text's country focus (sentences written for these tests)."""

from __future__ import annotations

import pytest

from bot.match import focus
from tests.match_support import matcher


@pytest.fixture(scope="module")
def m():
    return matcher()


def votes(m, text: str) -> list[tuple[str, str, str]]:
    _, r = m.resolved(text)
    return [(cc, kind, h.surface if h else "") for cc, _, kind, h in r.votes]


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("A VDP patrol came under fire near Gorom-Gorom late on Monday.", "BF"),
        ("Une patrouille des VDP a été attaquée près de Titao.", "BF"),
        ("Des soldats des FAN ont essuyé des tirs près d'Abala.", "NE"),
    ],
)
def test_a_force_acronym_with_a_fighter_word_votes_for_its_country(m, text, country):
    assert m.mentions(text).countries == (country,)


def test_a_force_of_many_countries_gives_no_vote_but_stays(m):
    text = "FDS elements searched houses in Banfora, Comoé province, Burkina Faso."
    mentions = m.mentions(text)
    assert "FDS" in {g.name for g in mentions.groups}
    assert mentions.countries == ("BF",)
    assert not [v for v in votes(m, text) if v[2] == "FDS"]


def test_a_bare_acronym_alone_still_votes_nothing(m):
    assert not m.mentions("The VDP said on Monday it would hold a meeting.").countries


def test_a_shared_division_votes_for_the_country_the_rest_favours(m):
    text = "Armed men stole cattle near Niangoloko in Comoé province."
    cast = votes(m, text)
    assert ("BF", "shared", "Comoé") in cast
    assert not [v for v in cast if v[0] == "CI"]
    _, r = m.resolved(text)
    assert set(r.focus) == {"BF"}
    assert "the rest of the text favours" in str(focus.explain(r)["votes"])


def test_a_shared_division_alone_still_splits(m):
    cast = votes(m, "Heavy rain flooded fields across Comoé this week.")
    assert {cc for cc, kind, _ in cast if kind == "division"} == {"BF", "CI"}
