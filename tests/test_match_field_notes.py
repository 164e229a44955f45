"""Field-note and wire styles the dev set lacks: an admin1 whose name is an everyday word,
named with its division word ("province du Lac"), and venues named after their town."""

from __future__ import annotations

from bot.match import cues
from bot.match.hits import Text
from bot.models import Admin1
from tests.match_support import matcher


def test_an_everyday_word_with_a_division_word_is_that_division():
    text = "Des hommes armés ont incendié un marché près du village, dans la province du Lac."
    mm = matcher().mentions(text)
    assert mm.countries == ("TD",) and Admin1("TD", "Lac") in mm.admin1


def test_a_division_word_in_lower_case_before_an_admin1_named_with_it():
    # "Région du Kanem" and "state of Illinois" are names of their admin1 as well; written in
    # lower case they are read as the admin1 inside them, not dropped whole
    mm = matcher().mentions("Des hommes armés ont attaqué un convoi dans la région du Kanem.")
    assert mm.countries == ("TD",) and Admin1("TD", "Kanem") in mm.admin1
    mm = matcher().mentions("Deux gendarmes ont été tués dans une embuscade dans la région du Nord-Ouest.")
    assert Admin1("CM", "North-West") in mm.admin1
    mm = matcher().mentions("A funeral was held in the US state of Illinois on Sunday.")
    assert Admin1("US", "Illinois") in mm.admin1


def test_a_state_the_text_backs_outranks_a_world_city_by_an_old_name():
    # "Edo" is a Nigerian state and an old name of Tokyo
    mm = matcher().mentions("Nigerian police said gunmen abducted two priests in Edo.")
    assert mm.countries == ("NG",) and mm.admin1 == (Admin1("NG", "Edo"),) and mm.places == ()
    # a world city by its own name still wins over an admin1 of that name (Mwanza, Tanzania)
    mm = matcher().mentions("Thousands gathered in the lakeside city of Mwanza on Sunday.")
    assert [(p.name, p.country) for p in mm.places] == [("Mwanza", "TZ")]


def test_niger_is_the_nigerian_state_when_the_places_lie_in_it():
    for text in (
        "Bandits killed twelve villagers in Niger's Shiroro on Monday.",
        "Gunmen abducted 30 travellers near Mariga, Niger, on Friday.",
    ):
        mm = matcher().mentions(text)
        assert mm.countries == ("NG",) and mm.admin1 == (Admin1("NG", "Niger"),)
    # a place of the country, or the country named apart, keeps it
    mm = matcher().mentions("Soldiers were killed in Niger's Diffa region on Monday.")
    assert mm.countries == ("NE",)
    mm = matcher().mentions("Niger and Nigeria agreed to patrol the border near Maradi.")
    assert set(mm.countries) == {"NE", "NG"}


def test_armed_movements_of_the_sahel_chad_and_somalia_in_ucdps_list():
    cases = {
        "Fighters of the MSA clashed with jihadists near Ménaka on Sunday.": "MSA",
        "Des combattants du Mouvement arabe de l'Azawad ont été attaqués près de Ber.": "MAA",
        "CCMSR rebels claimed an attack on an army post in Tibesti province.": "CCMSR",
        "Union of Islamic Courts militias took control of Jowhar.": "ARS/UIC",
        "Militiamen of the Dan na Ambassagou burned a hamlet near Bankass.": "Dan Na Ambassagou",
    }
    for text, group in cases.items():
        assert [g.name for g in matcher().mentions(text).groups] == [group], text


def test_somalias_member_states_name_somalia():
    mm = matcher().mentions("South West State forces clashed with militants near a village on Sunday.")
    assert mm.countries == ("SO",) and mm.admin1 == () and "South West State" in mm.regions
    mm = matcher().mentions("Clan militias clashed in Galmudug over grazing land.")
    assert mm.countries == ("SO",) and "Galmudug" in mm.regions


def test_a_division_word_after_the_name_counts_too():
    mm = matcher().mentions("Fishermen were kidnapped by gunmen on an island in Lac province overnight.")
    assert mm.countries == ("TD",) and Admin1("TD", "Lac") in mm.admin1


