"""Error classes of issue 16e, with sentences we wrote: armed crime, opinion pieces about
wars, and strategic developments (bases taken over, forces sent in after clashes)."""

from __future__ import annotations

import pytest

from bot.event import classify


@pytest.mark.parametrize(
    ("text", "security"),
    [
        ("Gunmen rob a petrol station in Kaduna\nThey fled with the day's takings.", False),
        ("Armed men hold up a minibus near Kano\nPassengers lost phones and cash.", False),
        ("Des hommes armés braquent une station-service à Zinder", False),
        ("Des inconnus armés dévalisent un commerçant à Mopti", False),
        ("Gunmen kill nine farmers and steal their cattle", True),
        ("Des hommes armés attaquent un poste de police à Dori", True),
    ],
)
def test_armed_robbery_is_crime_not_an_attack(text, security):
    assert classify(text, None, None).security is security


@pytest.mark.parametrize(
    ("text", "security"),
    [
        ("Army takes over a former French base near Gao", True),
        ("Soldiers move into the vacated UN camp outside Kidal", True),
        ("Les militaires reprennent le contrôle de l'ancienne base de Ménaka", True),
        ("Les soldats s'installent dans l'ancien camp de la mission", True),
        ("Telecom firm takes over a former rival's offices", False),
        ("Company moves into a former warehouse in Lagos", False),
        ("Des étudiants s'installent dans l'ancien camp de vacances", False),
    ],
)
def test_a_base_another_force_left_taken_over(text, security):
    assert classify(text, None, None).security is security


@pytest.mark.parametrize(
    ("text", "security"),
    [
        (
            "Editorial: the war in the Sahel needs more than soldiers\n"
            "Our editorial board argues the fighting between army and jihadists will not end by force.",
            False,
        ),
        (
            "Analyse : au Burkina, une guerre qui s'enlise\n"
            "Pour notre chroniqueur, les combats entre l'armée et les jihadistes n'ont plus de front.",
            False,
        ),
        ("Jihadists kill 12 soldiers in an ambush near Djibo, the army says", True),
        ("Au moins 12 soldats tués dans une embuscade près de Djibo", True),
    ],
)
def test_opinion_pieces_about_wars_are_not_event_reports(text, security):
    assert classify(text, None, None).security is security


@pytest.mark.parametrize(
    ("text", "security"),
    [
        ("Witness tells court militia fighters burned the village", False),
        ("Survivor testifies at trial that soldiers shot twelve men\nThe judges adjourned.", False),
        ("Un témoin à la barre raconte l'attaque du camp de Boulkessi", False),
        ("Ex-commander on trial\nThe accused denied that his men stormed the armoury at dawn.", False),
        ("Rebels accused of storming a village and killing 12 farmers", True),
        ("A witness told reporters that gunmen killed 12 villagers near Bama", True),
        ("Army moves into former French base at Ouallam", True),
    ],
)
def test_witnesses_before_a_court_and_headlines_without_articles(text, security):
    assert classify(text, None, None).security is security
