"""One security event's scene, told roughly: a district for a town inside it, a franchise for
its affiliate (headlines we wrote)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from bot.cli.stories import cluster
from bot.models import GroupMention, Mentions
from bot.stories import Clusterer, StoryDoc, entities
from bot.stories.coarse import districts
from bot.stories.features import features

T0 = datetime(2025, 3, 9, 5, 0, tzinfo=UTC)
SAHEL = {"countries": frozenset({"BF"}), "admin1": frozenset({"Sahel"})}
JNIM = {"groups": frozenset({"JNIM"}), "affiliations": frozenset({"al-Qaeda"})}


def _doc(i: str, title: str, hours: float, places: set[str], **kw) -> StoryDoc:
    # As the matcher lists them: the first-level region comes with a town, and is a place too.
    kw = {**SAHEL, **kw}
    return StoryDoc(
        i, title, "", "test", T0 + timedelta(hours=hours), places=frozenset(places | {"Sahel"}), **kw
    )


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Soldiers killed as militants overrun base in Burkina's Soum province", {"soum"}),
        ("L'armée dit avoir repoussé une attaque dans le cercle de Douentza", {"douentza"}),
        ("Gunmen raid village in Gwoza LGA", {"gwoza"}),
        ("Gunmen raid village near Gwoza", set()),  # a town
        ("Curfew in the commune of Djibo", set()),  # a commune is a town's size
    ],
)
def test_a_place_the_text_calls_a_district_is_no_town(text: str, found: set[str]) -> None:
    assert districts(frozenset({"soum", "douentza", "gwoza", "djibo"}), text) == found


def test_a_town_and_the_district_around_it_are_one_scene() -> None:
    c = Clusterer()
    first = c.add(_doc("a", "JNIM claims attack on army post in Djibo", 0, {"Djibo"}, **JNIM))
    second = c.add(
        _doc("b", "Dozens of soldiers killed as militants overrun base in Soum province", 3, {"Soum"})
    )
    assert second.story_id == first.story_id
    assert "violence in sahel within 12 h (soum a district)" in second.reason


def test_two_towns_of_one_region_stay_two_scenes() -> None:
    c = Clusterer()
    c.add(_doc("a", "JNIM claims attack on army post in Djibo", 0, {"Djibo"}, **JNIM))
    other = c.add(
        _doc("b", "Dozens of soldiers killed as militants overrun base near Arbinda", 3, {"Arbinda"})
    )
    assert other.is_new


def test_a_franchise_and_its_affiliate_are_one_actor() -> None:
    c = Clusterer()
    first = c.add(_doc("a", "JNIM militants attack army camp in Burkina's Sahel region", 0, set(), **JNIM))
    qaeda = {"groups": frozenset({"al-Qaeda"})}
    second = c.add(
        _doc("b", "Al-Qaeda-linked fighters storm military base in Sahel region", 2, set(), **qaeda)
    )
    assert second.story_id == first.story_id
    assert "al_qaeda in sahel within 12 h" in second.reason
    assert "groups differ" not in second.reason


def test_two_affiliates_of_one_franchise_are_two_actors() -> None:
    c = Clusterer()
    c.add(_doc("a", "JNIM militants attack army camp in Burkina's Sahel region", 0, set(), **JNIM))
    aqim = {"groups": frozenset({"AQIM"}), "affiliations": frozenset({"al-Qaeda"})}
    other = c.add(_doc("b", "AQIM fighters storm military base in Sahel region", 2, set(), **aqim))
    assert other.is_new
    assert other.verdict is not None and "groups differ" in other.verdict.to_json()["adjustments"]


def test_the_matchers_affiliation_reaches_the_story_doc() -> None:
    jnim = GroupMention("JNIM", ("GSIM",), "al-Qaeda", (0, 4))
    assert entities(Mentions(("ML",), groups=(jnim,)))["affiliations"] == {"al-Qaeda"}


def test_the_cluster_command_reads_affiliations_from_match_output() -> None:
    rows = [
        {"id": "a", "title": "JNIM militants attack army camp in Burkina's Sahel region", "hours": 0},
        {"id": "b", "title": "Al-Qaeda-linked fighters storm military base in Sahel region", "hours": 2},
    ]
    lines = []
    for r in rows:
        group = {"name": "JNIM", "affiliation": "al-Qaeda"} if r["id"] == "a" else {"name": "al-Qaeda"}
        when = (T0 + timedelta(hours=r["hours"])).isoformat()
        place = {"title": r["title"], "published": when, "admin1": ["Sahel"], "countries": ["BF"]}
        lines.append(json.dumps({"id": r["id"], **place, "groups": [group]}))
    result = CliRunner().invoke(cluster, ["--explain", "--no-match"], input="\n".join(lines))
    assert result.exit_code == 0, result.output
    a, b = (json.loads(line) for line in result.stdout.splitlines())
    assert a["story"] == b["story"]
    assert "al_qaeda in sahel" in b["reason"]


def test_the_capital_of_the_one_country_named_is_its_capital() -> None:
    kenya = {"countries": frozenset({"KE"})}
    c = Clusterer()
    nairobi = {"places": frozenset({"Nairobi City"}), "admin1": frozenset({"Nairobi City"})}  # as matched
    first = StoryDoc(
        "a",
        "Police fire tear gas at protesters in Nairobi over tax bill",
        "",
        "wire",
        T0,
        **kenya,
        **nairobi,
    )
    later = StoryDoc(
        "b",
        "Kenya: anger over finance bill sparks running battles in the capital",
        "",
        "radio",
        T0 + timedelta(hours=2),
        **kenya,
    )
    assert c.add(first).is_new
    assert c.add(later).story_id == c.story_of("a")
    assert "nairobi" in features(later, None).words
    # Two countries: whose capital is unsaid. No "the capital": no capital.
    two = StoryDoc(
        "c", "Kenya and Uganda: protests in the capital", "", "wire", T0, countries=frozenset({"KE", "UG"})
    )
    markets = StoryDoc("d", "Kenya capital markets authority fines broker", "", "wire", T0, **kenya)
    assert "nairobi" not in features(two, None).words | features(markets, None).words


def test_a_scene_with_tolls_that_differ_carries_no_join() -> None:
    # One region, one morning, one kind, but 30 soldiers and five traders: two attacks.
    c = Clusterer()
    c.add(_doc("a", "Militants attack army base, killing 30 soldiers", 0, set(), toll=30))
    other = c.add(_doc("b", "Five traders shot dead at weekly fair", 2, set(), toll=5))
    assert other.is_new
    assert "blocked: text 0.00 below 0.12" in other.reason


def test_one_kind_of_attack_in_two_regions_of_a_country_is_two_events() -> None:
    # Both "in eastern Congo" the same morning; the matcher puts one in North Kivu (a town
    # there) and the other in Ituri: two massacres, not one told twice.
    c = Clusterer()
    kivu = {"countries": frozenset({"CD"}), "admin1": frozenset({"North Kivu"}), "groups": frozenset({"ADF"})}
    first = "ADF rebels kill 18 villagers in night raid near Oicha in eastern Congo"
    c.add(StoryDoc("a", first, "", "test", T0, places=frozenset({"Oicha", "North Kivu"}), **kivu))
    ituri = {"countries": frozenset({"CD"}), "admin1": frozenset({"Ituri"}), "groups": frozenset({"ADF"})}
    other = c.add(
        StoryDoc(
            "b",
            "ADF rebels raid village in eastern Congo's Ituri province, several dead",
            "",
            "test",
            T0 + timedelta(hours=3),
            places=frozenset({"Ituri"}),
            **ituri,
        )
    )
    assert other.is_new, other.reason
    assert "regions differ" in dict(other.verdict.adjustments)


def test_one_group_in_one_country_when_one_side_names_no_place() -> None:
    # The wire names the road; the later report only the country: one franchise, one morning.
    c = Clusterer()
    mali = {"countries": frozenset({"ML"})}
    first = c.add(
        StoryDoc(
            "a",
            "JNIM fighters ambush fuel tankers on the Kayes road",
            "",
            "test",
            T0,
            places=frozenset({"Kayes"}),
            admin1=frozenset({"Kayes"}),
            **mali,
            **JNIM,
        )
    )
    qaeda = {"groups": frozenset({"al-Qaeda"})}
    second = c.add(
        StoryDoc(
            "b",
            "Al-Qaeda affiliate attacks fuel convoy in western Mali",
            "",
            "test",
            T0 + timedelta(hours=4),
            **mali,
            **qaeda,
        )
    )
    assert second.story_id == first.story_id, second.reason
    assert "al_qaeda in ML within 12 h" in second.reason


def test_one_group_in_one_country_with_no_place_on_either_side_is_no_scene() -> None:
    # A war's belligerents are named in every report of it.
    c = Clusterer()
    sd = {"countries": frozenset({"SD"}), "groups": frozenset({"RSF"})}
    c.add(StoryDoc("a", "RSF and army fight on after talks fail", "", "test", T0, **sd))
    other = c.add(
        StoryDoc("b", "RSF drone strikes alarm neighbours", "", "test", T0 + timedelta(hours=2), **sd)
    )
    assert "RSF in SD" not in other.reason and "rsf in SD" not in other.reason
