"""French forms of issue 16l, with sentences we wrote: shootings ("tué par balle", "criblé de
balles"), armed men with an adverb, communiqués that count the enemy's losses, staff pulled
out of a war zone, troops and missions on the move, missiles fired at a target; and what
stays out (a robber shot by the police, a drought's losses, a killing over a quarrel, wild
animals, remembrance, a striker's shot, a farm drone, figures of speech, road deaths, a gun
gone off by accident, a firm's presence, a junta staying in power, denials and rumours)."""

from __future__ import annotations

import pytest

from bot.event import classify


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Un maire tué par balle à Maroua\nLa police a ouvert une enquête après la mort de l'élu.", "attack"),
        ("Un conseiller municipal criblé de balles devant son domicile à Kaya", "attack"),
        ("Le chef du village abattu à bout portant à la sortie de la mosquée", "attack"),
        ("Des militaires ont fait feu sur des manifestants à Conakry, deux morts", "attack"),
        ("Des individus lourdement armés sèment la panique à Téra", "attack"),
        ("Les FDS ont infligé de lourdes pertes à l'ennemi dans le Liptako", "battle"),
        ("Embuscade près de Boni : lourdes pertes dans les rangs de l'armée", "battle"),
        ("L'ONU évacue son personnel non essentiel de Goma", "strategic"),
        ("Yémen : les rebelles revendiquent un tir de missile contre un navire", "air_strike"),
        ("Le Hezbollah tire des roquettes sur le nord d'Israël", "air_strike"),
        ("Une frappe de drone tue par accident des fidèles réunis pour une fête", "air_strike"),
        ("Le Niger retire ses troupes de la force conjointe du bassin du lac Tchad", "strategic"),
        ("La Minusca renforce sa présence à Bria\nDes Casques bleus ont été dépêchés.", "strategic"),
        ("MSF quitte Djibo et suspend ses activités\nL'ONG évoque l'insécurité grandissante.", "strategic"),
        ("Le CICR rapatrie une partie de ses agents expatriés de Kidal", "strategic"),
        ("L'armée dément avoir bombardé un marché\nUne frappe de drone a touché la foire.", "air_strike"),
        ("Coup d'État militaire au Niger : le président retenu par la garde présidentielle", "coup"),
    ],
)
def test_french_shootings_losses_and_evacuations_are_security_news(text, kind):
    event = classify(text, None, "fr")
    assert event.security is True, event.reason
    assert event.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "Un braqueur tué par balle par la police à Abidjan\nIl tentait de dévaliser une station-service.",
        "Un commerçant blessé par balle lors d'un braquage à Bobo-Dioulasso",
        "L'attaquant malien marque à bout portant et offre la victoire aux Aigles",
        "La sécheresse a infligé de lourdes pertes aux éleveurs du Sahel",
        "Air Burkina enregistre de lourdes pertes en 2024",
        "Kaya : un commerçant tué par son associé à la suite d'une dispute",
        "Tchad : un éléphant tue deux villageois près de Zakouma",
        "Les otages d'Arlit toujours dans les mémoires, dix ans après",
        "Le Maroc lance un drone agricole pour surveiller les cultures",
        "L'opposition dénonce un « coup d'État constitutionnel » après le report du scrutin",
        "Mali : une « bombe sociale » selon les syndicats des enseignants",
        "Le gouvernement lance une offensive contre la vie chère",
        "Togo : des victimes de la route de plus en plus nombreuses",
        "Une explosion dans une raffinerie artisanale fait 12 morts dans le delta",
        "Un policier tue accidentellement un collègue au commissariat",
        "Orange renforce sa présence au Sénégal avec un nouveau centre de données",
        "Une banque suspend ses activités à Bamako faute de liquidités",
        "Mali : les militaires s'installent au pouvoir pour cinq ans de plus",
        "La compagnie aérienne rapatrie ses employés bloqués à Paris après la grève",
        "L'armée dément toute attaque contre les civils et dénonce une campagne de désinformation",
        "Le gouvernement nigérien dément une tentative de coup d'État",
        "Rumeur de coup d'État à Ouagadougou : le calme règne",
        "Des fausses informations sur une attaque à Bamako démenties par la police",
    ],
)
def test_french_crime_losses_animals_and_memory_are_not(text):
    event = classify(text, None, "fr")
    assert event.security is False, event.reason
