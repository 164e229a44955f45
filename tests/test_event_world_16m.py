"""World-desk shapes of issue 16m, with sentences we wrote: a state's strike named by its
demonym, infrastructure hit, war verbs of world headlines, and the non-events beside them
(labour strikes, accidents, personal battles, judicial executions)."""

from __future__ import annotations

import pytest

from bot.event import classify


@pytest.mark.parametrize(
    ("text", "security"),
    [
        ("Russian strikes knock out power across Kharkiv region", True),
        ("Israeli strikes in the Bekaa valley kill two", True),
        ("Turkish strikes on Kurdish positions in northern Syria", True),
        ("Ukraine strikes Russian fuel depot in Belgorod", True),
        ("Israel strikes Iranian military sites", True),
        # labour strikes and deals: no place or harm after the noun, no armed object
        ("Nigerian strike grounds domestic flights", False),
        ("French workers strike over pension age", False),
        ("Israeli general strike closes airport", False),
        ("US strikes oil deal with Guyana", False),
        ("French strikes on Thursday to halt trains", False),
        ("Israeli strikes on Monday killed 12 in Gaza", True),
    ],
)
def test_a_state_named_by_its_demonym_strikes_as_in_war(text, security):
    assert classify(text, None, "en").security is security


@pytest.mark.parametrize(
    ("text", "security"),
    [
        ("Oil refinery hit in overnight drone raid", True),
        ("Power plant hit by Russian missiles", True),
        ("Drones damage power station in Odesa", True),
        ("Refinery attacked by drones near Samara", True),
        # the business word is what was hit, not the story's topic
        ("Grain export terminals hit in port attack\nGrain exports are falling.", True),
        ("Russian missiles damage Ukrainian energy infrastructure", True),
        # hit by a strike, a fire, a wave or a delay; a tanker that explodes
        ("French refineries hit by strike", False),
        ("Refinery hit by fire", False),
        ("Cargo ship hit by freak wave in the Atlantic", False),
        ("Pipeline project hit by delays", False),
        ("Fuel tanker explosion kills 20 on a highway", False),
        # a tanker attacked is no accident, whoever names the attack
        ("Houthis attack oil tanker in the Gulf of Aden", True),
        ("Oil tanker attacked off the Yemeni coast", True),
        ("Oil tanker catches fire after collision", False),
    ],
)
def test_infrastructure_hit_by_weapons_is_an_attack(text, security):
    assert classify(text, None, "en").security is security


@pytest.mark.parametrize(
    "text",
    [
        "North Korea fires ballistic missile into the sea",
        "India and Pakistan exchange fire along the Line of Control",
        "Israeli tanks push deeper into Gaza City",
        "Rebels seize border town from the army",
    ],
)
def test_war_verbs_of_world_headlines(text):
    assert classify(text, None, "en").security


@pytest.mark.parametrize(
    "text",
    [
        "Pop star reveals hearing loss battle in a livestream",
        "Singer opens up about cancer battle",
        "Volunteers fighting to save a rare vulture",
        "Two men to be executed in Alabama as death sentences climb",
        "State sets execution date for man convicted of 1999 killing",
    ],
)
def test_personal_battles_and_judicial_executions_are_not_events(text):
    assert not classify(text, None, "en").security


def test_an_execution_by_soldiers_stays_an_event():
    assert classify("Soldiers executed 12 villagers, rights group says", None, "en").security
