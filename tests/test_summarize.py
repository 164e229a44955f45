"""Summaries and key facts on the seed article and headlines we wrote (tests/fixtures/news)."""

from __future__ import annotations

import pytest

from bot.models import GroupMention, Mentions, Place, Summary
from bot.stories.summarize import is_significant_change, new_facts, summarize, toll_count
from tests.news import SEED_TITLE, headline, seed_text

TITLE = SEED_TITLE


@pytest.fixture(scope="module")
def seed() -> str:
    return seed_text()


def _values(summary: Summary, kind: str) -> list[str]:
    return [f.value for f in summary.of(kind)]


# -- the seed article ----------------------------------------------------------------------


def test_seed_toll_is_the_event_not_the_context_figure(seed: str) -> None:
    s = summarize(TITLE, seed)
    assert s.toll == "30+ soldiers killed"
    assert s.toll_note is not None and "unverified" in s.toll_note
    assert not any("400" in v for v in _values(s, "toll"))


def test_seed_facts_name_event_place_and_claimant(seed: str) -> None:
    s = summarize(TITLE, seed)
    assert "attack" in _values(s, "event")
    assert {"Boulikessi", "Timbuktu"} <= set(_values(s, "where"))
    assert "JNIM (claimed)" in _values(s, "who")
    assert {"claimed", "unverified"} <= set(_values(s, "qualifier"))


def test_every_fact_cites_its_sentence_and_span(seed: str) -> None:
    s = summarize(TITLE, seed)
    body = f"{TITLE}\n{seed}".strip()
    assert s.facts
    for f in s.facts:
        assert f.evidence in body
        start, end = f.span
        assert f.evidence.find(body[start:end]) >= 0, f
        # The span lies inside its own sentence, not elsewhere in the body.
        sentence_start = body.find(f.evidence)
        while sentence_start >= 0 and not (
            sentence_start <= start and end <= sentence_start + len(f.evidence)
        ):
            sentence_start = body.find(f.evidence, sentence_start + 1)
        assert sentence_start >= 0, f


def test_seed_summary_is_three_distinct_sentences_from_the_article(seed: str) -> None:
    s = summarize(TITLE, seed)
    assert len(s.sentences) == 3
    assert all(x in seed for x in s.sentences)
    assert TITLE not in s.sentences  # the card shows the title already
    assert any("Boulikessi" in x and "30" in x for x in s.sentences)
    assert not any("400" in x for x in s.sentences)
    assert len(summarize(TITLE, seed, max_sentences=2).sentences) == 2


def test_mentions_from_the_matcher_give_where_and_who(seed: str) -> None:
    body = f"{TITLE}\n{seed}".strip()
    at = body.index("Boulikessi")
    jnim = body.index("JNIM")
    mentions = Mentions(
        countries=("ML",),
        places=(Place("Boulikessi", "ML", "Mopti", 15.06, -1.3, (at, at + 10)),),
        groups=(GroupMention("JNIM", ("GSIM",), "al-Qaeda", (jnim, jnim + 4)),),
    )
    s = summarize(TITLE, seed, mentions)
    assert _values(s, "where") == ["Boulikessi, Mopti, ML"]
    assert _values(s, "who") == ["JNIM (claimed)"]
    assert s.toll == "30+ soldiers killed"


# -- headlines of invented events (tests/fixtures/news/events.json) -----------------------


@pytest.mark.parametrize(
    ("event", "kind", "value"),
    [
        ("somalia-ambush", "toll", "13 soldiers killed"),
        ("somalia-ambush", "who", "Al-Shabab (attributed)"),
        ("somalia-ambush", "event", "ambush"),
        ("somalia-ambush", "qualifier", "reportedly"),
        ("afghan-blasts", "toll", "4 soldiers, 37 insurgents killed"),
        ("mali-ansar-dine", "who", "Ansar Dine (claimed)"),
        ("mali-ansar-dine", "where", "Mali"),
        ("kogi-herders", "where", "Kogi"),
        ("kogi-herders", "who", "Suspected herders (attributed)"),
        ("pakistan-bombing", "event", "suicide bombing"),
        ("somalia-drone", "event", "airstrike"),
        ("somalia-drone", "toll", "3+ residents killed"),
        ("myanmar-village", "toll", "20 civilians killed"),
        ("kandahar-clash", "event", "clash"),
        ("algeria-1997", "toll", "30 rebels, 4 soldiers killed"),
    ],
)
def test_headline_facts(event: str, kind: str, value: str) -> None:
    s = summarize(headline(event), "")
    assert value in _values(s, kind), s.facts


def test_a_year_in_a_citation_is_not_a_toll() -> None:
    # "AFP, 6/2/1997 Thirty rebels, four soldiers die in Algeria"
    s = summarize(headline("algeria-1997"), "")
    assert not any("1997" in v for v in _values(s, "toll"))


def test_claiming_lives_is_not_claiming_responsibility() -> None:
    s = summarize(headline("syria-family"), "")  # "... claims the lives of a whole family ..."
    assert "claimed" not in _values(s, "qualifier")
    assert not s.of("who")
    assert s.toll == "270 killed"


