"""Names that are not what they look like: datelines, regions with articles, acronyms that
stand for something else, first names and offices; state forces; the focus in --explain."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bot.cli.match import match_cmd
from bot.config import Team
from tests.match_support import INDEX_DIR, REPO, matcher


@pytest.fixture(scope="module")
def m():
    return matcher()


def team(**watch) -> Team:
    return Team(name="t", channel="#t", watch=watch)


@pytest.mark.parametrize(
    ("text", "place", "country"),
    [
        ("NAIROBI, Kenya (Reuters) - Somalia's army retook a town from al-Shabaab.", "Nairobi", "KE"),
        ("Addis Ababa -- Sudan's army and the RSF agreed to talks.", "Addis Ababa", "ET"),
        ("Sudan: talks\n[Dabanga] Khartoum -- Fighting spread to Sennar state.", "Khartoum", "SD"),
    ],
)
def test_a_dateline_is_where_the_report_was_filed(m, text, place, country):
    mm = m.mentions(text)
    assert mm.dateline is not None and (mm.dateline.name, mm.dateline.country) == (place, country)
    assert text[slice(*mm.dateline.span)].lower() == place.lower()
    assert place not in {p.name for p in mm.places}
    if country != "SD":  # Khartoum's country is named in the body too
        assert country not in mm.countries
        assert m.match(team(regions=[place]), mm, text) is None


def test_a_dateline_alone_fires_no_watch(m):
    text = "NAIROBI, Kenya (Reuters) - The central bank kept its rate unchanged."
    mm = m.mentions(text)
    assert mm.countries == () and mm.regions == ()
    assert m.match(team(regions=["Horn of Africa", "Kenya"]), mm, text) is None


def test_a_country_before_a_dash_is_no_dateline(m):
    mm = m.mentions("Sudan - RSF fighters shelled a market.")
    assert mm.dateline is None and "SD" in mm.countries


def test_a_monitored_broadcasts_city_is_no_place_but_votes_for_its_country(m):
    text = "Radio Kismaayo, Kismaayo, in Somali 0700 gmt 2 Mar 11: fighting was reported in Baidoa."
    mm, r = m.resolved(text)
    assert [p.name for p in mm.places] == ["Baidoa"] and mm.countries == ("SO",)
    assert ("SO", 1.0, "source", None) in r.votes
    quiet = m.mentions("TRT TV, Ankara, in Turkish 1700 gmt 15 Jan 94: seven killed in the southeast.")
    assert quiet.places == () and quiet.admin1 == ()  # Ankara is where the broadcaster is


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Violence in the Sahel is rising.", "Sahel"),
        ("Drought is spreading across the Horn of Africa.", "Horn of Africa"),
        ("La situation se dégrade au Sahel.", "Sahel"),
        ("Les violences augmentent dans la Corne de l'Afrique.", "Horn of Africa"),
    ],
)
def test_region_names_with_articles(m, text, region):
    assert region in m.mentions(text).regions


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("The African Union Commission (AUC) chairperson called for calm.", "AUC"),
        ("Tanzania People's Defence Force (PDF) units deployed to the border.", "PDF"),
        ("The PDF said it had deployed a battalion to the border with Mozambique.", "PDF"),
        ("The ASG will publish its report next week.", "Abu Sayyaf"),
    ],
)
def test_a_bare_acronym_needs_support(m, text, absent):
    assert absent not in {g.name for g in m.mentions(text).groups}


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("AUC paramilitaries disarm in Colombia's Cordoba department.", "AUC"),
        ("Myanmar's PDF ambushed a junta convoy in Sagaing.", "PDF"),
        ("Abu Sayyaf (ASG) gunmen freed two hostages.", "Abu Sayyaf"),
        ("LRA kill five people in Raja County.", "LRA"),
    ],
)
def test_a_supported_acronym_counts(m, text, group):
    assert group in {g.name for g in m.mentions(text).groups}


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Chad Smith scored twice as the visitors won 3-1.", "TD"),
        ("Amani Abeid told reporters the talks would resume.", "JO"),
        ("The White House said it was monitoring the situation.", "MA"),
    ],
)
def test_people_and_offices_are_not_places(m, text, absent):
    assert absent not in m.mentions(text).countries


def test_self_defence_militias_and_french_forms(m):
    names = {g.name for g in m.mentions("Des chasseurs dozos et des Koglweogo ont été accusés.").groups}
    assert names == {"Dozo", "Koglweogo"}
    vdp = m.mentions("Volontaires pour la défense de la patrie: 15 morts à Djibo")
    assert "VDP" in {g.name for g in vdp.groups}


def test_state_forces_are_watchable_and_listed_as_forces(m):
    text = "Sudanese Armed Forces (SAF) shelled RSF positions in Omdurman."
    mm = m.mentions(text)
    assert {g.name for g in mm.groups} == {"SAF", "RSF"}
    out = mm.to_json("x")
    assert [g["name"] for g in out["groups"]] == ["RSF"]
    assert [g["name"] for g in out["forces"]] == ["SAF"]
    assert m.match(team(groups=["Sudanese Armed Forces"]), mm, text) is not None


def test_explain_shows_the_focus_votes_and_the_dateline():
    line = {"id": "a", "text": "BAMAKO (AFP) - Burkinabe troops and VDP repelled an attack in Soum province."}
    args = ["--config", str(REPO / "config"), "--data-dir", str(INDEX_DIR), "--explain"]
    out = CliRunner().invoke(match_cmd, args, input=json.dumps(line) + "\n")
    assert out.exit_code == 0, out.output
    row = json.loads(out.output.splitlines()[-1])
    assert row["dateline"]["name"] == "Bamako" and "ML" not in row["countries"]
    explain = row["explain"]
    assert explain["focus"]["countries"][0] == "BF"
    assert {"country": "BF", "weight": 2.0, "why": 'demonym "Burkinabe"'} in explain["focus"]["votes"]
    assert explain["dateline"].startswith("filed from Bamako")


def test_source_country_is_a_weak_vote(m):
    _, r = m.resolved("Gunmen attacked a market.", "BF")
    assert r is not None and ("BF", 1.0, "source", None) in r.votes
