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
