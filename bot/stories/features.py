"""What one report says about its event, as clustering compares it: its words and names, the
kind of event and the toll, named events, the language, and the places, groups and countries
the matcher found, without what datelines and outlets add (bot/stories/dateline.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot.stories.coarse import as_countries, capital_of, coarse_words, districts, regions_named
from bot.stories.dateline import headline_label, outside_dateline, report_span
from bot.stories.doc import StoryDoc
from bot.stories.lexicon import SECURITY_FAMILIES, families, given_kinds, kinds_in
from bot.stories.names import named_events, names
from bot.stories.text import content_words, language
from bot.stories.tolls import rising
from bot.stories.tolls import toll as read_toll
from bot.stories.urls import normalise_text
from bot.stories.victims import armed_actors, captured, killing
from bot.stories.victims import victims as read_victims
from bot.stories.words import spell_out

LEAD_CHARS = 1500  # the lead says which event; the rest of an article drifts into context
_THE_CAPITAL = re.compile(r"\b(?:in|the|dans|la) capitale?\b")  # not "capital markets" alone
_FIRST_SENTENCE = 300  # where to look for the kind of event when the headline names none


@dataclass(frozen=True)
class Features:
    id: str
    when: datetime | None
    lang: str | None
    outlet: str  # who wrote it: an aggregator's named outlet, else the source ("" unknown)
    source: str  # the feed it came from (an aggregator's, whoever wrote it)
    label: str  # the headline's topic label ("Retraites : ..."), folded; "" if none
    words: frozenset[str]  # content words of headline and lead
    title_words: frozenset[str]  # headlines alone say the event most densely
    names: frozenset[str]  # the words that are names
    actors: frozenset[str]  # words of the armed groups' names: who, not which event
    kinds: frozenset[str]  # kinds of event the headline names (attack, earthquake, ...)
    violent: bool  # names the dead, an armed group or fighters ("gunmen", "des jihadistes"), if no kind
    families: frozenset[str]  # and their families (violence, disaster, ...)
    toll: int | None
    toll_rises: bool  # the toll is given as an update ("death toll rises to 19")
    victims: tuple[tuple[str, str], ...]  # (class, word): ("security forces", "soldiers")
    events: frozenset[str]  # named events, "disaster:derna"
    places: frozenset[str]  # folded; dateline-only places left out
    admin1: frozenset[str]
    seats: frozenset[str]  # first-level regions also named as the town of that name ("in Gao")
    groups: frozenset[str]
    parents: frozenset[str]  # the groups' franchises ("al-qaeda" for JNIM)
    districts: frozenset[str]  # places the text names as a district ("Soum province"), no town
    countries: frozenset[str]

    def index_keys(self) -> frozenset[str]:
        """Words, and entities whatever the alias or language ("GSIM" / "JNIM", "Tombouctou");
        an affiliate's report is also under its franchise, which "al-Qaeda-linked" names."""
        entities = {f"@{p}" for p in self.places} | {f"@{g}" for g in self.groups | self.parents}
        return self.words | {f"!{e}" for e in self.events} | entities


def features(doc: StoryDoc, when: datetime | None) -> Features:
    span = report_span(doc.text)
    lead = doc.text[span.start : span.end][:LEAD_CHARS]
    lang = doc.language or language(f"{doc.title}\n{lead}")
    places = _fold_all(outside_dateline(doc.places, doc.title, doc.text))
    admin1 = _fold_all(doc.admin1) & places
    towns = places - admin1
    where = f"{doc.title}\n{lead}"
    groups = _fold_all(doc.groups)
    headline = spell_out(_unlabelled(doc.title))  # "BoE" as others write it: "Bank of England"
    title = as_countries(frozenset(content_words(headline, lang)), doc.countries)
    title |= _capital(doc.title, doc.countries)
    lead_words = as_countries(frozenset(content_words(spell_out(lead), lang)), doc.countries)
    words = title | lead_words | _capital(lead, doc.countries)
    found = names(doc.title, lead, lang)
    kinds = _kinds(doc.title) or _lead_kinds(lead[:_FIRST_SENTENCE], doc.kind)
    kinds = kinds or _killed_by(doc.title, groups) or _killed_by(lead[:_FIRST_SENTENCE], groups)
    toll = doc.toll if doc.toll is not None else (read_toll(doc.title, lang) or read_toll(lead[:400], lang))
    return Features(
        id=doc.id,
        when=when,
        lang=lang,
        outlet=normalise_text(span.outlet or doc.source),
        source=doc.source,
        label=_topic_label(doc.title),
        words=words,
        title_words=title,
        names=found & words,
        actors=frozenset(w for g in doc.groups for w in content_words(g, lang)) & words,
        kinds=kinds,
        violent=_violent(f"{doc.title}\n{lead}", groups, toll),
        families=_claimed(kinds, groups, f"{doc.title}\n{lead[:_FIRST_SENTENCE]}"),
        toll=toll,
        toll_rises=toll is not None and (rising(doc.title) or rising(lead[:400])),
        victims=read_victims(_unlabelled(doc.title), lead[:_FIRST_SENTENCE]),
        events=named_events(doc.title, lead, found, lang),
        places=places,
        admin1=admin1,
        seats=_seats(doc, admin1, towns, where),
        groups=groups,
        parents=_fold_all(doc.affiliations),
        districts=districts(towns, where) | _label_area(doc.title, towns),
        countries=frozenset(c.upper() for c in doc.countries),
    )


