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
