"""The matcher on real sentences: each ambiguity class, the seed article, aliases, accents, rules."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import Team
from bot.models import Admin1
from tests.match_support import matcher
from tests.news import seed_text


@pytest.fixture(scope="module")
def m():
    return matcher()


def team(**watch) -> Team:
    return Team(name="t", channel="#t", watch=watch)


@pytest.fixture(scope="module")
def seed(m):
    text = seed_text()
    return text, m.mentions(text)


def test_seed_article_places(seed):
    text, mm = seed
    boulikessi = next(p for p in mm.places if p.name == "Boulikessi")
    assert (boulikessi.country, boulikessi.admin1) == ("ML", "Mopti")
    assert text[slice(*boulikessi.span)] == "Boulikessi"
    assert Admin1("ML", "Tombouctou") in mm.admin1  # from "Timbuktu"
    assert {"ML", "BF", "NE"} <= set(mm.countries)
    assert {"Sahel", "Liptako-Gourma"} <= set(mm.regions)


def test_seed_article_groups(seed):
    _, mm = seed
    jnim = next(g for g in mm.groups if g.name == "JNIM")
    assert jnim.affiliation == "al-Qaeda"
    assert "GSIM" in jnim.aliases


def test_seed_article_team_rules(m, seed):
    text, mm = seed
    sahel = m.match(team(regions=["Sahel"]), mm, text)
    assert sahel and sahel.reasons[0] == 'region "Sahel" ← Boulikessi (Mopti, ML)'
    aq = m.match(team(groups=["al-Qaeda"]), mm, text)
    assert aq is not None
    assert m.match(team(groups=["JNIM"]), mm, text).reasons == ('group "JNIM" ← JNIM — al-Qaeda affiliate',)
    assert m.match(team(regions=["Mopti"]), mm, text) is not None
    assert m.match(team(regions=["Somalia"]), mm, text) is None
    assert m.match(team(groups=["al-Shabaab"]), mm, text) is None


def test_affiliation_watch_names_the_affiliate(m):
    text = "JNIM fighters ambushed a convoy near Djibo."
    tm = m.match(team(groups=["al-Qaeda"]), m.mentions(text), text)
    assert tm.reasons == ('group "al-Qaeda" ← JNIM — al-Qaeda affiliate',)


@pytest.mark.parametrize(
    ("text", "country", "absent"),
    [
        ("Gunmen killed 12 villagers in Niger State, Nigeria, on Sunday.", "NG", "NE"),
        ("Fishermen drowned when their boat capsized on the Niger River near Bamako.", "ML", "NE"),
        ("Soldiers were killed in western Niger near the border with Mali.", "NE", "NG"),
    ],
)
def test_niger_country_river_state(m, text, country, absent):
    mm = m.mentions(text)
    assert country in mm.countries
    assert absent not in mm.countries


def test_niger_and_nigeria_together(m):
    mm = m.mentions("Boko Haram attacks spread from Nigeria into Niger and Chad.")
    assert {"NG", "NE", "TD"} <= set(mm.countries)


def test_niger_state_is_admin1(m):
    mm = m.mentions("Gunmen killed 12 villagers in Niger State, Nigeria, on Sunday.")
    assert Admin1("NG", "Niger") in mm.admin1


def test_chad_first_name_vs_country(m):
    assert "TD" not in m.mentions("Striker Chad Smith scored twice on Saturday.").countries
    assert "TD" in m.mentions("Boko Haram fighters attacked a village in Chad.").countries


def test_mali_surname_vs_country(m):
    assert "ML" not in m.mentions("Coach Ibrahim Mali Kone praised the players.").countries
    assert "ML" in m.mentions("Mali's army said it repelled the attack.").countries


def test_common_word_towns_need_evidence(m):
    plain = m.mentions("I would say the attack was planned; there was a bol of rice, and Dori said so.")
    assert plain.places == ()
    backed = m.mentions("Gunmen attacked Say, a town in Niger's Tillabéri region, on Monday.")
    assert [(p.name, p.country) for p in backed.places] == [("Say", "NE")]


def test_gao_with_country(m):
    mm = m.mentions("Three soldiers died near Gao, in northern Mali.")
    assert [(p.name, p.country, p.admin1) for p in mm.places] == [("Gao", "ML", "Gao")]


def test_shared_town_name_resolved_by_country(m):
    lebanon = m.mentions("Clashes erupted in Tripoli, Lebanon, overnight.")
    assert [p.country for p in lebanon.places] == ["LB"]
    libya = m.mentions("Clashes erupted in Tripoli overnight.")
    assert [p.country for p in libya.places] == ["LY"]  # the largest Tripoli, nothing else named


@pytest.mark.parametrize(
    "text",
    [
        "Militants attacked a checkpoint in Mali's Ségou region.",
        "Militants attacked a checkpoint in Mali's Segou region.",
        "MILITANTS ATTACK CHECKPOINT IN MALI'S SÉGOU REGION",
    ],
)
def test_accents_and_case_fold(m, text):
    assert Admin1("ML", "Ségou") in m.mentions(text).admin1


def test_lower_case_word_is_not_a_proper_noun(m):
    assert m.mentions("militants attacked a checkpoint in mali's segou region.").admin1 == ()


def test_world_city_beats_namesake_in_named_country(m):
    mm = m.mentions("U.S. officials met in London on Monday.")
    assert [(p.name, p.country) for p in mm.places] == [("London", "GB")]


def test_alternate_name_that_is_a_word_is_not_a_world_city(m):
    assert m.mentions("I hope Victoria will say so.").places == ()


def test_continents_are_not_towns(m):
    assert m.mentions("Floods hit Africa and Europe this year.").countries == ()


def test_accents_keep_word_boundaries(m):
    assert m.mentions("Ségouà was not named.").admin1 == ()


@pytest.mark.parametrize(
    "alias",
    ["GSIM", "JNIM", "Jama'at Nusrat al-Islam wal-Muslimin", "Groupe de soutien à l'islam et aux musulmans"],
)
def test_group_aliases(m, alias):
    assert [g.name for g in m.mentions(f"{alias} claimed the attack.").groups] == ["JNIM"]


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("Les houthistes revendiquent un tir de missile contre un navire.", "Houthis"),
        ("Attaque des shebabs contre une base près de Baidoa.", "al-Shabaab"),
        ("Les chebab revendiquent l'attentat.", "al-Shabaab"),
        ("Des miliciens de la Codeco attaquent un site de déplacés.", "CODECO"),
    ],
)
def test_french_spellings_of_groups(m, text, group):
    assert [g.name for g in m.mentions(text).groups] == [group]


def test_acronyms_need_their_case(m):
    assert m.mentions("This is what it is.").groups == ()
    assert [g.name for g in m.mentions("IS militants attacked the town.").groups] == ["Islamic State"]


def test_places_in_text_order_each_as_first_named(m):
    text = "Gunmen attacked Gao in Mali. Troops moved to Mopti. Gao was quiet later."
    assert [(p.name, text[p.span[0] : p.span[1]], p.span[0]) for p in m.mentions(text).places] == [
        ("Gao", "Gao", 16),
        ("Mopti", "Mopti", 45),
    ]


def test_capitals_town_or_acronym(m):
    """A shouting headline is title cased before the scan, yet a town written in capitals in a
    normal sentence stays an acronym."""
    assert [p.name for p in m.mentions("KABUL BLAST KILLS FOUR").places] == ["Kabul"]
    assert m.mentions("Officials from GAO said the talks failed.").places == ()
    assert [p.name for p in m.mentions("Gunmen attacked Gao on Monday.").places] == ["Gao"]


def test_index_keeps_no_key_that_no_text_could_use(m):
    """Dead keys cost memory and a Python step per hit: none are stored."""
    from bot.match.index import IGNORE, unref

    get = m.index.automaton.get
    assert get(" is ", None) is None  # "IS" is only ever an acronym
    assert get(" and ", None) is None  # "AND" (Andorra) has no lower-case generic form
    assert get(" Africa ", None) is None  # an ignored word: its towns are never read
    niger_river = get(" Niger River ", None)  # a phrase stays, to hide the "Niger" inside it
    assert [unref(r)[0] for r in m.index.readings(niger_river)] == [IGNORE]
    assert m.mentions("The Niger River flooded.").countries == ()


def test_capitals_lost_in_folding_still_count(m):
    """ "Ł" folds to a capital, and "al-" is an article: the capital after it counts."""
    assert [(p.name, p.country) for p in m.mentions("Shelling was heard near Łódź.").places] == [
        ("Łódź", "PL")
    ]
    assert m.mentions("Clashes in al-Hasakah left five dead.").countries == ("SY",)
    assert m.mentions("clashes in al-hasakah").countries == ()


def test_actor_country_is_not_location(m):
    mm = m.mentions("U.S.-led coalition strikes hit Raqqa, Syria.")
    assert "US" not in mm.countries and "SY" in mm.countries


def test_region_name_counts(m):
    assert "Lake Chad Basin" in m.mentions("Attacks rose around Lake Chad last year.").regions


def test_keywords_exclude_and_require(m):
    text = "JNIM kidnapped two aid workers in Mopti."
    mm = m.mentions(text)
    kw = m.match(team(keywords=["kidnapped"]), mm, text)
    assert kw.reasons == ('keyword "kidnapped"',)
    assert m.match(team(regions=["Mopti"], exclude=["aid workers"]), mm, text) is None
    both = team(regions=["Somalia"], groups=["JNIM"], require="region_and_group")
    assert m.match(both, mm, text) is None
    both = team(regions=["Mali"], groups=["JNIM"], require="region_and_group")
    assert len(m.match(both, mm, text).reasons) == 2


def test_vocabulary_suggestions(m):
    assert m.region_suggestions("Sahel") is None
    assert m.region_suggestions("Burkina Faso") is None
    assert m.region_suggestions("Tombouctou") is None
    assert "Sahel" in m.region_suggestions("Sahell")
    assert m.group_suggestions("al-Qaeda") is None
    assert m.group_suggestions("GSIM") is None
    assert "JNIM" in m.group_suggestions("JNIN")


def test_watch_names_in_any_case(m):
    assert m.term("mopti").value == ("ML", "Mopti")
    assert m.term("SAHEL").value.name == "Sahel"
    assert m.term("burkina faso").value == "BF"


def test_where_and_who(m):
    [place] = m.where("Boulikessi")
    assert (place.admin1, place.country, place.country_name) == ("Mopti", "ML", "Mali")
    assert "Liptako-Gourma" in place.regions
    g = m.who("GSIM")
    assert (g.canonical, g.affiliation) == ("JNIM", "al-Qaeda")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_crashes_on_any_text(text):
    mm = matcher().mentions(text)
    for p in mm.places:
        assert 0 <= p.span[0] < p.span[1] <= len(text)
    for g in mm.groups:
        assert 0 <= g.span[0] < g.span[1] <= len(text)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Mali Niger Ségou Gao, JNIM IS the Sahel é'-\n;"))))
def test_never_crashes_on_name_soup(text):
    matcher().mentions(text)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Mali Niger Ségou Gao, JNIM IS the Sahel é'-\n;")), max_size=80))
def test_a_text_folded_by_the_caller_resolves_as_the_string(text):
    from bot.match.hits import Text

    m = matcher()
    for x in (text, text.upper(), "JNIM attacked the army camp in Boulikessi, Mali."):
        assert m.resolved(Text(x), "BF")[0] == m.resolved(x, "BF")[0]


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Mali Gao JNIM attack killed tués é'«\n;\x7f")), max_size=120))
def test_one_fold_serves_the_matcher_and_the_event_stage(text):
    """The pipeline and `match` fold an item once (Matcher.read): the same mentions and verdict."""
    from bot.event import classify

    m = matcher()
    body = "Gunmen killed 12 villagers near Gao, Mali\nL'armée malienne parle de « 12 tués »"
    for x in (text, text.upper(), body, body.upper()):
        mentions, _, folded = m.read(x)
        assert mentions == m.mentions(x)
        for language in (None, "fr"):
            assert classify(x, mentions, language, folded=folded) == classify(x, mentions, language)
