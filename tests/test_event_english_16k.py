"""English error families of issue 16k, with sentences we wrote: hypotheticals that govern
only what follows them, and tolls told as background."""

from __future__ import annotations

import pytest

from bot.event import classify


def _security(text: str) -> bool:
    return classify(text, None, "en").security


@pytest.mark.parametrize(
    ("text", "security"),
    [
        # what follows "warns of", "could" has not happened
        ("Ex-minister warns of civil war that would engulf the region", False),
        ("Army could launch an offensive on the rebel-held town, analysts say", False),
        # the clause before a hypothetical is news
        ("Militants kill 12 soldiers in Borno, raising fears of new offensive", True),
    ],
)
def test_a_hypothetical_governs_what_follows_it(text, security):
    assert _security(text) is security


@pytest.mark.parametrize(
    ("text", "security"),
    [
        # "killed in 2019" names old deaths: the harm word counts as background, no toll
        ("Families of 40 soldiers killed in 2019 receive pensions", False),
        ("Relatives of 23 villagers killed in 2021 still await compensation", False),
        ("Nine soldiers killed in an ambush near Menaka", True),
    ],
)
def test_a_toll_told_as_background_is_no_toll(text, security):
    assert _security(text) is security
