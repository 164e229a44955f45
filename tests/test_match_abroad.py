"""People a demonym names far from home: refugees, traders, herders and soldiers beside a place
of another country are news from that country (sentences written for these tests)."""

from __future__ import annotations

import pytest

from tests.match_support import matcher


@pytest.fixture(scope="module")
def m():
    return matcher()


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Sudanese refugees were attacked by armed men near Adré on Sunday.", "TD"),
        ("Des réfugiés soudanais ont été blessés par balles près d'Adré.", "TD"),
        ("Somali refugees in Dadaab protested against ration cuts.", "KE"),
        ("Malian Fulani herders were killed by gunmen near Ayorou.", "NE"),
        ("Des commerçants nigériens ont été tués près de Gao.", "ML"),
        ("Chadian troops lost four men in fighting near Damasak.", "NG"),
        ("Burkinabe soldiers killed in an ambush in Mali's Ménaka region", "ML"),
        ("Des soldats burkinabè tués dans une embuscade près de Tessit", "ML"),
    ],
)
def test_people_named_beside_a_place_of_another_country_are_there(m, text, country):
    mentions, resolved = m.resolved(text)
    assert mentions.countries == (country,)
    assert any(kind == "abroad" and cc == country for cc, _, kind, _ in resolved.votes)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Kenyan police officers were killed by an IED in Mandera.", "KE"),
        ("Somali soldiers were killed in a suicide attack on a base in Baidoa.", "SO"),
        ("Nigerien troops repelled an attack in Tillabéri region.", "NE"),
        ("Sudanese refugees fled the fighting on foot.", "SD"),
        ("Malian traders were robbed on the road to Gao.", "ML"),
        ("South Sudanese refugees returning from Kakuma were robbed at the border.", "SS"),
    ],
)
def test_people_at_home_or_placed_nowhere_name_their_country(m, text, country):
    assert m.mentions(text).countries == (country,)


def test_a_shouted_word_is_no_place_abroad(m):
    # "GARRISON" is also an alternate name of a US town: in a shouted line it places nothing
    mm = m.mentions("CHADIAN SOLDIERS KILLED IN ATTACK ON BAGA SOLA GARRISON")
    assert mm.countries == ("TD",)
