"""French tolls on cards (issue 16i), with sentences we wrote: compound numbers, feminine and
more victims, "perd 17 soldats", "ont trouvé la mort", and a provisional toll said so."""

from __future__ import annotations

import pytest

from bot.stories.summarize import summarize
from bot.stories.text import numbers_as_digits
from bot.stories.tolls import toll


@pytest.mark.parametrize(
    ("words", "digits"),
    [
        ("dix sept morts", ["17", "morts"]),
        ("vingt cinq civils", ["25", "civils"]),
        ("soixante dix sept", ["77"]),
        ("quatre vingts soldats", ["80", "soldats"]),
        ("quatre vingt douze", ["92"]),
        ("deux cent cinquante", ["250"]),
        ("trois quatre", ["3", "4"]),
    ],
)
def test_french_compound_numbers_are_one_number(words, digits):
    assert numbers_as_digits(words.split(), "fr") == digits


def test_english_hundreds_multiply():
    assert numbers_as_digits(["two", "hundred", "killed"], "en") == ["200", "killed"]


@pytest.mark.parametrize(
    ("title", "text", "value"),
    [
        ("Niger : au moins 30 soldats tués à Tillabéri", "Le ministère a confirmé.", "30+ soldiers killed"),
        ("Tchad : heurts entre éleveurs", "Les heurts ont fait au moins dix-sept morts.", "17+ killed"),
        ("Mali : vingt-cinq civils tués à Ogossagou", "Des hommes armés ont tiré.", "25 civilians killed"),
        ("Niger : quatre-vingts soldats tués", "Le gouvernement a décrété un deuil.", "80 soldiers killed"),
        ("Burkina : deux enseignantes enlevées", "Elles rentraient chez elles.", "2 teachers kidnapped"),
        ("Niger : l'armée perd 17 soldats près de Tassia", "Le convoi a été attaqué.", "17 soldiers killed"),
        ("Attaque au Burkina : 50 personnes ont trouvé la mort", "Le village brûle.", "50 people killed"),
        (
            "Embuscade près de Tougan",
            "Une dizaine de volontaires pour la défense de la patrie sont tombés.",
            "about 10 VDP militiamen killed",
        ),
    ],
)
def test_french_tolls_come_out_on_cards(title, text, value):
    assert summarize(title, text).toll == value


def test_a_provisional_toll_is_said_provisional():
    s = summarize(
        "Niger : embuscade contre une patrouille près de Banibangou",
        "Le ministère fait état d'un bilan provisoire de six gardes tués et de plusieurs blessés.",
    )
    assert (s.toll, s.toll_note) == ("6 guards killed", "provisional")
    assert summarize("Niger : six gardes tués près de Banibangou", "Le convoi rentrait.").toll_note is None


def test_clustering_reads_the_same_french_tolls():
    assert toll("Niger : quatre-vingts soldats tués", "fr") == 80
    assert toll("Tchad : dix-sept morts dans des heurts", "fr") == 17
    assert toll("Niger : l'armée perd 17 soldats près de Tassia", "fr") == 17
