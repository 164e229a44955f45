"""Facts in French sentences: tolls ("au moins 30 soldats tués", "faisant 12 morts") and event
words ("embuscade", "enlèvement"), given in the English values cards use ("30+ soldiers
killed", "ambush"), so a French report and an English one of the same event state the same
fact. Each reader returns (value, start, end) with spans in the sentence it read.
"""

from __future__ import annotations

import re

from bot.stories.text import numbers_as_digits

_UNITS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    "cent": 100,
    "cents": 100,
    "vingts": 20,
}
# "une dizaine" is about ten; "des dizaines" is dozens.
_ABOUT = {"dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30, "quarantaine": 40}
_ABOUT |= {"cinquantaine": 50, "soixantaine": 60, "centaine": 100}
_MANY = {"dizaines": "dozens", "centaines": "hundreds", "milliers": "thousands", "plusieurs": "several"}
# Victims, as cards say them in English.
_VICTIMS = {
    "soldat": "soldiers",
    "militaire": "soldiers",
    "civil": "civilians",
    "personne": "people",
    "villageois": "villagers",
    "habitant": "residents",
    "enfant": "children",
    "femme": "women",
    "homme": "men",
    "élève": "students",
    "étudiant": "students",
    "policier": "police officers",
    "gendarme": "gendarmes",
    "jihadiste": "jihadists",
    "djihadiste": "jihadists",
    "terroriste": "militants",
    "assaillant": "attackers",
    "rebelle": "rebels",
    "manifestant": "protesters",
    "casque bleu": "peacekeepers",
    "membre": "members",
    "orpailleur": "miners",
    "fidèle": "worshippers",
    "agriculteur": "farmers",
    "éleveur": "herders",
    "humanitaire": "aid workers",
    "vdp": "VDP militiamen",
    "employé": "staff",
    "travailleur": "workers",
    "garde": "guards",
    "enseignant": "teachers",
    "commerçant": "traders",
    "passager": "passengers",
    "déplacé": "displaced people",
    "pêcheur": "fishermen",
    "chauffeur": "drivers",
    "infirmier": "nurses",
    "infirmière": "nurses",
    "prêtre": "priests",
    "berger": "herders",
    "écolier": "pupils",
    "otage": "hostages",
    "volontaire": "volunteers",
    "volontaires pour la défense de la patrie": "VDP militiamen",
}
_WORDS = "|".join(sorted(_UNITS, key=len, reverse=True))
_NUM = (
    r"(?:\d[\d  .,]*\d|\d|"
    # "dix-sept", "quatre-vingts", "deux cent cinquante": one number, read by numbers_as_digits
    + rf"(?:{_WORDS})(?:[-\s](?:{_WORDS})(?!\w))*"
    + r"|(?:une |des )?(?:"
    + "|".join(sorted([*_ABOUT, *(f"{k}s" for k in _ABOUT), "milliers"], key=len, reverse=True))
    + r")|plusieurs)"
)
_APPROX = r"(?:au moins|plus d['’]|plus de|près d['’]|près de|environ|quelque|pas moins de)"
# Feminine forms agree with their victims: "deux enseignantes enlevées".
_VICTIM = r"(?:" + "|".join(sorted(_VICTIMS, key=len, reverse=True)) + r")e?s?"
_DEAD = (
    r"tu[ée]e?s?|morte?s?|décédée?s?|abattue?s?|massacrée?s?|exécutée?s?|ont péri|ont perdu la vie|"
    r"trouvé la mort|succombé|tombée?s?"
)
_HURT = r"blessée?s?"
_TAKEN = r"enlevée?s?|kidnappée?s?|pris en otage|portée?s? disparue?s?"
_OUTCOME = rf"(?P<o>{_DEAD}|{_HURT}|{_TAKEN})"
_AUX = r"(?:(?:ont|a|avaient|auraient)\s+été\s+|sont\s+|ont\s+|a\s+)?"
_DE = r"(?:\s+d['’]|\s+de\s+|\s+)"
_TOLLS = (
    # "au moins 30 soldats tués", "une vingtaine d'élèves ont été enlevés"
    re.compile(
        rf"(?<!\w)(?P<q>{_APPROX}\s*)?(?P<n>{_NUM}){_DE}(?P<v>{_VICTIM})\s+(?:[\w'’]+\s+){{0,2}}?{_AUX}{_OUTCOME}(?!\w)",
        re.IGNORECASE,
    ),
    # "tuant 12 personnes", "ont enlevé au moins 20 élèves"
    re.compile(
        rf"(?<!\w)(?P<o>tuant|tué|tuent|tue|blessant|enlevé|enlèvent|kidnappé|massacré|exécuté|"
        rf"exécutent|perd|perdent|perdu)\s+"
        rf"(?P<q>{_APPROX}\s*)?(?P<n>{_NUM}){_DE}(?P<v>{_VICTIM})(?!\w)",
        re.IGNORECASE,
    ),
    # "faisant 12 morts", "le bilan passe à 89 morts", "89 morts", "12 blessés"
    re.compile(
        rf"(?<!\w)(?P<q>{_APPROX}\s*)?(?P<n>{_NUM}){_DE}(?P<o>morts|blessés|victimes)(?!\w)",
        re.IGNORECASE,
    ),
)
# Kinds as summaries name them (bot/stories/lexicon.py), from French words.
EVENTS: dict[str, tuple[str, ...]] = {
    "IED": ("engin explosif", "engins explosifs", "mine artisanale", "mines artisanales"),
    "suicide bombing": ("attentat-suicide", "attentat suicide", "kamikaze"),
    "airstrike": (
        "frappe aérienne",
        "frappes aériennes",
        "frappe de drone",
        "frappes de drone",
        "bombardement",
    ),
    "kidnapping": ("enlèvement", "enlevé", "kidnapping", "kidnappé", "prise d'otage", "otage"),
    "ambush": ("embuscade",),
    "bombing": ("attentat", "explosion", "voiture piégée"),
    "massacre": ("massacre", "tuerie"),
    "clash": ("affrontement", "combats", "accrochage", "échange de tirs", "heurts"),
    "protest": ("manifestation", "émeute"),
    "attack": ("attaque", "attaqué", "assaut", "incursion", "raid"),
}
_EVENT_RX = {
    kind: re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")", re.IGNORECASE)
    for kind, words in EVENTS.items()
}