def test_headline_only_item_summarises_to_its_headline() -> None:
    s = summarize(headline("somalia-ambush"), "")
    assert s.sentences == (headline("somalia-ambush"),)


# -- follow-ups ----------------------------------------------------------------------------


def test_new_facts_and_significant_changes_between_reports() -> None:
    first = summarize("Gunmen storm town in western Mali, 12 dead", "")
    later = summarize(
        "Death toll in Mali attack rises to 20",
        "Ansar Dine claimed the attack in Fakola, near the Ivorian border, officials said.",
    )
    added = new_facts(first, later)
    assert ("who", "Ansar Dine (claimed)") in {(f.kind, f.value) for f in added}
    assert all(f not in first.facts for f in added)
    none = Mentions()
    assert is_significant_change(first, later, none, none) == "toll rose: 20 killed (was 12 killed)"
    assert is_significant_change(later, later, none, none) is None


def test_a_new_place_or_a_new_claimant_is_significant() -> None:
    text = "Ansar Dine claimed the attack in Fakola."
    s = summarize("", text)
    fakola = Place("Fakola", "ML", "Sikasso", None, None, (text.index("Fakola"), 39))
    claimant = GroupMention("Ansar Dine", (), "al-Qaeda", (0, 10))
    old = Mentions(countries=("ML",))
    assert is_significant_change(s, s, old, Mentions(places=(fakola,))) == "new place: Fakola"
    assert is_significant_change(s, s, old, Mentions(groups=(claimant,))) == ("new claim: Ansar Dine")


def test_toll_count_reads_the_number() -> None:
    assert toll_count("30+ soldiers killed") == 30
    assert toll_count("dozens civilians killed") is None
    assert toll_count(None) is None


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="title or a text"):
        summarize("  ", "\n")
    with pytest.raises(ValueError, match="max_sentences"):
        summarize("x", "y", max_sentences=0)


# -- honest tolls and French facts (sentences we wrote) ------------------------------------


def test_an_alleged_toll_says_who_alleges_it() -> None:
    s = summarize(
        "Separatists accuse army of killing 24 civilians in northern Mali",
        "Tuareg-led separatists said on Monday that an army drone strike near Tinzaouaten had killed 24 "
        "civilians, including children. The army said it had struck a terrorist position.",
    )
    assert s.toll == "24 civilians killed"
    assert s.toll_note == "alleged by separatists"
    assert "Tuareg-led separatists say" in _values(s, "qualifier")
    # "The army said" is about a strike, not about a figure: no attribution there.
    assert not any(v.startswith("army") or v.startswith("the army") for v in _values(s, "qualifier"))


def test_a_toll_from_a_rights_group_says_so() -> None:
    s = summarize(
        "Rights group says more than 200 civilians killed in Burkina village",
        "A rights group said soldiers and allied militia killed more than 200 civilians in one day.",
    )
    assert s.toll == "200+ civilians killed"
    assert s.toll_note == "rights group says"


def test_a_sourced_figure_in_the_body_keeps_its_source() -> None:
    # The headline's bare figure is the card's toll; the body's sentence keeps who said it.
    s = summarize(
        "At least 40 killed in attack on Niger army post",
        "At least 40 soldiers were killed, a security source said, a figure that could not be "
        "independently verified.",
    )
    assert s.toll == "40+ killed"
    body = [f for f in s.of("qualifier") if f.evidence.startswith("At least 40 soldiers")]
    assert {f.value for f in body} == {"a security source says", "unverified"}


def test_french_tolls_events_and_sources() -> None:
    s = summarize(
        "Niger : au moins 30 soldats tués dans une attaque jihadiste à Tillabéri",
        "Au moins 30 soldats ont été tués mardi lors d'une attaque contre un poste militaire, selon le "
        "ministère de la Défense. Une embuscade avait fait une dizaine de morts la semaine passée.",
    )
    assert s.toll == "30+ soldiers killed"
    assert {"attack", "ambush"} <= set(_values(s, "event"))
    assert "about 10 killed" in _values(s, "toll")
    assert "selon le ministère de la Défense" in _values(s, "qualifier")


@pytest.mark.parametrize(
    ("title", "toll", "event"),
    [
        ("Mali : enlèvement de trois humanitaires près de Gao", None, "kidnapping"),
        (
            "Burkina Faso : une vingtaine d'élèves enlevés par des hommes armés",
            "about 20 students kidnapped",
            "kidnapping",
        ),
        ("Soudan : des frappes aériennes font au moins 15 morts à Nyala", "15+ killed", "airstrike"),
        ("Six civils tués lors d’une attaque de deux hameaux burkinabè", "6 civilians killed", None),
        ("Tchad : affrontements entre l'armée et des rebelles", None, "clash"),
    ],
)
def test_french_headline_facts(title: str, toll: str | None, event: str | None) -> None:
    s = summarize(title, "")
    assert s.toll == toll
    if event:
        assert event in _values(s, "event")


def test_an_unconfirmed_figure_is_marked() -> None:
    s = summarize("At least 40 dead in Tillaberi attack, unconfirmed reports say", "")
    assert s.toll == "40+ killed"
    assert s.toll_note is not None and "unverified" in s.toll_note
