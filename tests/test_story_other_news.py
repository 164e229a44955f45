"""Another event in the same town or province stays out of an attack's story: a second attack
in a neighbouring town, news that names no kind of event (an exam result, a market fire), a
clinic opening headed by the town's name; the attack told again, or told by its dead and its
killers alone, joins (headlines we wrote)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.stories import Clusterer, StoryDoc
from bot.stories.doc import entities
from bot.stories.features import features
from bot.stories.lexicon import kinds_in

T0 = datetime(2025, 9, 15, 5, 0, tzinfo=UTC)
BORNO = {"admin1": frozenset({"Borno"}), "countries": frozenset({"NG"})}


def _doc(i: str, title: str, hours: float, *towns: str, **more) -> StoryDoc:
    # As the matcher lists them: the towns with their first-level region, the country.
    places = frozenset({*towns, "Borno"}) if towns else frozenset()
    return StoryDoc(i, title, "", "test", T0 + timedelta(hours=hours), places=places, **(BORNO | more))


def _kinds(title: str, **mentions) -> frozenset[str]:
    doc = StoryDoc("x", title, "", "test", T0, **mentions)
    return features(doc, T0).kinds


def test_a_killing_told_with_its_killers_is_an_attack() -> None:
    assert _kinds("Dikwa : cinq civils tués par Boko Haram", groups=frozenset({"Boko Haram"})) == {"attack"}
    assert _kinds("Separatists kill two police officers at checkpoint") == {"attack"}
    assert _kinds("Trois gendarmes abattus par des individus armés") == {"attack"}
    assert _kinds("Fourteen soldiers killed near Dikwa") == frozenset()  # who killed them is unsaid


def test_a_fire_that_guts_shops_is_a_fire() -> None:
    assert kinds_in("Fire guts dozens of shops in Bama main market") == {"wildfire"}


def test_two_attacks_in_two_towns_of_one_province_are_two_stories() -> None:
    c = Clusterer()
    base = c.add(_doc("a", "Militants overrun army base in Dikwa, Borno", 0, "Dikwa"))
    mosque = c.add(_doc("b", "Suicide bomber kills four at mosque in Bama, Borno", 3, "Bama"))
    assert mosque.story_id != base.story_id
    assert "place borno" not in mosque.reason


def test_the_same_attack_in_other_words_still_joins() -> None:
    c = Clusterer()
    base = c.add(_doc("a", "Militants overrun army base in Dikwa, Borno", 0, "Dikwa"))
    again = c.add(_doc("b", "Dikwa army base falls to militants after dawn assault", 3, "Dikwa"))
    assert again.story_id == base.story_id


def test_news_without_a_kind_needs_more_than_the_town() -> None:
    c = Clusterer()
    attack = c.add(_doc("a", "Gunmen kill 14 soldiers in attack near Dikwa, Borno", 0, "Dikwa"))
    exams = c.add(_doc("b", "Dikwa school tops Borno exam results", 4, "Dikwa"))
    assert exams.story_id != attack.story_id
    assert "only one side names what happened" in exams.reason


def test_the_dead_counted_again_join_though_no_kind_is_named() -> None:
    c = Clusterer()
    attack = c.add(_doc("a", "Gunmen kill 14 soldiers in attack near Dikwa, Borno", 0, "Dikwa"))
    dead = c.add(_doc("b", "Fourteen soldiers dead near Dikwa, army says", 4, "Dikwa"))
    assert dead.story_id == attack.story_id


def test_a_clinic_opening_headed_by_the_town_is_not_the_killing_there() -> None:
    c = Clusterer()
    adf = {"groups": frozenset({"ADF"}), "admin1": frozenset({"Nord-Kivu"}), "countries": frozenset({"CD"})}
    places = frozenset({"Mutwanga", "Nord-Kivu"})
    killed = c.add(StoryDoc("a", "Mutwanga : 11 civils tués par les ADF", "", "t", T0, places=places, **adf))
    clinic = StoryDoc(
        "b",
        "Mutwanga : ouverture d'un nouveau centre de santé",
        "",
        "t",
        T0 + timedelta(hours=5),
        places=places,
        admin1=frozenset({"Nord-Kivu"}),
        countries=frozenset({"CD"}),
    )
    out = c.add(clinic)
    assert out.story_id != killed.story_id
    assert "label" not in out.reason


def test_one_shared_name_across_languages_is_no_translation() -> None:
    c = Clusterer()
    # As the matcher lists them: the town, its region, the country.
    cm = {"places": frozenset({"Mokolo", "Far North"}), "admin1": frozenset({"Far North"})}
    cm["countries"] = frozenset({"CM"})
    fire = c.add(
        StoryDoc("a", "Fire guts dozens of stalls at Mokolo market", "", "t", T0, language="en", **cm)
    )
    pupils = StoryDoc(
        "b",
        "Mokolo : les élèves regagnent leurs classes",
        "",
        "t",
        T0 + timedelta(hours=2),
        language="fr",
        **cm,
    )
    assert c.add(pupils).story_id != fire.story_id


def test_worshippers_named_by_both_are_a_clue() -> None:
    c = Clusterer()
    dori = {**entities(None), "places": frozenset({"Dori", "Sahel"}), "admin1": frozenset({"Sahel"})}
    dori["countries"] = frozenset({"BF"})
    en = c.add(
        StoryDoc("a", "Gunmen kill worshippers at mosque near Dori", "", "t", T0, language="en", **dori)
    )
    fr = StoryDoc(
        "b",
        "Burkina : des fidèles tués dans une mosquée près de Dori",
        "",
        "t",
        T0 + timedelta(hours=3),
        language="fr",
        **dori,
    )
    out = c.add(fr)
    assert out.story_id == en.story_id
    assert "victims civilians/worshippers" in out.reason


def test_a_label_beside_another_town_is_the_area_not_a_town() -> None:
    places = frozenset({"Monguno", "Baga", "Borno"})
    doc = StoryDoc(
        "x", "Monguno : embuscade contre un convoi près de Baga", "", "t", T0, places=places, **BORNO
    )
    assert features(doc, T0).districts == {"monguno"}
    alone = StoryDoc(
        "y", "Monguno : les résultats du brevet publiés", "", "t", T0, places=places - {"Baga"}, **BORNO
    )
    assert features(alone, T0).districts == frozenset()
