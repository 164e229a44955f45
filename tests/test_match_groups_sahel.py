"""Armed groups of the Sahel, Lake Chad, Somalia and Chad in the forms field notes write them
(issue 17g): French and transliterated names, factions and self-defence groups. Our own
sentences; names from the UCDP actor list and ACLED actor names."""

from __future__ import annotations

import pytest

from tests.match_support import matcher


def groups(text: str) -> list[str]:
    return sorted(g.name for g in matcher().mentions(text).groups if not g.state)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Des présumés éléments de l'EI Sahel ont tué six civils près d'Anzourou.",
            ["Islamic State Sahel Province"],
        ),
        ("Les combattants de la katiba Macina ont enlevé deux bergers.", ["Katiba Macina"]),
        ("Dan na Ambassagou militiamen burned a hamlet near Bankass.", ["Dan Na Ambassagou"]),
        ("Katiba Serma fighters set up checkpoints near Boni.", ["Katiba Serma"]),
        ("MSA fighters repelled a raid near Ménaka, Mali.", ["MSA"]),
        ("Mahmuda group gunmen attacked herders near Kainji Lake, Nigeria.", ["Mahmuda group"]),
        ("CCMSR rebels claimed clashes with Chadian troops in Tibesti.", ["CCMSR"]),
        ("Ambazonian rebels killed two gendarmes in Ndop.", ["Ambazonia separatists"]),
        ("Islamic State Somalia fighters clashed with Puntland forces.", ["Islamic State Somalia Province"]),
        ("Mayi Mayi Mazembe fighters attacked Kanyabayonga.", ["Mayi Mayi Mazembe"]),
    ],
)
def test_sahel_and_lake_chad_names_in_the_forms_notes_use(text, expected):
    assert groups(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The MSA degree programme opens in Nairobi next year.",
        "An FLA audit of garment factories was published.",
        "The UDA party won the by-election.",
    ],
)
def test_new_short_acronyms_need_support(text):
    assert groups(text) == []
