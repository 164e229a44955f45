"""Wire headlines worldwide (issue 17w): a text that names only an armed group, a demonym of
the forces that acted, districts and transliterations the gazetteer writes otherwise. Our own
sentences; place and group facts from GeoNames and the UCDP actor list."""

from __future__ import annotations

from bot.models import Admin1
from tests.match_support import matcher


def _read(text: str):
    mm = matcher().mentions(text)
    return mm, [g.name for g in mm.groups if not g.state], [g.name for g in mm.groups if g.state]


def test_a_group_alone_places_the_text_where_it_is_active():
    for text, country, group in [
        ("Taliban fighters killed five policemen in an ambush overnight.", "AF", "Taliban"),
        ("Pakistani Taliban claimed the attack on a police post.", "PK", "TTP"),
        ("Al-Shabab militants stormed a military base before dawn.", "SO", "al-Shabaab"),  # main: SO
        ("ADF rebels killed 20 villagers with machetes.", "CD", "ADF"),  # main: CD
    ]:
        mm, groups, _ = _read(text)
        assert mm.countries == (country,) and groups == [group], text


def test_a_group_of_several_countries_with_no_main_one_places_nothing():
    mm, groups, _ = _read("JNIM fighters ambushed a convoy on the main road.")
    assert groups == ["JNIM"] and mm.countries == ()


def test_a_name_that_may_be_a_place_in_another_of_its_countries_leaves_the_main_one_out():
    mm, groups, _ = _read("Boko Haram fighters raided fishing camps near Kaiga Kindjiria (Lac).")
    assert groups == ["Boko Haram"] and "NG" not in mm.countries
    mm, _, _ = _read("Boko Haram fighters raided fishing camps at dawn.")  # nothing else: its main one
    assert mm.countries == ("NG",)


def test_a_place_or_country_named_outweighs_the_groups_home():
    mm, _, _ = _read("Al-Shabaab militants attacked a police post in Mandera county.")
    assert mm.countries == ("KE",)
    mm, _, _ = _read("Taliban fighters crossed into Pakistan and attacked a checkpoint.")
    assert mm.countries == ("PK",)


def test_the_demonym_of_forces_that_acted_is_not_where():
    mm, _, _ = _read("Russian shelling killed two civilians in Kherson on Tuesday.")
    assert mm.countries == ("UA",)
    mm, _, _ = _read("An Israeli airstrike hit a house in Gaza, killing five.")
    assert mm.countries == ("PS",)


def test_the_demonym_of_forces_is_where_when_nothing_else_says():
    mm, _, _ = _read("Nigerian troops killed 30 bandits in a raid on their camp.")
    assert mm.countries == ("NG",)
    mm, _, _ = _read("Ukrainian forces repelled a Russian assault overnight.")
    assert set(mm.countries) == {"UA", "RU"}


def test_forces_of_a_named_ambiguous_country_still_back_it():
    mm, _, _ = _read("Malian troops and Russian instructors patrolled the north of Mali.")
    assert "ML" in mm.countries


def test_a_division_word_before_a_comma_is_not_the_next_names_kind():
    mm, groups, _ = _read("Oromo Liberation Army gunmen killed 30 in Gimbi district, West Wollega.")
    assert mm.countries == ("ET",) and groups == ["OLA"]


def test_a_congolese_territory_is_named_without_its_kind():
    for text in ("Militiamen killed seven in Masisi territory.", "Fighting in Masisi left seven dead."):
        mm, _, _ = _read(text)
        assert mm.countries == ("CD",) and Admin1("CD", "Nord-Kivu") in mm.admin1, text


def test_transliterations_without_apostrophe_or_article():
    mm, _, _ = _read("Clashes were reported near Debre Markos on Monday.")
    assert mm.countries == ("ET",)
    mm, _, _ = _read("A car bomb exploded in Qamishli, killing four.")
    assert mm.countries == ("SY",)


def test_new_groups_and_forces_of_the_catalogue():
    mm, groups, forces = _read(
        "Tatmadaw troops torched homes as Ta'ang National Liberation Army fighters withdrew."
    )
    assert mm.countries == ("MM",) and groups == ["TNLA"] and forces == ["Tatmadaw"]
    _, groups, _ = _read("Al-Qaeda in the Arabian Peninsula gunmen killed five soldiers at a checkpoint.")
    assert groups == ["AQAP"]
    mm, groups, _ = _read("Syrian rebels shelled government positions.")
    assert mm.countries == ("SY",) and groups == ["Syrian insurgents"]


def test_a_town_after_a_capitalised_preposition_in_a_title_case_headline():
    for text, country in [
        ("Gunmen Kill Five In Attack On Police Station In Katsina", "NG"),
        ("Militants Kill 4 Soldiers In Bannu", "PK"),
    ]:
        mm, _, _ = _read(text)
        assert mm.countries == (country,) and len(mm.places) == 1, text


def test_a_franchise_named_only_as_what_the_actor_is_tied_to_is_not_the_actor():
    _, groups, _ = _read("Al-Qaeda-linked al-Shabaab militants attacked a base near Afgooye.")
    assert groups == ["al-Shabaab"]
    _, groups, _ = _read("JNIM, affiliated with al-Qaeda, claimed the ambush.")
    assert groups == ["JNIM"]
    _, groups, _ = _read("Militants linked to al-Qaeda attacked a checkpoint.")  # no actor named: kept
    assert groups == ["al-Qaeda"]


def test_tribal_districts_and_governorates_as_wire_reports_spell_them():
    mm, _, _ = _read("Three soldiers were killed by a roadside bomb in South Waziristan.")
    assert mm.countries == ("PK",) and Admin1("PK", "Khyber Pakhtunkhwa") in mm.admin1
    mm, _, _ = _read("Clashes in Shabwa left eight dead on Friday.")
    assert mm.countries == ("YE",) and [a.name for a in mm.admin1] == ["Shabwah"]
    assert _read("A SWAT TEAM RAIDED A HOUSE ON FRIDAY")[0].countries == ()


def test_a_town_by_its_own_name_before_a_city_that_has_it_as_another_name():
    # Russia's Myski (44,000) is also written "Miski"; Chad's Miski is called so
    mm = matcher().mentions("Rebels said they attacked an army post at Miski.")
    assert [(p.name, p.country) for p in mm.places] == [("Miski", "TD")]
    mm = matcher().mentions("Floods cut the road to Myski on Tuesday.")
    assert [p.country for p in mm.places] == ["RU"]
