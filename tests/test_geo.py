"""Folding, the packed tables and the index cache key: the pieces under the matcher."""

from __future__ import annotations

import shutil

from hypothesis import given
from hypothesis import strategies as st

from bot.configfiles.catalogues import CATALOGUES
from bot.match import index as gindex
from bot.match.fold import _TABLE, Folded, _fold_chars, fold, scan_variants
from bot.match.groups import Catalogue, is_acronym
from bot.match.index import Packed
from bot.match.regions import load_regions
from tests.match_support import REPO


@given(st.text())
def test_every_folded_character_points_back_to_its_source(text):
    f = Folded.of(text)
    assert f.text.startswith(" ") and f.text.endswith(" ") and "  " not in f.text.strip()
    for pos, ch in enumerate(f.text):
        if ch != " ":
            assert fold(text[f.original(pos)]) == ch.lower()


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_fast_path_folds_like_the_full_table(text):
    assert _fold_chars(text, True) == text.translate(_TABLE)


@given(st.characters(categories=["Lu"]))
def test_an_upper_case_letter_folds_to_an_upper_case_one(ch):
    """The matcher reads a name's capitals on the folded text ("Łódź" is capitalised)."""
    folded = Folded.of(ch)
    assert folded.cased and folded.text.strip().isupper()


def test_fold_drops_accents_and_punctuation():
    assert fold("Ségou") == fold("SEGOU") == "segou"
    assert fold("Jama'at Nusrat al-Islam") == "jama at nusrat al islam"
    assert fold("Boulikéssi") == "boulikessi"
    assert fold("Łódź") == "lodz" and Folded.of("ŁÓDŹ Łódź").text == " LODZ Lodz "


def test_scan_variants_keep_case():
    assert scan_variants("Jammu and Kashmir") >= {"Jammu and Kashmir", "Jammu And Kashmir"}
    assert "Tillaberi region" in scan_variants("Tillabéri Region")
    assert "al shabaab" in scan_variants("al-Shabaab", any_case=True)
    assert scan_variants("AND") == {"AND", "And"}  # one generic word alone is not a name


def test_packed_strings_round_trip():
    items = ["Gao", "", "Boulikessi", "Ségou"]
    packed = Packed(items)
    assert [packed[i] for i in range(len(packed))] == items


def test_acronyms():
    assert is_acronym("JNIM") and is_acronym("LeT") and is_acronym("U.S.")
    assert not is_acronym("Hamas") and not is_acronym("Boko Haram")


def test_regions_and_catalogue_load():
    regions = {r.name: r for r in load_regions(CATALOGUES / "regions.yaml")}
    assert {
        "Sahel",
        "Central Sahel",
        "Liptako-Gourma",
        "Lake Chad Basin",
        "West Africa",
        "Coastal West Africa",
        "Horn of Africa",
        "Great Lakes",
        "Maghreb",
        "Middle East",
    } <= set(regions)
    assert regions["Liptako-Gourma"].contains("ML", "Mopti")
    assert not regions["Liptako-Gourma"].contains("ML", "Kayes")
    cat = Catalogue.load(CATALOGUES / "groups.yaml")
    assert len(cat.groups) >= 60
    assert {"JNIM", "Islamic State Sahel Province", "al-Shabaab"} <= cat.members("al-Qaeda") | cat.members(
        "Islamic State"
    )
    assert cat.find("gsim").canonical == "JNIM"


def test_index_key_changes_with_any_input(tmp_path):
    config = tmp_path / "config"
    shutil.copytree(REPO / "config", config)
    before = gindex.input_hash(config, [])
    assert gindex.input_hash(config, []) == before  # stable: no rebuild at start-up
    assert gindex.input_hash(tmp_path / "elsewhere", []) == before  # the same shipped catalogues
    places = config / "places.yaml"  # an operator's own copy overrides the shipped one
    places.write_text((CATALOGUES / "places.yaml").read_text() + "\n# reviewed\n")
    assert gindex.input_hash(config, []) != before
    dump = tmp_path / "XX.txt"
    dump.write_text("")
    assert gindex.input_hash(config, [dump]) != gindex.input_hash(config, [])
