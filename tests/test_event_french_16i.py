"""French forms of issue 16i, with sentences we wrote: verbs in the present and participles in
every agreement, soldiers who fell, towns and camps taken, arms caches and truces, and what
stays out (figurative attacks, pests, diseases, heat, killings in a family, road and fuel
accidents, penalty shoot-outs, the junta's politics)."""

from __future__ import annotations

import pytest
import yaml

from bot.event import classify
from bot.event.vocabulary import DEFAULT_PATH, expand


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Des jihadistes tuent six villageois près de Djibo", "violence_against_civilians"),
        ("Des terroristes ont exécuté huit personnes à Solenzo", "attack"),
        ("Une patrouille prise à partie près de Tessit : cinq militaires tombés", "attack"),
        ("Trois gendarmes tombés au combat dans le Sahel", "battle"),
        ("Les paramilitaires prennent le contrôle d'El-Geneina", "battle"),
        ("Les rebelles revendiquent la prise d'un camp de l'armée à Anéfis", "battle"),
        ("Les jihadistes ont fait sauter un pont sur la route de Boni", "attack"),
        ("Des boutiques pillées et brûlées par des hommes armés à Fada", "attack"),
        ("L'armée neutralise une vingtaine de terroristes et capture leurs motos", "arrest"),
        ("Mali : lourde défaite de l'armée face aux rebelles à Tinzaouatène", "battle"),
        ("Saisie d'une importante cargaison d'armes à la frontière nigérienne", "strategic"),
        ("Soudan : un cessez-le-feu de 72 heures entre en vigueur", "strategic"),
        ("Huit civils exécutés près de Solenzo", "attack"),
        ("Un convoi du Programme alimentaire mondial attaqué près de Djibo", "attack"),
        ("Un kamikaze a percuté l'entrée du camp avec un véhicule piégé, faisant 10 morts", "attack"),
    ],
)
def test_french_verbs_in_every_form_report_the_event(text, kind):
    event = classify(text, None, "fr")
    assert event.security is True, event.reason
    assert event.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "L'opposition dénonce une attaque contre la démocratie après le report du scrutin",
        "Attaque de criquets pèlerins : les récoltes menacées au Niger",
        "Un éléphant attaqué par des chiens errants dans le parc W",
        "Mpox : 120 nouveaux décès enregistrés en une semaine",
        "Le Niger frappé par une vague de chaleur, plusieurs décès enregistrés",
        "Bamako : un homme tué par son frère lors d'une dispute familiale",
        "Niger : un camion-citerne explose et fait 20 morts à Tahoua",
        "Mali : un bus percute un camion, 15 morts près de Ségou",
        "Guinée : l'explosion d'un dépôt de carburant fait 24 morts à Conakry",
        "Tirs au but : la Côte d'Ivoire élimine le Sénégal",
        "La junte nigérienne nomme un nouveau gouvernement",
        "Les Étalons attaquent les éliminatoires du Mondial avec confiance",
        "Le ministère a exécuté 12 projets d'adduction d'eau",
        "Un piéton tué, percuté par un camion à Bamako",
        "Les militaires font sauter le verrou de la limitation des mandats",
    ],
)
def test_french_figures_and_causes_without_an_armed_actor_stay_out(text):
    assert classify(text, None, "fr").security is False, classify(text, None, "fr").reason


def _french_forms(group: dict) -> set[str]:
    lines = (line.split(" #", 1)[0].strip() for line in group.get("fr", "").splitlines())
    return {form for line in lines if line and not line.startswith("#") for form in expand(line)}


def test_french_participles_count_in_every_agreement():
    """A one-word participle that counts as tué counts as tuée, tués and tuées too: French
    agrees it with the victims ("deux enseignantes enlevées")."""
    groups = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))["cues"]
    missing = []
    for group in groups:
        if group["class"] not in ("event", "harm"):
            continue
        forms = _french_forms(group)
        for form in forms:
            if " " not in form and form.endswith("é") and not form.endswith("ité"):
                missing += [form[:-1] + end for end in ("ée", "és", "ées") if form[:-1] + end not in forms]
    assert missing == []