def _count(q: str | None, n: str) -> str:
    q, n = (q or "").strip().lower(), n.strip().lower()
    word = n.split()[-1]
    if word in _MANY:
        return _MANY[word]
    if word in _ABOUT:
        return f"about {_ABOUT[word]}"
    value = _number(n)
    if q.startswith(("au moins", "plus", "pas moins")):
        return value + "+"
    return f"about {value}" if q else value


def _number(n: str) -> str:
    if n in _UNITS:
        return str(_UNITS[n])
    words = re.split(r"[-\s]+", n)
    if all(w in _UNITS for w in words):
        digits = numbers_as_digits([w.replace("ç", "c") for w in words], "fr")
        return digits[0] if len(digits) == 1 else str(_UNITS[words[-1]])
    return re.sub(r"[  .,]", "", n)


def _victim(v: str | None) -> str:
    if not v:
        return ""
    v = v.lower()
    singular = v.removesuffix("s")
    return _VICTIMS.get(v) or _VICTIMS.get(singular) or _VICTIMS.get(singular.removesuffix("e"), v)


def _outcome(o: str | None) -> str:
    o = (o or "").lower()
    if o.startswith("bless"):
        return "wounded"
    if o.startswith(("enlev", "enlèv", "kidnapp", "pris", "porté")):
        return "kidnapped"
    return "killed"


def tolls(sentence: str) -> list[tuple[str, int, int]]:
    """(value, start, end) of each toll in a French sentence, e.g. "30+ soldiers killed"."""
    out, taken = [], []
    for rx in _TOLLS:
        for m in rx.finditer(sentence):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append(m.span())
            groups = m.groupdict()
            victim = _victim(groups.get("v"))
            value = f"{_count(groups.get('q'), m['n'])} {victim}".strip()
            out.append((f"{value} {_outcome(m['o'])}", m.start(), m.end()))
    return out


def events(sentence: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of each French event word, most specific kind first."""
    found, taken = [], []
    for kind, rx in _EVENT_RX.items():
        for m in rx.finditer(sentence):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append(m.span())
            found.append((kind, m.start(), m.end()))
    return found
