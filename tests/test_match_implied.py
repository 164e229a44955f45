"""Names that stand for a country without naming it: a state's forces, a region inside one
country, French demonyms in their agreed forms, French country names."""

from __future__ import annotations

import pytest

from bot.config import Team
from bot.match.gazetteer import french_forms
from bot.store.convert import mentions_from_json
from bot.stories.record import merge_mentions
from tests.match_support import matcher


@pytest.fixture(scope="module")
def m():
    return matcher()


def desk(*regions: str) -> Team:
    return Team(name="desk", channel="#desk", watch={"regions": list(regions)})


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Sudan's army and the RSF trade fire for a third day", "SD"),
        ("The Malian army says it retook a base near the border", "ML"),
        ("L'armée soudanaise a bombardé des positions de la milice", "SD"),
    ],
)
def test_a_state_force_names_its_country(m, text, country):
    mm = m.mentions(text)
    assert country in mm.countries
    assert any(g.state for g in mm.groups)
    assert m.match(desk(country), mm, text) is not None


def test_a_bare_force_acronym_names_no_country(m):
    assert m.mentions("SAF and its rivals traded fire again").countries == ()


@pytest.mark.parametrize(
    ("text", "region", "country"),
    [
        ("Clan militias and Somaliland troops clash near a disputed town", "Somaliland", "SO"),
        ("Puntland forces arrest suspected militants in a port town", "Puntland", "SO"),
        ("Des civils fuient les combats au Darfour", "Darfur", "SD"),
        ("Shelling hits a market in Kordofan", "Kordofan", "SD"),
    ],
)
def test_a_region_inside_one_country_names_it(m, text, region, country):
    mm = m.mentions(text)
    assert region in mm.regions and country in mm.countries
    assert m.match(desk(country), mm, text) is not None
    assert m.match(desk(region), mm, text) is not None


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Les forces spéciales guinéennes ont pris le palais", "GN"),
        ("Une patrouille malienne est tombée dans une embuscade", "ML"),
        ("Des soldats nigériens ont été blessés", "NE"),
        ("Les autorités burkinabè annoncent un couvre-feu", "BF"),
        ("Deux villages somaliens attaqués par des hommes armés", "SO"),
        ("Attaque contre un convoi en Somalie", "SO"),
        ("Des affrontements ont éclaté au Cameroun", "CM"),
        ("Un drone a frappé une ville en Éthiopie", "ET"),
        ("Les combats reprennent à El-Facher", "SD"),
        ("Frappes israéliennes sur la bande de Gaza", "PS"),
        ("Israeli shelling on Gaza overnight", "PS"),
    ],
)
def test_french_demonyms_and_names(m, text, country):
    assert country in m.mentions(text).countries


def test_french_forms_agree_in_gender_and_number():
    assert french_forms("malien") == ["malien", "malienne", "maliens", "maliennes"]
    assert french_forms("soudanais") == ["soudanais", "soudanaise", "soudanaises"]
    assert french_forms("marocain") == ["marocain", "marocaine", "marocains", "marocaines"]
    assert french_forms("yéménite") == ["yéménite", "yéménites"]


def test_a_headline_ending_in_a_country_is_not_next_to_the_body_first_word(m):
    text = "Soldiers killed in an ambush in western Niger\nThe army said on Monday that a patrol was hit."
    assert "NE" in m.mentions(text).countries


def test_the_why_line_says_what_named_the_country(m):
    text = "Sudan's army and the RSF trade fire for a third day"
    assert m.match(desk("SD"), m.mentions(text), text).reasons == ('country "SD" ← state forces SAF',)
    text = "Clan militias and Somaliland troops clash near a disputed town"
    assert m.match(desk("SO"), m.mentions(text), text).reasons == ('country "SO" ← region Somaliland',)


@pytest.mark.parametrize(
    ("text", "country", "region", "why"),
    [
        ("Taliban gunmen kill five policemen", "AF", "South Asia", "Taliban (the group's home)"),
        ("GOVERNMENT TROOPS KILL 40 UNITA REBELS", "AO", "Southern Africa", "UNITA (the group's home)"),
        ("RUSSIAN SHELLING KILLS THREE OVERNIGHT", "RU", None, "Russian forces"),
        ("Two soldiers die near the Malian border", "ML", "Sahel", '"Malian" (named only as a border)'),
    ],
)
def test_the_why_line_says_what_gave_a_country_the_text_does_not_name(m, text, country, region, why):
    """Issue 16: a country only who acted, a group's home or a border gave is not "named in text"."""
    mm = m.mentions(text)
    assert mm.implied == ((country, why),)
    assert m.match(desk(country), mm, text).reasons == (f'country "{country}" ← {why}',)
    if region:
        name = m.country_name(country)
        assert m.match(desk(region), mm, text).reasons == (f'region "{region}" ← {name} ← {why}',)


def test_a_country_the_text_names_is_named_in_text_beside_its_group(m):
    text = "Taliban gunmen kill five policemen at a checkpoint in Afghanistan"
    mm = m.mentions(text)
    assert mm.countries == ("AF",) and mm.implied == ()
    assert m.match(desk("AF"), mm, text).reasons == ('country "AF" ← named in text',)


def test_what_gave_a_country_is_stored_and_a_story_keeps_it_until_a_report_names_it(m):
    implied = m.mentions("Taliban gunmen kill five policemen at a checkpoint")
    assert mentions_from_json(implied.to_json("a")).implied == implied.implied
    named = m.mentions("Taliban gunmen kill five policemen at a checkpoint in Afghanistan")
    other = m.mentions("Russian shelling kills three overnight")
    assert merge_mentions(implied, other).implied == implied.implied + other.implied
    assert merge_mentions(implied, named).implied == ()
    assert merge_mentions(named, implied).implied == ()
