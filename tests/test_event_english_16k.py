"""English error families of issue 16k, with sentences we wrote: hypotheticals that govern
only what follows them, a front that heats up, criminals as the target of policing,
industrial blasts and migrants' journeys, appeals and talks around an event word, attitudes
to coups, and word classes a wire day uses (gunfire, retaking ground, downing drones)."""

from __future__ import annotations

import pytest

from bot.event import classify


def _security(text: str) -> bool:
    return classify(text, None, "en").security


@pytest.mark.parametrize(
    ("text", "security"),
    [
        # the feared war follows "fears of"; the front heating up is the news
        ("Golan front with Syria heats up, stoking fears of a regional war", True),
        ("Fighting flares up on the southern front as shells hit two villages", True),
        ("Ex-minister warns of civil war that would engulf the region", False),
        ("Army could launch an offensive on the rebel-held town, analysts say", False),
        ("Militants kill 12 soldiers in Borno, raising fears of new offensive", True),
        # "heats up" with no front or armed actor near it, and a front that is a party
        ("Race for the Kano governorship heats up as parties pick candidates", False),
        ("Popular Front leader arrested in Lusaka over a rally", False),
    ],
)
def test_a_hypothetical_governs_what_follows_it(text, security):
    assert _security(text) is security


@pytest.mark.parametrize(
    ("text", "security"),
    [
        ("Police shoot dead suspected kidnapper at a checkpoint in Kogi\nHe died in hospital.", False),
        ("Police kill two suspected kidnappers and recover a ransom in Ogun", False),
        ("Gunmen abduct 20 passengers from a bus in Kaduna", True),
        ("Kidnappers free 12 pupils\nThe children, abducted by armed men last month, are home.", True),
        ("Police kill three suspected militants in a shootout near Garissa", True),
    ],
)
def test_criminals_as_the_target_of_policing_are_crime(text, security):
    assert _security(text) is security


@pytest.mark.parametrize(
    ("text", "security"),
    [
        ("Blast at a fuel depot in Lagos kills nine\nThe fire spread from a tanker, officials said.", False),
        # a depot is also what a strike hits; what a strike brings about is not its agent
        ("Drone strike causes explosion at a fuel depot in Sevastopol", True),
        ("Ukraine strikes Russian fuel depot in Belgorod", True),
        ("Trader killed by thieves in Kano market", False),
        ("Explosion at an ammunition depot near Conakry kills 13", False),
        ("Bodies of 30 migrants found in the Libyan desert near the Chad border", False),
        ("Migrants found dead in the Sahara after their truck broke down", False),
        ("Gunmen kill eight migrants at a camp near Sabha", True),
        ("Jihadists ambush a patrol in the Malian desert, killing nine soldiers", True),
    ],
)
def test_depot_blasts_and_desert_crossings_kill_without_an_armed_actor(text, security):
    assert _security(text) is security


@pytest.mark.parametrize(
    ("text", "security"),
    [
        ("UN appeals for $1bn to feed millions displaced by conflict in the Sahel", False),
        ("Aid for the displaced\nAgencies ask donors for funds to shelter families who fled the war.", False),
        ("More than 20,000 flee as fighting spreads around Sake, aid workers say", True),
        ("Sudan truce talks resume\nArmy and RSF delegations arrived for negotiations in Jeddah.", False),
        ("Hamas says it discussed freeing 50 hostages in return for a truce", False),
        ("Israeli hostage's father pleads for his son's release at the UN", False),
        ("Gunmen seize 15 hostages at a hotel in Bamako", True),
    ],
)
def test_appeals_talks_and_families_around_an_event_word(text, security):
    assert _security(text) is security


@pytest.mark.parametrize(
    ("text", "security"),
    [
        ("Poll finds young voters more willing to accept military takeover than their parents", False),
        ("Support for military rule grows in the Sahel, survey shows", False),
        ("Kidnapping fears keep pupils at home in Zamfara", False),
        ("Insurgency-hit Cabo Delgado gets a new airport", False),
        ("Governor donates vehicles to police to fight kidnapping", False),
        ("Soldiers seize power in Libreville and dissolve institutions", True),
    ],
)
def test_attitudes_fears_and_policies_are_no_event(text, security):
    assert _security(text) is security


@pytest.mark.parametrize(
    ("text", "security"),
    [
        ("Chad: tension in N'Djamena\nGunfire broke out overnight near the army headquarters.", True),
        ("Ukraine says it retook a village near Bakhmut", True),
        ("Russia says it downed 25 Ukrainian drones overnight", True),
        ("Hamas denies it fired the rocket that hit a Gaza hospital", True),
        ("Pirates hijack a fishing vessel off Puntland", True),
        ("Explainer: why fighting has flared again around Goma\nThe rebels took two towns this week.", True),
        ("Sudan: heavy clashes in Omdurman as talks stall", True),
        ("Celebratory gunfire after the final whistle in Algiers", False),
        ("Kenyan workers downed tools over unpaid wages", False),
    ],
)
def test_word_classes_of_a_wire_day(text, security):
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


@pytest.mark.parametrize(
    ("text", "security"),
    [
        ("Mozambique: Insurgents Behead Four in Macomia", True),
        ("Somalia: Army Liberates Three Villages From Al-Shabaab", True),
        ("Nigeria: Navy Intercepts Boat Carrying Weapons Off Bonny", True),
        ("Houthi rebels say they targeted two ships in the Red Sea", True),
        ("Rebels say they seized army camp near Kidal", True),
        ("DR Congo rebels capture airport as they advance in the east", True),
        # the words without an armed actor, and family members of the victims
        ("Campaigners liberate a statue from a museum basement", False),
        ("Parents of abducted pupils protest in Abuja", False),
        ("Hostage families march to the prime minister's office", False),
    ],
)
def test_headline_verbs_of_african_outlets(text, security):
    assert _security(text) is security


@pytest.mark.parametrize(
    ("text", "security"),
    [
        # what follows "amid" is the circumstance of the news, not the news
        ("Congo's president sworn in for a second term amid fighting in the east", False),
        ("Eight soldiers killed amid fresh fighting near Goma", True),
    ],
)
def test_amid_names_the_circumstance(text, security):
    assert _security(text) is security