def test_the_everyday_word_alone_names_no_division():
    for text in ("Nous avons traversé le lac hier soir.", "Le Lac est calme ce matin, selon les pêcheurs."):
        mm = matcher().mentions(text)
        assert mm.countries == () and mm.admin1 == ()


def test_a_village_where_the_named_group_is_active_is_read_there():
    mm = matcher().mentions("Boko Haram fighters raided Damasak overnight, killing three.")
    assert mm.countries == ("NG",) and [(p.name, p.admin1) for p in mm.places] == [("Damasak", "Borno")]
    mm = matcher().mentions("Suspected ISWAP militants burned houses in Ngala on Sunday.")
    assert [(p.name, p.country) for p in mm.places] == [("Ngala", "NG")]


def test_no_group_or_a_sizeable_namesake_elsewhere_leaves_the_village_unread():
    assert matcher().mentions("Gunmen raided Damasak overnight, killing three.").places == ()
    # Banki is also a town of 17,000 in India, where no group of the text operates
    assert matcher().mentions("Suspected ISWAP militants burned houses in Banki on Sunday.").places == ()


def test_a_venue_word_before_a_town_is_no_first_name():
    mm = matcher().mentions("Gunmen abducted five students of the Federal University Gusau on Monday.")
    assert [(p.name, p.country, p.admin1) for p in mm.places] == [("Gusau", "NG", "Zamfara")]
    mm = matcher().mentions("Students of Bayero University Kano marched after a lecturer was kidnapped.")
    assert mm.countries == ("NG",) and Admin1("NG", "Kano") in mm.admin1


def test_a_town_after_a_first_name_is_still_a_surname():
    mm = matcher().mentions("The spokesman, Aliyu Gusau, said talks would resume on Monday.")
    assert mm.places == ()


def test_a_neighbour_named_as_a_border_is_not_where_it_happened():
    mm = matcher().mentions("Gunmen killed 11 villagers in Tillabéri region, close to the Malian border.")
    assert mm.countries == ("NE",)
    mm = matcher().mentions(
        "Des hommes armés ont tué trois bergers dans la région de Tahoua, près de la frontière "
        "avec le Nigeria."
    )
    assert mm.countries == ("NE",)


def test_a_border_alone_or_a_pair_still_names_its_countries():
    assert matcher().mentions("Heavy gunfire was heard near the Malian border overnight.").countries == (
        "ML",
    )
    mm = matcher().mentions("Two guards were killed in a drone strike on the Saudi-Yemen border.")
    assert set(mm.countries) == {"SA", "YE"}


def test_a_place_read_before_backs_its_admin1_for_the_next_name():
    # Comoé is a province of Burkina Faso and a district (admin1) of Côte d'Ivoire
    mm = matcher().mentions("Gunmen shot a trader near Banfora in Comoé province on Sunday.")
    assert mm.countries == ("BF",) and mm.admin1 == (Admin1("BF", "Cascades"),)


def test_a_place_only_abroad_needs_a_big_city_once_the_text_has_a_focus():
    # Jordan's Māḩiş (17,000) is no reading here: without Somalia's Mahas (places.yaml) the
    # name is left unread, with it the Somali town is read
    mm = matcher().mentions("Al-Shabaab fighters attacked Mahas district in Hiiraan before dawn.")
    assert mm.countries == ("SO",) and {p.country for p in mm.places} <= {"SO"}


def test_the_source_country_alone_makes_no_place_abroad():
    mm = matcher().mentions("Gunmen abducted a priest in Kaya on Sunday.", source_country="NG")
    assert [(p.name, p.country) for p in mm.places] == [("Kaya", "BF")]


def _people(text: str, name: str) -> bool:
    t = Text(text)
    hit = next(h for h in matcher().resolver.names.hits(t) if h.surface == name)
    return cues.people(t, hit)


def test_a_peoples_name_before_a_noun_is_no_village():
    # Samo: a people of Burkina Faso, and a town of 8,000 in Côte d'Ivoire
    assert _people("Samo farmers fled after gunmen burned their granaries.", "Samo")
    mm = matcher().mentions("Samo farmers and Fulani herders clashed near Bankass, in the Mopti region.")
    assert mm.countries == ("ML",) and [p.name for p in mm.places] == ["Bankass"]


