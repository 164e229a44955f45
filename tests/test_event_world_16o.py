"""World desks' items told indirectly (issue 16o), with sentences we wrote: a war's live blog
and day count, territory taken told through who claims it, gangs that kill by the dozen,
truces talked about, business battles, weapons named as goods, years-after pieces."""

from __future__ import annotations

import pytest

from bot.event import classify


@pytest.mark.parametrize(
    "text",
    [
        "Gaza war live: a long night in Rafah\nThe latest updates from the south of the strip.",
        "Israel-Hamas war: day 52\nTroops surround a school in the north as trucks wait at Rafah.",
        "Russia-Ukraine war live: three dead as drones hit Kharkiv\nThe mayor said a dormitory was struck.",
        "Moscow claims capture of village east of Kupiansk\nIts forces had taken the settlement, it said.",
        "Gangs kill 15 in Port-au-Prince suburb\nGang members went from house to house, residents said.",
        "Kenyan army says it neutralised 11 al-Shabaab fighters in Lamu\nThe raid hit a forest camp.",
        "Aleppo clinics close as bombs fall\nTwo hospitals were hit overnight, a doctor said.",
        "Army launches ground operation in Tigray border district\nResidents heard explosions.",
        "Thousands flee after a lightning offensive on the enclave\nRoads to the border are jammed.",
    ],
)
def test_wars_told_indirectly_are_news(text):
    event = classify(text, None, "en")
    assert event.security, event.reason


@pytest.mark.parametrize(
    "text",
    [
        "Israel-Hamas war live: Blinken meets Abbas in Ramallah\nThe envoy is on his fifth trip.",
        "Israel-Hamas war live: Biden and Netanyahu speak by phone\nThey discussed the captives.",
        "Cop28 day 5: the fight over fossil fuels\nNegotiators argue over the text.",
        "Hamas weighs new ceasefire proposal\nLeaders will reply to the mediators next week.",
        "Sudan's warring parties meet again in Jeddah\nDelegations arrived for a new round of talks.",
        "Robbers kill 2 and steal 1,000 goats in Kaduna\nPolice gave chase.",
        "Floods kill 60 in Niger\nHeavy rains destroyed 2,000 homes.",
        "Kenyan bank in battle with regulators over fees\nShareholders want a new board.",
        "Egypt takes delivery of attack helicopters from France\nThe deal was signed last year.",
        "EU lists Iranian drone makers for sanctions\nThe firms supplied Russia, ministers said.",
        "Libyan women one year after the Derna flood\nMany still live with relatives.",
    ],
)
def test_talk_of_wars_and_their_words_elsewhere_are_not(text):
    event = classify(text, None, "en")
    assert not event.security, event.reason
