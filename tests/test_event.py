"""The event stage on rows we wrote (bench/data/relevance-own.jsonl) and on bad input."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.event import NONE, classify
from bot.models import GroupMention, Mentions

OWN = Path(__file__).resolve().parents[1] / "bench" / "data" / "relevance-own.jsonl"


@cache
def own() -> dict[str, dict]:
    rows = [json.loads(line) for line in OWN.read_text(encoding="utf-8").splitlines()]
    return {r["id"]: r for r in rows}


def _body(row: dict) -> str:
    return f"{row['title']}\n{row['text']}"


@pytest.mark.parametrize(
    "row_id",
    [
        "own-en-001",  # wire copy, gunmen and a toll
        "own-en-002",  # ambush
        "own-en-005",  # drone strike
        "own-en-008",  # mutiny
        "own-en-009",  # tear gas, deaths at a protest
        "own-en-010",  # arrest of militants
        "own-en-011",  # displacement by fighting
        "own-en-012",  # abduction
        "own-fr-003",  # « au moins 30 soldats tués »
        "own-fr-004",  # enlèvement
        "own-fr-005",  # frappes aériennes
        "own-fr-006",  # affrontements
        "own-fr-007",  # coup d'État
        "own-fr-008",  # gaz lacrymogène
        "own-fr-013",  # cellule terroriste démantelée
    ],
)
def test_security_events_in_both_languages_with_their_kind(row_id: str) -> None:
    row = own()[row_id]
    event = classify(_body(row), language=row["lang"])
    assert event.security, event.reason
    assert event.kind == row["kind"], event.reason


@pytest.mark.parametrize(
    ("row_id", "said"),
    [
        ("own-en-048", "sport"),  # "Chad Smith scored twice"
        ("own-en-049", "sport"),  # "Algeria, Mali Advance" in women's football
        ("own-en-053", "figurative"),  # "battle for the title"
        ("own-en-065", "figurative"),  # "price war"
        ("own-en-066", "business"),
        ("own-en-074", "disaster"),  # "Floods kill 60"
        ("own-en-082", "diplomacy"),  # AU Commission in Addis Ababa
        ("own-en-085", "only general words"),  # Sudan named in a list of wars
        ("own-fr-034", "sport"),
        ("own-fr-043", "figurative"),  # « guerre des prix »
        ("own-fr-050", "accident"),
        ("own-fr-058", "history"),
        ("own-fr-062", "figurative"),  # « coup d'envoi »
    ],
)
def test_not_security_and_the_reason_says_why(row_id: str, said: str) -> None:
    row = own()[row_id]
    event = classify(_body(row), language=row["lang"])
    assert not event.security
    assert event.kind == NONE
    assert event.evidence == ()
    assert said in event.reason, event.reason


def test_the_json_contract_and_spans_point_into_the_text() -> None:
    text = _body(own()["own-en-001"])
    event = classify(text)
    out = event.to_json()
    assert set(out) == {"security", "kind", "evidence"}
    assert out["security"] is True and out["kind"] == "violence_against_civilians"
    assert out["evidence"], out
    for e in out["evidence"]:
        assert set(e) == {"text", "span"}
        a, b = e["span"]
        assert text[a:b] == e["text"]
    assert any("Gunmen" in e["text"] for e in out["evidence"])
    assert json.loads(json.dumps(out)) == out


def test_the_headline_weighs_more_than_the_tail() -> None:
    head = classify("Fighting near Douentza\nResidents stayed indoors on Sunday.")
    tail = classify(
        "Residents stayed indoors on Sunday\n" + "Market prices rose. " * 30 + "Fighting near Douentza."
    )
    assert head.security
    assert not tail.security and tail.score < head.score


def test_an_armed_group_supports_event_words_but_is_not_enough_alone() -> None:
    text = "Tension rises near Douentza\nResidents describe an attack on the road last night."
    group = Mentions(groups=(GroupMention("JNIM", (), "al-Qaeda", (0, 7)),))
    assert not classify(text).security
    supported = classify(text, group)
    assert supported.security and supported.score > classify(text).score
    alone = classify("JNIM statement published\nThe group released a long text on its channels.", group)
    assert not alone.security


def test_arrest_needs_an_armed_actor_and_police_are_not_one() -> None:
    assert classify(_body(own()["own-en-010"])).kind == "arrest"
    thieves = classify("Police arrest phone thieves in Lagos\nFour men were held at a bus station.")
    assert not thieves.security


def test_background_and_negation_do_not_make_news() -> None:
    since = classify(
        "Burkina Faso suspends a radio station\n"
        "Relations have soured since the military seized power in a coup."
    )
    assert not since.security, since.reason
    negated = classify("Minister says troops will not attack the town\nTalks are planned for Monday.")
    assert not negated.security, negated.reason


def test_language_is_guessed_when_not_given() -> None:
    row = own()["own-fr-003"]
    assert classify(_body(row)).language == "fr"
    assert classify(_body(row)).security
    assert classify(_body(own()["own-en-002"])).language == "en"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n  ",
        "GUNMEN KILL 14 VILLAGERS IN CENTRAL MALI RAID",  # all capitals, title only
        "Mali : des hommes armés tuent 14 villageois\nThe attack near Bandiagara was confirmed by officials.",
        "x" * 100_000,
        ("Gunmen attacked a village. " * 4000),  # 100 KB of event words
        "\n\n\nattack",
        "İstanbul ﬁghting — ÇATIŞMA",
    ],
)
def test_bad_input_gets_a_decision(text: str) -> None:
    event = classify(text)
    assert event.kind == NONE or event.security
    for e in event.evidence:
        assert text[e.span[0] : e.span[1]] == e.text


def test_shouting_and_mixed_languages_still_read() -> None:
    assert classify("GUNMEN KILL 14 VILLAGERS IN CENTRAL MALI RAID").security
    mixed = classify("Mali : des hommes armés tuent 14 villageois\nThe attack near Bandiagara was confirmed.")
    assert mixed.security


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400), st.sampled_from([None, "en", "fr", "fr-FR", "xx"]))
def test_any_text_gets_a_decision_with_spans_inside_it(text: str, language: str | None) -> None:
    event = classify(text, language=language)
    assert isinstance(event.security, bool)
    assert event.security == (event.kind != NONE)
    for e in event.evidence:
        a, b = e.span
        assert 0 <= a < b <= len(text)
        assert text[a:b] == e.text


_GROUPS = {
    "none": None,
    "group": Mentions(groups=(GroupMention("JNIM", (), "al-Qaeda", (0, 4)),)),
    # a state force is an armed actor for words such as "arrested", not a group
    "force": Mentions(groups=(GroupMention("FAMa", (), None, (0, 4), state=True),)),
}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.sampled_from([None, "en", "fr"]), st.sampled_from(sorted(_GROUPS)))
def test_the_quick_path_decides_as_the_full_one(text: str, language: str | None, group: str) -> None:
    mentions = _GROUPS[group]
    full, quick = classify(text, mentions, language), classify(text, mentions, language, explain=False)
    assert (quick.security, quick.kind, quick.evidence) == (full.security, full.kind, full.evidence)


@pytest.mark.parametrize("group", sorted(_GROUPS))
@pytest.mark.parametrize(
    "text",
    [
        "FAMa arrested five traders in Mopti",
        "Police arrest phone thieves in Lagos",
        "Soldiers arrested three militants near Gao",
        "Army strikes rebel positions near Goma",
        "Teachers strike over pay in Accra",
        "FAMa deployed to Boni after the ambush",
    ],
)
def test_the_quick_path_on_words_that_need_an_armed_actor(text: str, group: str) -> None:
    mentions = _GROUPS[group]
    full, quick = classify(text, mentions, "en"), classify(text, mentions, "en", explain=False)
    assert (quick.security, quick.kind, quick.evidence) == (full.security, full.kind, full.evidence)


def test_the_quick_path_on_our_rows() -> None:
    for row in own().values():
        full = classify(_body(row), language=row["lang"])
        quick = classify(_body(row), language=row["lang"], explain=False)
        assert (quick.security, quick.kind, quick.reason if full.security else "") == (
            full.security,
            full.kind,
            full.reason if full.security else "",
        )


@pytest.mark.parametrize(
    ("text", "security"),
    [
        # A topic word right after a strong event word is what the event hit.
        ("Gunmen attack a football stadium in Mopti\nFans fled as shots rang out.", True),
        # Weak topics take from a specific event word, never all of it.
        ("Coup attempt in Sudan: the prime minister resigns\nHe quit after weeks of protests.", True),
        # Trials and anniversaries frame the violence they name: background.
        ("Court jails officer for the 2009 stadium massacre\nThe verdict came fifteen years on.", False),
        ("Rwanda marks 30 years since the genocide\nSurvivors honour the victims of the massacres.", False),
        ("Senegal recalls the Thiaroye massacre of 1944\nHistorians opened new archives.", False),
        ("Il y a 80 ans, le massacre de Thiaroye\nLa France a tué des tirailleurs en 1944.", False),
        # Ordinary crime kills without an armed actor of a conflict.
        ("Armed robbers kill a guard in Lagos bank raid\nThe gang escaped with cash.", False),
        # Killed by an armed actor named only by "forces".
        ("Two teenagers killed by Israeli forces in Jenin\nThe ministry said they were shot.", True),
        ("Rebels assassinate a mayor in eastern Congo\nHe was shot outside his office.", True),
        # Rescuers after a strike are no accident.
        (
            "Soudan : des frappes de drones touchent un marché\nAu moins 30 morts, selon des secouristes.",
            True,
        ),
    ],
)
def test_general_rules_of_the_second_round(text: str, security: bool) -> None:
    event = classify(text)
    assert event.security is security, event.reason


def test_general_words_and_an_armed_group_in_the_headline_are_news() -> None:
    text = "Tensions escalate between Israel and Hezbollah\nThe group is testing new tactics."
    group = Mentions(groups=(GroupMention("Hezbollah", (), None, (36, 45)),))
    assert not classify(text).security
    assert classify(text, group).security
    state = Mentions(groups=(GroupMention("IDF", (), None, (36, 45), state=True),))
    assert not classify(text, state).security  # a state's forces are not an armed group here


@pytest.mark.parametrize(
    "text",
    [
        "Canada to evacuate its nationals from the capital as fighting nears the airport",
        "Le Japon évacue ses ressortissants après des combats dans la capitale",
        "Army accuses rebels of violating the ceasefire near the border town",
        "Les rebelles accusés de violer le cessez-le-feu dans le nord",
        "Government says it foiled a coup attempt and arrested several officers",
        "Le gouvernement affirme avoir déjoué une tentative de déstabilisation",
        "Air defences shoot down a drone over the port city",
        "Fighting spreads to a third province, residents say",
        "Niger coup: regional bloc split over a military threat",
    ],
)
def test_strategic_developments_are_security_news(text):
    assert classify(text, None, None).security


@pytest.mark.parametrize(
    "text",
    [
        "Floods force the evacuation of residents from riverside homes",
        "Des milliers de personnes évacuées après des pluies diluviennes",
        "Photos: a fashion week in the capital draws designers from the region",
    ],
)
def test_evacuations_before_disasters_and_photo_features_are_not(text):
    assert not classify(text, None, None).security


@pytest.mark.parametrize(
    ("text", "security"),
    [
        ("A fuel seller killed by robbers on the ring road", False),
        ("Un boutiquier tué par des cambrioleurs à Ségou", False),
        ("Court hears case against soldiers over the 2019 barracks mutiny", False),
        ("Six soldiers killed by militants near the border", True),
        ("Gunmen kill nine farmers and steal their cattle", True),
    ],
)
def test_a_cause_right_after_a_strong_event_word_is_its_agent(text, security):
    assert classify(text, None, None).security is security


@pytest.mark.parametrize(
    ("text", "security"),
    [
        ("Army shells rebel-held villages for a second night", True),
        ("Jihadists storm an army post in the north", True),
        ("Rockets hit the capital overnight", True),
        ("L'armée pilonne les positions rebelles", True),
        ("Les rebelles s'emparent d'une ville du centre", True),
        ("Des obus tombent sur un quartier de la capitale", True),
        ("Storm kills ten in coastal towns", False),
        ("Fans storm the pitch after the final whistle", False),
        ("Shell profits rise as oil prices climb", False),
    ],
)
def test_headline_verbs_in_the_present(text, security):
    assert classify(text, None, None).security is security


@pytest.mark.parametrize(
    ("text", "security"),
    [
        ("Foreign troops complete the withdrawal of their last soldiers from the north", True),
        ("Government to pull troops out of the eastern provinces by June", True),
        ("Army masses troops on the border after the raid", True),
        ("Peacekeepers leave their base near the disputed town", True),
        ("Truce takes hold as both sides stop firing", True),
        ("Les derniers soldats étrangers quittent le pays", True),
        ("L'armée prend possession du camp laissé par la mission", True),
        ("Les supporters quittent le stade avant la fin", False),
        ("Telecom group takes over a rival's base of customers", False),
    ],
)
def test_troop_movements_are_strategic_developments(text, security):
    assert classify(text, None, None).security is security


def test_a_group_the_matcher_found_is_an_armed_actor_for_words_that_need_one() -> None:
    text = "Le M23 progresse vers une ville du Nord-Kivu"
    m23 = Mentions(groups=(GroupMention("M23", (), None, (3, 6)),))
    assert not classify(text, None, "fr").security  # "progresse" needs an armed actor
    assert classify(text, m23, "fr").security
    far = "M23 statement: a spokesman said talks would resume, and prices progress in the markets"
    assert not classify(far, Mentions(groups=(GroupMention("M23", (), None, (0, 3)),)), "en").security


@pytest.mark.parametrize(
    "text",
    [
        "L'armée revendique la neutralisation de plusieurs terroristes",
        "Les soldats reprennent le contrôle d'une localité du centre",
        "Des drones visent l'aéroport de la ville",
    ],
)
def test_french_shapes_of_the_third_probe(text):
    assert classify(text, None, "fr").security


def test_words_that_need_an_actor_do_not_fire_alone():
    assert not classify("La neutralisation du carbone avance", None, "fr").security
    assert not classify("L'opposition reprend le contrôle du parlement", None, "fr").security


@pytest.mark.parametrize(
    "text",
    [
        "Attaque à Ménaka : « 12 tués »",  # a few accents and quotes: replaced one by one
        "".join(chr(c) for c in range(0xC0, 0x17F)) + " Gao",  # many distinct: folded run by run
        "مرحبا Mali ﬁ ½ Œuvre",  # letters with no ASCII form, ligatures
    ],
)
def test_fold_text_keeps_one_character_for_one(text: str) -> None:
    from bot.event.scan import _TABLE, fold_text

    folded = fold_text(text)
    assert len(folded) == len(text) + 2
    assert folded == f" {text.translate(_TABLE).lower()} "


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60) | st.text(alphabet="aZ9 ,.\x7fÉé’«ﬁİẞ", max_size=60), st.integers(0, 70))
def test_the_matchers_fold_gives_the_same_lower_case_fold(text: str, head: int) -> None:
    from bot.event.scan import fold_text, lower_fold
    from bot.match.fold import Folded

    assert lower_fold(text[:head], Folded.of(text).unsqueezed) == fold_text(text[:head])


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.sampled_from([None, "en", "fr"]), st.booleans())
def test_the_matchers_fold_decides_the_same(text: str, language: str | None, explain: bool) -> None:
    from bot.match.fold import Folded

    for x in (text, "Gunmen killed 12 villagers in Mopti", f"{text}\x7f attack"):
        folded = Folded.of(x).unsqueezed
        assert classify(x, None, language, explain=explain, folded=folded) == classify(
            x, None, language, explain=explain
        )
