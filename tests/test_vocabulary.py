"""check-config reads watch names from the index's names file, not from a loaded matcher: it
must accept and refuse exactly the names the matcher does, with the same suggestions."""

from __future__ import annotations

from bot.match.vocabulary import Vocabulary
from tests.match_support import INDEX_DIR, REPO, matcher


def test_the_names_file_knows_what_the_matcher_knows():
    m = matcher()  # writes the names file when the index has none
    vocabulary = Vocabulary.load(REPO / "config", INDEX_DIR)
    assert vocabulary is not None
    ix = m.index
    places = [ix.p_name[i] for i in range(0, len(ix.p_name), 100)]
    known = [r.name for r in m.regions] + ix.c_name + ix.c_code + ix.a_name + places
    known += ["Boulikessi", "Liptako-Gourma", "malian", "Burkinabe", "burkina faso", "MOPTI", "ml"]
    names = known + [n[:-1] + "qx" for n in known] + ["", "a b c", "JNIM", "Xyzzyville"]
    assert len(names) > 5000
    assert [n for n in names if vocabulary.knows_place(n) != (m.term(n) is not None)] == []


def test_unknown_names_get_the_matchers_suggestions():
    m = matcher()
    vocabulary = Vocabulary.load(REPO / "config", INDEX_DIR)
    assert vocabulary is not None
    for name in ["Sahell", "Mopit", "Burkina Fasso", "Boulikesi", "Xyzzyville", "Mopti", "ML"]:
        assert vocabulary.region_suggestions(name) == m.region_suggestions(name), name
    for name in ["JNIM", "GSIM", "al-Qaeda", "JNlM", "Boko Harem", "Mopti"]:
        assert vocabulary.group_suggestions(name) == m.group_suggestions(name), name


def test_no_vocabulary_before_the_index_is_built(tmp_path):
    assert Vocabulary.load(REPO / "config", tmp_path / "empty-data") is None