def test_a_peoples_name_written_as_a_place_is_still_one():
    assert not _people("Gunmen attacked Samo, killing three.", "Samo")
    assert not _people("Gunmen attacked Samo market on Sunday.", "Samo")


def test_a_town_joined_by_a_hyphen_to_an_unknown_word_is_part_of_another_name():
    # Sebba is a town of the Sahel region; "Tin-Sebba" is another (made-up) name
    mm = matcher().mentions("In Burkina Faso, gunmen attacked the hamlet of Tin-Sebba on Friday.")
    assert mm.countries == ("BF",) and mm.places == ()


def test_two_towns_joined_by_a_hyphen_are_both_read():
    mm = matcher().mentions("In Burkina Faso, gunmen ambushed a convoy on the Kaya-Dori road on Friday.")
    assert [p.name for p in mm.places] == ["Kaya", "Dori"]


def test_a_village_placed_where_it_has_no_namesake_is_not_its_namesake():
    # GeoNames has a Kouka in Centre-Nord, none in Sebba (Yagha, Sahel)
    mm = matcher().mentions("Le 5 mars, des individus armés ont attaqué le village de Kouka (Sebba, Yagha).")
    assert mm.admin1 == (Admin1("BF", "Sahel"),) and "Kouka" not in [p.name for p in mm.places]


def test_a_list_before_a_chain_keeps_its_towns():
    mm = matcher().mentions("Armed men attacked Kaya, Dori (Séno) and Djibo on the same night.")
    assert [p.name for p in mm.places][:1] == ["Kaya"]


def test_a_demonym_beside_a_town_says_which_namesake():
    # Gao: a city and region of Mali, and a town of 26,000 in Burkina Faso
    text = "Malian officials said the Burkinabe town of Gao was attacked overnight."
    assert [(p.name, p.country) for p in matcher().mentions(text).places] == [("Gao", "BF")]
    text = "Le Mali a condamné l'attaque contre Gao, une localité burkinabè, dimanche."
    assert [(p.name, p.country) for p in matcher().mentions(text).places] == [("Gao", "BF")]
    text = "Malian officials said the town of Gao was attacked overnight."
    assert [(p.name, p.country) for p in matcher().mentions(text).places] == [("Gao", "ML")]


def test_the_first_word_of_a_longer_name_is_no_village_elsewhere():
    # "Arab American", "Mona Faiz": a capitalised word after a small village's name makes one
    # longer name (a place the gazetteer lacks, a person, a community), not that village
    for text in (
        "US pollsters said many Arab American voters in Michigan were still undecided.",
        "Prosecutors in the United States charged Mona Faiz with fraud on Tuesday.",
    ):
        mm = matcher().mentions(text)
        assert mm.countries == ("US",) and mm.places == (), text
    # a division word or a weekday after a name keeps it
    mm = matcher().mentions("Gunmen attacked travellers in Maiduguri Monday night.")
    assert [p.name for p in mm.places] == ["Maiduguri"]
    mm = matcher().mentions("Bandits attacked villages in Kano State on Sunday.")
    assert mm.admin1 == (Admin1("NG", "Kano"),)


def test_conflict_villages_of_lake_chad_somalia_and_north_nigeria_are_known():
    # places.yaml (17v): villages cities500 lacks, read with no country named
    cases = {
        "Boko Haram fighters burned fishing boats near Baga Sola overnight.": ("TD", "Lac"),
        "Gold prospectors fought each other at Kouri Bougoudi last week.": ("TD", "Tibesti"),
        "Government troops and clan militia retook Mahaday from al-Shabaab.": ("SO", "Shabeellaha Dhexe"),
        "An aid convoy was stopped by gunmen at Janaale on Sunday.": ("SO", "Shabeellaha Hoose"),
        "ISWAP fighters shelled the army camp at Malam Fatori.": ("NG", "Borno"),
    }
    for text, (cc, admin1) in cases.items():
        mm = matcher().mentions(text)
        assert mm.countries == (cc,) and mm.admin1 == (Admin1(cc, admin1),), text
