"""Field notes in the styles of the held-out data (issue 17e), on tiny GeoNames fixture dumps
(tests/fixtures/geonames-notes: rows copied from GeoNames, CC BY 4.0): a village written by an
alternate name, local forces that say little alone, and a commune the gazetteer lacks."""

from __future__ import annotations

import pytest

from bot.match.focus import explain
from bot.match.matcher import Matcher
from bot.models import Admin1
from tests.match_support import INDEX_DIR, REPO, import_dumps

FIXTURES = REPO / "tests" / "fixtures" / "geonames-notes"
DATA = INDEX_DIR / "with-note-dumps"


@pytest.fixture(scope="module")
def m() -> Matcher:
    return import_dumps([FIXTURES / n for n in ("BF.txt", "ML.txt", "NE.txt")], DATA)[0]


def where(mm) -> list[tuple[str, str, str | None]]:
    return [(p.name, p.country, p.admin1) for p in mm.places]


def test_two_local_forces_named_together_say_their_one_common_country(m):
    mm = m.mentions("FDS and VDP fought off gunmen who stormed the market of Falagountou on Friday.")
    assert mm.countries == ("BF",) and where(mm) == [("Falagountou", "BF", "Sahel")]
    votes = explain(m.resolved("FDS and VDP fought off gunmen near Falagountou.", None)[1])["votes"]
    assert {
        "country": "BF",
        "weight": 1.0,
        "why": 'the one home country of the actors named together, with "FDS"',
    } in votes


def test_a_force_of_many_states_places_a_village_a_place_word_names(m):
    mm = m.mentions("Les FDS ont repoussé une attaque contre le poste de Makalondi, selon une source locale.")
    assert mm.countries == ("NE",) and Admin1("NE", "Tillabéri") in mm.admin1
    assert [g.name for g in mm.groups if g.state] == ["FDS"]


def test_a_force_of_many_states_leaves_a_village_of_two_of_them_unread(m):
    # Koutougou is a village of Burkina Faso and of Niger, both states whose forces are FDS
    assert m.mentions("Les FDS ont repoussé une attaque contre le poste de Koutougou.").countries == ()
    # no place word: the acronym alone says too little
    assert m.mentions("Les FDS ont repoussé une attaque, Makalondi a été épargné.").countries == ()


def test_an_imported_village_is_found_by_its_alternate_name(m):
    mm = m.mentions("Gunmen killed twelve people in the village of Seytenga in Burkina Faso on Thursday.")
    assert where(mm) == [("Sitenga", "BF", "Sahel")]
    mm = m.mentions("Les rebelles affirment avoir repris Anéfis, au Mali, après deux jours de combats.")
    assert [(p.name, p.country) for p in mm.places] == [("Anefis i-n-Darane", "ML")]


def test_a_village_called_so_beats_one_that_is_also_called_so(m):
    mm = m.mentions("Des jihadistes ont attaqué le poste militaire de Boni, au Mali, dans la nuit.")
    assert where(mm) == [("Boni", "ML", "Mopti")]


def test_a_commune_the_gazetteer_lacks_still_places_the_village_in_the_bracket(m):
    # Tizegorou is also written for Tuizégorou, a village of Tillabéri; the one meant is in Tillia
    text = (
        "On 23 May 2023, militants killed 11 civilians in the village of Tizegorou "
        "(Intazayene, Tillia), Tahoua region."
    )
    mm = m.mentions(text)
    assert mm.countries == ("NE",) and mm.admin1 == (Admin1("NE", "Tahoua"),)
    assert ("Tuizégorou", "NE", "Tillabéri") not in where(mm)


def test_a_group_of_one_country_names_it_when_nothing_else_does(m):
    mm = m.mentions("Troops kill 71 UNITA rebels in overnight clashes")
    assert mm.countries == ("AO",)
    mm = m.mentions("BIFF gunmen wounded three soldiers in a clash on Tuesday")
    assert mm.countries == ("PH",)


def test_a_group_of_one_country_adds_nothing_where_a_country_is_named(m):
    # the Taliban's home is Afghanistan, but this text is about Pakistan
    mm = m.mentions("Taliban militants attacked a police post in Khyber Pakhtunkhwa overnight.")
    assert mm.countries == ("PK",)


def test_a_department_filed_under_a_stale_admin1_takes_its_seats(m):
    mm = m.mentions("Des hommes armés ont tué cinq soldats dans le département de Téra, au Niger.")
    assert mm.admin1 == (Admin1("NE", "Tillabéri"),)
    assert where(mm) == [("Téra", "NE", "Tillabéri")] and mm.places[0].lat == 14.25  # the department


def test_a_region_word_reads_the_admin1_not_the_department_of_that_name(m):
    mm = m.mentions(
        "Une patrouille est tombée dans une embuscade près de Makalondi, dans la région de Tillabéri."
    )
    assert mm.admin1 == (Admin1("NE", "Tillabéri"),) and where(mm) == [("Makalondi", "NE", "Tillabéri")]


def test_somali_regions_by_their_other_spellings(m):
    for text, admin1 in (
        ("Al-Shabaab fighters attacked a base in Galgadud on Sunday.", "Galguduud"),
        ("Drought displaces thousands in Bakol.", "Bakool"),
        ("Clashes near Garowe in Nugal region.", "Nugaal"),
    ):
        assert m.mentions(text).admin1 == (Admin1("SO", admin1),), text


def test_a_chain_ends_on_the_region_unless_a_division_word_names_the_department(m):
    mm = m.mentions("Gunmen on motorbikes killed four herders near Makalondi, Tillabéri, on Monday.")
    assert where(mm) == [("Makalondi", "NE", "Tillabéri")] and mm.admin1 == (Admin1("NE", "Tillabéri"),)
    mm = m.mentions("Gunmen killed four herders near Makalondi, département de Tillabéri, on Monday.")
    assert where(mm) == [("Makalondi", "NE", "Tillabéri"), ("Tillabéri", "NE", "Tillabéri")]


def test_second_level_divisions_the_code_list_lacks(m):
    mm = m.mentions("ADF rebels killed 12 civilians in Irumu territory overnight.")
    assert mm.countries == ("CD",) and mm.admin1 == (Admin1("CD", "Ituri"),)
    mm = m.mentions("Des hommes armés ont tué quatre pêcheurs dans le département de Kaya, province du Lac.")
    assert mm.countries == ("TD",) and mm.admin1 == (Admin1("TD", "Lac"),)


def test_a_small_division_named_like_a_larger_town_elsewhere_casts_no_vote(m):
    # Kaya is a Chadian department and a Burkinabè town of 66,000
    mm = m.mentions("Explosion at Kaya market wounds 12")
    assert mm.countries == ("BF",) and mm.admin1 == (Admin1("BF", "Centre-Nord"),)
