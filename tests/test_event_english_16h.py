"""English error classes of issue 16h, with sentences we wrote: plots told at a trial,
bodies found, troops and police moved for an election or a match, background that stays in
its sentence, and deaths with no armed actor."""

from __future__ import annotations

import pytest

from bot.event import classify


@pytest.mark.parametrize(
    ("text", "security"),
    [
        ("Court told jihadist cell planned attacks on churches in Jos\nThe men deny the charges.", True),
        ("Jury hears militants plotted to kill a governor in Borno\nThe trial continues.", True),
        ("Man accused of plotting a bombing at a mosque appears in court", True),
        # a trial of a past attack, and plots that are ordinary crime
        ("Trial opens over the 2021 attack on a Kano market\nFour men deny murder.", False),
        ("Court told man planned to kill his business partner\nThe trial continues.", False),
        ("Jury told gang planned to rob a bank in Kano", False),
        # a topic word after a comma is no event's target: the jury stays the story's topic
        ("Man planned to kill his wife, jury told", False),
        ("Jury told militants were trained to attack hotels in Mombasa", True),
    ],
)
def test_a_plot_told_at_a_trial_is_news_of_the_plot(text, security):
    assert classify(text, None, "en").security is security


def test_a_plot_is_an_arrest_kind_event():
    event = classify("Court told jihadist cell planned attacks on churches in Jos", None, "en")
    assert event.kind == "arrest"
    assert "planned attacks" in event.why


@pytest.mark.parametrize(
    ("text", "security"),
    [
        ("Bodies of 9 villagers found near Djibo\nResidents said the men were taken from their homes.", True),
        ("Dozens of bodies found floating in a river on the border\nSome had been shot.", True),
        ("Police recover seven bodies with gunshot wounds outside Bamenda", True),
        ("Bodies of four fishermen recovered after canoe capsizes on Lake Chad", False),
        ("Rescuers pull 12 bodies from the rubble after floods in Kasese", False),
        ("Body of missing climber found on Mount Cameroon", False),
    ],
)
def test_bodies_found_are_a_toll_unless_something_else_killed(text, security):
    assert classify(text, None, "en").security is security


@pytest.mark.parametrize(
    ("text", "security"),
    [
        ("Army deploys troops to polling stations ahead of the vote in Gao", False),
        ("Troops deployed for the papal visit to Juba\nA million pilgrims are expected.", False),
        ("Soldiers deployed ahead of the derby in Omdurman\nFans will be searched at the gates.", False),
        ("Army deploys troops to Plateau after attacks on villages", True),
        ("Troops deployed as post-election violence spreads in Kisumu", True),
        ("Army sends soldiers to the border after rebel raids", True),
    ],
)
def test_troops_moved_for_an_occasion_are_its_security_not_an_event(text, security):
    assert classify(text, None, "en").security is security


def test_background_stays_in_its_sentence():
    title = "Trial opens for men accused of plotting to assassinate the president"
    # the year in the body's sentence does not make the headline's plot a past event
    assert classify(f"{title}\nThey were arrested in 2022 with weapons.", None, "en").security
    # in the same sentence it does: an old mutiny recalled
    assert not classify("Officers recall the mutiny in 1994 at the Kati barracks", None, "en").security


@pytest.mark.parametrize(
    "text",
    [
        "Man killed by elephant near Tsavo park",
        "Ten killed as bus plunges into ravine on the Nairobi road",
        "Explosion at gas station kills 8 in Nairobi",
        "Landmine clearance teams return to fields in Cuando Cubango",
    ],
)
def test_deaths_with_no_armed_actor(text):
    assert not classify(text, None, "en").security


@pytest.mark.parametrize(
    "text",
    [
        "Army says it repelled rebel assault near Goma",
        "Militia takes control of Lalibela, residents say",
        "Settlers torch Palestinian homes in West Bank village",
        "Tanks encircle the hospital in the north of the city",
        "Death toll passes 10,000, health ministry says",
        "US strikes militia sites in eastern Syria",
        "Rebels shoot down army helicopter in North Kivu",
    ],
)
def test_english_headline_shapes_of_war_news(text):
    assert classify(text, None, "en").security
