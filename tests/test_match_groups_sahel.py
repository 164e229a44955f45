"""Armed groups of the Sahel, Lake Chad, Somalia and Chad in the forms field notes write them
(issue 17g): French and transliterated names, factions, self-defence groups, and peoples that
are a side only where their men are called armed. Our own sentences; names from the UCDP actor
list and ACLED actor names."""

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
    ("text", "expected"),
    [
        ("Suspected Fulani militia killed 20 farmers in Bokkos, Plateau State.", ["Fulani"]),
        ("Des milices peules ont attaqué un hameau dogon.", ["Fulani"]),
        ("Armed Tiv youths attacked a market in Taraba.", ["Tiv"]),
        ("Toubou gunmen clashed with a convoy near Ubari.", ["Toubou"]),
        ("Yan Sa Kai vigilantes killed nine Fulani herders in Zamfara.", ["Yan Sakai"]),
        ("Twelve Fulani civilians were killed near Nouna.", []),
        ("Hema and Lendu leaders signed a peace pact in Bunia.", []),
        ("Les éleveurs peuls ont quitté Djibo.", []),
    ],
)
def test_a_people_is_a_side_only_where_its_men_are_called_armed(text, expected):
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