def _claimed(kinds: frozenset[str], groups: frozenset[str], text: str) -> frozenset[str]:
    """The families of the kinds. A blast or a fire an armed group or fighters are named with
    ("Al-Shabaab claims blast at police school", "camions-citernes incendiés par des
    jihadistes") is an attack, not an accident: it agrees with the attack the story holds.
    A flood in rebel-held areas is still a flood."""
    fams = families(kinds)
    if kinds & {"blast", "wildfire"} and (groups or armed_actors(text)):
        return fams | {"violence"}
    return fams


def _kinds(text: str) -> frozenset[str]:
    """The kinds the text names, and a kidnapping told as people seized."""
    return kinds_in(text) | ({"kidnapping"} if captured(text) else frozenset())


def _violent(text: str, groups: frozenset[str], toll: int | None) -> bool:
    """The text tells of violence, if not its kind: the dead ("21 people were killed"), an
    armed group, fighters ("Amhara fighters take control of Debre Markos"). A market fire, an
    exam result or a clinic opening does not. Read in the whole lead: it is only asked where
    the headline and first sentence name no kind."""
    if toll is not None or groups or armed_actors(text) or killing(text):
        return True
    return bool(families(_kinds(text)) & SECURITY_FAMILIES)


def _killed_by(text: str, groups: frozenset[str]) -> frozenset[str]:
    """A killing told with its killers and no attack word ("Beni : 18 civils tués par les
    ADF", "separatists kill three gendarmes") is an attack: read as none, nothing told it from
    a clinic opening in the same town."""
    if killing(text) and (groups or armed_actors(text)):
        return frozenset({"attack"})
    return frozenset()


def _lead_kinds(first: str, given: str | None) -> frozenset[str]:
    """The kinds of event the first sentence names; when it names one, the event stage's kind
    (read from the whole report: an abduction where the sentence says "attacked") stands for
    it. Measured on real feeds (bench/cluster_feeds.py): the stage's kind in place of the
    headline's cost 13 wrong pairs (16 → 29), and where the report's first lines name no
    event it chained one country's unrelated reports; as here, it changes no bench number."""
    found = _kinds(first)
    if found and given:
        return given_kinds(given) or found
    return found


def _capital(text: str, countries: frozenset[str]) -> frozenset[str]:
    """ "Running battles in the capital": the capital of the one country the report names,
    as the other reports write it ("Nairobi")."""
    if len(countries) != 1 or not _THE_CAPITAL.search(normalise_text(text)):
        return frozenset()
    name = capital_of(next(iter(countries)))
    return frozenset(content_words(name)) if name else frozenset()


def _topic_label(title: str) -> str:
    """A headline label that names a topic, not a place ("Retraites : ", "Crue : "): outlets
    put one on every report of a running story, so two reports sharing it are one clue."""
    label, _ = headline_label(title)
    words = content_words(label)
    return " ".join(words) if words and not all(w in coarse_words() for w in words) else ""


def _label_area(title: str, towns: frozenset[str]) -> frozenset[str]:
    """A place a headline's label names, where the headline names another town ("Beni : 18
    civils tués à Oicha", "Gao : embuscade près de Bourem"): the outlet's section, the area
    around the town the event was in, so no town of its own (as a district is none)."""
    words = content_words(headline_label(title)[0])
    named = frozenset(p for p in towns if p.split("_") == words)
    return named if named and towns - named else frozenset()


def _seats(doc: StoryDoc, admin1: frozenset[str], towns: frozenset[str], text: str) -> frozenset[str]:
    """The regions this report names by the town of their name: Gao, Kayes, Tahoua, Kassala
    are each a town and the region around it. Folded to one name, the town was read as the
    region, and an attack in it joined the scene of one elsewhere in the region. The matcher
    reads the town ("in Gao", "Kassala city", a bare "Kayes : ") or only the region ("Gao
    region", "l'État de Katsina"); a division word beside the name, or a headline label
    followed by another town ("Gao : embuscade près de Bourem"), still makes it the region."""
    named = _fold_all(doc.towns) & admin1
    if not named:
        return frozenset()
    area = _label_area(doc.title, towns | named) & named
    return named - area - regions_named(named, text)


def _unlabelled(title: str) -> str:
    """A headline without a section label of country or region names ("Africa: ", "Mali : "):
    every headline of a section has it, so it says nothing about which event."""
    label, rest = headline_label(title)
    if label and all(w in coarse_words() for w in content_words(label)):
        return rest
    return title


def _fold_all(names_: frozenset[str]) -> frozenset[str]:
    return frozenset(n.replace(" ", "_") for n in (normalise_text(x) for x in names_) if n)
