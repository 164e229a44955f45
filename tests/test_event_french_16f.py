"""French classes of issue 16f, with sentences we wrote: army communiqués, the acronym EEI,
throat-cutting, towns encircled by fighters, and what still stays out."""

from __future__ import annotations

import pytest

from bot.event import classify


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Burkina : l'état-major annonce la neutralisation d'une trentaine de terroristes", "arrest"),
        ("Niger : neutralisation de plusieurs jihadistes près d'Ayorou", "arrest"),
        ("Les terroristes ont été mis hors d'état de nuire par les forces de défense", "arrest"),
        ("L'armée annonce avoir détruit une base terroriste dans la forêt de Kabonga", "arrest"),
    ],
)
def test_army_communique_words_report_an_operation(text, kind):
    event = classify(text, None, "fr")
    assert event.security is True
    assert event.kind == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Mali : un camion de transport saute sur un EEI près de Hombori", "attack"),
        ("Des villageois égorgés dans le nord du Burkina", "violence_against_civilians"),
        ("Trois bergers décapités près de Diffa", "violence_against_civilians"),
        ("Des combattants armés ont encerclé la ville de Léré", "attack"),
        ("Tombouctou assiégée par des jihadistes depuis août", "attack"),
    ],
)
def test_french_attack_words_and_forms(text, kind):
    event = classify(text, None, "fr")
    assert event.security is True
    assert event.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "Le village de Konna encerclé par les eaux après la crue du Niger",
        "Démolition à Bamako : destruction de kiosques sur la voie publique",
        "Mali : les Aigles éliminés en demi-finale à Bamako",
        "Niger : le prix du riz en hausse sur les marchés de Maradi",
    ],
)
def test_french_words_without_an_armed_actor_stay_out(text):
    assert classify(text, None, "fr").security is False
