"""One story per event across outlets and languages, and not one more: the issue's cases, in
sentences we wrote (wire style, English and French)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.models import Admin1, GroupMention, Item, Mentions, Place
from bot.stories import Clusterer, StoryDoc

T0 = datetime(2025, 5, 3, 6, 0, tzinfo=UTC)
BF = frozenset({"BF"})


def _doc(i: str, title: str, text: str = "", hours: float = 0, **kw) -> StoryDoc:
    return StoryDoc(id=i, title=title, text=text, source="test", published=T0 + timedelta(hours=hours), **kw)


REUTERS = _doc(
    "reuters",
    "Gunmen kill 12 soldiers in attack on army post in northern Burkina Faso",
    "OUAGADOUGOU, May 3 (Reuters) - Gunmen killed at least 12 soldiers in an attack on an army post "
    "near Djibo in northern Burkina Faso early on Saturday, two security sources said.",
    places=frozenset({"Djibo", "Sahel"}),
    admin1=frozenset({"Sahel"}),
    countries=BF,
)
RFI = _doc(
    "rfi",
    "Burkina Faso : au moins douze militaires tués dans l'attaque d'un poste de l'armée près de Djibo",
    "Des hommes armés ont pris d'assaut samedi à l'aube un poste militaire situé aux abords de Djibo, "
    "dans le nord du pays. Au moins douze soldats ont été tués, selon des sources sécuritaires.",
    hours=7,
    places=frozenset({"Djibo", "Sahel"}),
    admin1=frozenset({"Sahel"}),
    countries=BF,
)
DJIBO = {"places": frozenset({"Djibo", "Sahel"}), "admin1": frozenset({"Sahel"}), "countries": BF}


def test_an_english_and_a_french_wire_report_of_one_attack_are_one_story() -> None:
    c = Clusterer()
    first = c.add(REUTERS)
    second = c.add(RFI)
    assert second.story_id == first.story_id, second.reason
    v = second.verdict
    assert v is not None and v.cross_language
    labels = dict(v.adjustments)
    assert "place djibo" in labels and "toll 12" in labels


@pytest.mark.parametrize(
    ("title", "text", "lang"),
    [
        (
            "Food convoy reaches besieged Djibo after weeks of blockade",
            "OUAGADOUGOU, May 4 (Reuters) - A convoy of 80 trucks carrying grain reached Djibo on Sunday.",
            "en",
        ),
        (
            "Burkina Faso : des inondations coupent la route de Djibo",
            "De fortes pluies ont emporté un pont sur la route de Djibo, isolant la ville.",
            "fr",
        ),
        (
            "New health centre opens in Djibo",
            "OUAGADOUGOU (AFP) - A health centre funded by donors opened in Djibo on Sunday.",
            "en",
        ),
        (
            "Burkina : ouverture d'un centre de santé à Djibo",
            "Un centre de santé a été inauguré dimanche à Djibo, dans le nord du pays.",
            "fr",
        ),
    ],
)
def test_another_event_in_the_same_town_is_another_story(title: str, text: str, lang: str) -> None:
    c = Clusterer()
    story = c.add(REUTERS).story_id
    c.add(RFI)
    other = c.add(_doc("other", title, text, hours=20, **DJIBO))
    assert other.is_new and other.story_id != story, other.reason


def test_another_attack_in_another_town_of_the_same_province_is_another_story() -> None:
    c = Clusterer()
    c.add(REUTERS)
    other = c.add(
        _doc(
            "dori",
            "Gunmen kill 4 in attack on mosque in Burkina Faso's Dori",
            "OUAGADOUGOU, May 5 (Reuters) - Gunmen killed four worshippers at a mosque in Dori.",
            hours=30,
            places=frozenset({"Dori", "Sahel"}),
            admin1=frozenset({"Sahel"}),
            countries=BF,
        )
    )
    assert other.is_new, other.reason
    assert "places differ" in dict(other.verdict.adjustments)


def test_a_shared_dateline_is_no_shared_place() -> None:
    # Two unrelated items about one prime minister, filed from one capital (the AllAfrica
    # form): the dateline must not bring them together.
    c = Clusterer()
    kw = {
        "places": frozenset({"Addis Ababa"}),
        "admin1": frozenset({"Addis Ababa"}),
        "countries": frozenset({"ET"}),
    }
    c.add(
        _doc(
            "a",
            "Prime minister meets investors from the Gulf",
            "[Ethiopian Herald] Addis Ababa -- The prime minister met a delegation of investors "
            "to discuss farming and energy projects.",
            **kw,
        )
    )
    b = c.add(
        _doc(
            "b",
            "Prime minister inaugurates new cement factory",
            "[Ethiopian Herald] Addis Ababa -- The prime minister inaugurated a cement factory that will "
            "employ two thousand workers.",
            hours=20,
            **kw,
        )
    )
    assert b.is_new, b.reason
    assert not any(label.startswith("place") for label, _ in (b.verdict.adjustments if b.verdict else ()))


def test_a_named_event_joins_across_languages() -> None:
    c = Clusterer()
    first = c.add(
        _doc(
            "en",
            "Derna floods: rescuers search for thousands missing",
            "The Derna floods swept whole neighbourhoods into the sea after two dams burst.",
            countries=frozenset({"LY"}),
        )
    )
    second = c.add(
        _doc(
            "fr",
            "Libye : les secours toujours à pied d'œuvre après les inondations de Derna",
            "Les inondations de Derna ont emporté des quartiers entiers après la rupture de deux barrages.",
            hours=10,
            countries=frozenset({"LY"}),
        )
    )
    assert second.story_id == first.story_id, second.reason
    assert "event disaster:derna" in dict(second.verdict.adjustments)


def test_the_event_stage_can_say_the_kind_and_toll() -> None:
    # The headline names no kind of event and the first sentence an attack; the event stage,
    # reading the whole report, says it was an abduction, which keeps it out of the attack.
    told = _doc(
        "told",
        "Djibo: the day after",
        "Gunmen attacked Djibo and took 20 residents away, residents said.",
        20,
        **DJIBO,
    )
    c = Clusterer()
    c.add(REUTERS)
    assert "kinds of event differ" not in c.add(told).reason  # read from the text: an attack
    c = Clusterer()
    c.add(REUTERS)
    told = c.add(replace(told, kind="abduction"))
    assert told.is_new and "kinds of event differ" in told.reason


def test_from_item_keeps_its_old_call_and_takes_the_event_stage_output() -> None:
    item = Item(
        source_id="rfi",
        guid="g1",
        url="https://example.org/a",
        title="Niger : vingt soldats tués dans une embuscade près de Banibangou",
        published=T0,
        language="fr-FR",
    )
    mentions = Mentions(
        countries=("NE",),
        admin1=(Admin1("NE", "Tillabéri"),),
        places=(Place("Banibangou", "NE", "Tillabéri", 15.0, 2.7, (53, 63)),),
    )
    old = StoryDoc.from_item(item, mentions, doc_id="7")
    assert old.id == "7" and old.language == "fr" and old.kind is None
    assert old.places == {"Banibangou", "Tillabéri"} and old.admin1 == {"Tillabéri"}
    new = StoryDoc.from_item(item, mentions, doc_id="7", kind="ambush", toll=20)
    assert (new.kind, new.toll) == ("ambush", 20)
    # A state's armed forces are no armed group here: "the army" and "ISGS" are no conflict.
    groups = (
        GroupMention("ISGS", (), "Islamic State", (0, 4)),
        GroupMention("Niger Armed Forces", (), None, (5, 10), state=True),
    )
    armed = StoryDoc.from_item(item, Mentions(countries=("NE",), groups=groups), doc_id="8")
    assert armed.groups == {"ISGS"}
    with pytest.raises(ValueError, match="toll"):
        StoryDoc("x", "t", "", "s", None, toll=-1)


def test_restoring_reports_rebuilds_the_same_stories() -> None:
    # A restarted process restores what the store says, then decides the next report as the
    # process that never stopped would.
    docs = [REUTERS, RFI]
    live = Clusterer()
    ids = [live.add(d).story_id for d in docs]
    later = _doc("ap", "Burkina Faso: army says 12 soldiers died in Djibo attack", "", 12, **DJIBO)
    expected = live.add(later)
    restarted = Clusterer()
    for d, sid in zip(docs, ids, strict=True):
        restarted.restore(d, sid)
    got = restarted.add(later)
    assert (got.story_id, got.is_new, got.score) == (expected.story_id, expected.is_new, expected.score)


def test_one_shared_name_is_no_story_and_two_clues_are() -> None:
    # A name the language knows well, shared and nothing else: two stories. (A name it hardly
    # knows, that no other open story uses, is one and a half clues: see clues.py.)
    c = Clusterer()
    deliveries = c.add(_doc("a", "Tesla deliveries fall 13% as demand slumps"))
    robotaxi = c.add(_doc("b", "Tesla launches robotaxi service in Austin", hours=2))
    assert robotaxi.is_new and "clue" in robotaxi.reason
    slump = c.add(_doc("c", "Tesla delivery slump deepens as sales fall again", hours=4))
    assert slump.story_id == deliveries.story_id, slump.reason
    assert slump.verdict is not None and slump.verdict.clues >= 1.5


def test_one_feeds_two_reports_with_only_words_in_common_need_more_likeness() -> None:
    # Two items on one summit from one aggregator's feed, a day apart: nothing but words in
    # common, and not alike enough for one feed's reports (two developments of one topic).
    first = _doc(
        "a", "Summit ministers back new lithium export rules", "Ministers meeting in Lusaka backed new rules."
    )
    second = _doc(
        "b", "Lithium export rules dominate summit of deputies", "Deputies discussed the rules.", 20
    )
    strict = Clusterer(same_outlet_text=0.9)
    strict.add(first)
    held = strict.add(second)
    assert held.is_new and "from the same feed" in (held.verdict.blocked or ""), held.reason
    other_feed = Clusterer(same_outlet_text=0.9)
    other_feed.add(first)
    joined = other_feed.add(replace(second, source="another-feed"))
    assert "from the same feed" not in (joined.verdict.blocked or "")


def test_an_english_and_a_french_report_that_alike_need_no_other_backing() -> None:
    # No place or group the matcher found, no toll: only the countries and what both write
    # alike (the names, the kind of event). That alike, it is one story.
    both = frozenset({"NE", "BJ"})
    en = _doc("en", "Niger shuts border with Benin after clashes", countries=both, language="en")
    fr = _doc(
        "fr",
        "Niger : la frontière avec le Bénin fermée après des affrontements",
        hours=3,
        countries=both,
        language="fr",
    )
    off = Clusterer(cross_text=9.0)
    off.add(en)
    assert off.add(fr).is_new
    c = Clusterer()
    first = c.add(en)
    second = c.add(fr)
    assert second.story_id == first.story_id and second.verdict.cross_language, second.reason
