"""The dev set's boundary kinds (issue 16n), with sentences we wrote: explainers of a war's
fighting against opinion, history and essays on a war's effects; troop moves, truces,
evacuations, arms seized, blocked convoys and aid staff pulled out of war zones; routine
deployments for a vote or a match; riots against peaceful strikes; new arrests against trials."""

from __future__ import annotations

import pytest

from bot.event import classify


@pytest.mark.parametrize(
    ("text", "lang", "security"),
    [
        # an explainer whose headline names the fighting and nothing else is news of it
        ("Yemen's war explained: who holds Marib\nThe front has barely moved in a year.", "en", True),
        ("Explainer: how the fighting for Bakhmut's front line unfolded\nBoth armies dug in.", "en", True),
        ("Le conflit au Tigré expliqué en cinq points\nUn résumé de deux années de guerre.", "fr", True),
        ("Analyse : comment le JNIM resserre son étau sur Djibo\nLes convois sont attaqués.", "fr", True),
        # opinion, history, a framing label with only general words, a war's effects
        ("Opinion: Europe is sleepwalking through Sudan's war\nA former minister argues.", "en", False),
        ("Analyse : la guerre au Yémen, une impasse ?\nDix ans de conflit sans vainqueur.", "fr", False),
        ("Explained: what the war in Gaza means for oil prices\nTraders watch the Red Sea.", "en", False),
        ("Analysis: can peace talks end Ethiopia's war?\nMediators meet in Nairobi next week.", "en", False),
        ("Il y a quarante ans, la guerre du Liban expliquée par ceux qui l'ont vécue", "fr", False),
    ],
)
def test_explainers_of_the_fighting_are_news_essays_are_not(text, lang, security):
    event = classify(text, None, lang)
    assert event.security is security, event.reason


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Villagers stop a military convoy near Kidal\nThey accuse the soldiers of abuses.", "en"),
        ("Charity pulls its staff out of Kaya, citing insecurity\nClinics will stay shut.", "en"),
        ("Truce takes effect in Khartoum after weeks of street fighting", "en"),
        ("Un convoi militaire immobilisé par des jeunes à Fada N'Gourma", "fr"),
        ("Une ONG retire son personnel de Tillabéri\nElle invoque l'insécurité.", "fr"),
        ("Les écoles de Djibo fermées en raison de l'insécurité", "fr"),
        ("Projet d'attentat déjoué à Niamey : trois suspects interpellés", "fr"),
        ("Police foil suspected jihadist plot against a cathedral in Lyon", "en"),
    ],
)
def test_the_ambiguous_kinds_of_a_war_zone_are_news(text, lang):
    event = classify(text, None, lang)
    assert event.security is True, event.reason


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Le Bénin déploie 20 000 policiers pour les législatives\nIls seront déployés au scrutin.", "fr"),
        ("Des forces de sécurité déployées autour du stade pour la finale de la CAN", "fr"),
        ("La compagnie rapatrie ses employés après la grève des contrôleurs", "fr"),
        ("Firm pulls its employees out of Lagos office after flooding", "en"),
    ],
)
def test_routine_deployments_and_company_moves_are_not(text, lang):
    event = classify(text, None, lang)
    assert event.security is False, event.reason


def test_crowds_in_the_next_sentence_are_no_occasion_of_a_blocked_convoy():
    text = "Protesters block a peacekeeping convoy near Goma\nCrowds shouted at the soldiers for hours."
    assert classify(text, None, "en").kind == "strategic"


def test_the_quick_path_decides_an_explainer_as_the_full_one_does():
    text = "La guerre au Soudan expliquée en dix points\nDeux ans de conflit."
    assert classify(text, None, "fr", explain=False).security is classify(text, None, "fr").security is True


@pytest.mark.parametrize(
    ("text", "lang", "security"),
    [
        # a trial's headline names a past attack: the body's account of it is background
        ("Trial opens over the 2019 Kampala bombings\nThe blasts killed three people.", "en", False),
        ("Court jails four over 2017 truck bombing in Mogadishu\nThe blast killed 500 people.", "en", False),
        ("Procès de l'attentat de Ouagadougou\nLes assaillants avaient tué 30 personnes.", "fr", False),
        # new arrests and a plot the court hears stay news
        ("Court told IS cell planned attacks on Kano markets\nThey were held with explosives.", "en", True),
        ("Police arrest five suspected militants over a planned attack in Nairobi", "en", True),
        ("Burkina : arrestation de trois présumés terroristes à Ouahigouya", "fr", True),
        # a new attack beside an old trial is still news
        ("Gunmen kill 6 in Kano as trial over 2021 market attack opens", "en", True),
    ],
)
def test_trials_of_past_attacks_are_not_news_new_arrests_are(text, lang, security):
    event = classify(text, None, lang)
    assert event.security is security, event.reason
