"""What the words around a name say: a dateline (where the report was filed), a division word
("Soum province", "cercle de Douentza"), a place word ("the village of", "market"), a chain of
nested places ("Garanga (Garango, Boulgou)"), a first name before a surname, an acronym that
stands for something else ("African Union Commission (AUC)"), a people's name that is no
village ("Fulani herders").
"""

from __future__ import annotations

import itertools
import re

from bot.match.fold import fold
from bot.match.hits import (
    ADMIN1_WORDS,
    BELOW_WORDS,
    CALENDAR,
    JOINS,
    PLACE_AFTER,
    PLACE_BEFORE,
    Hit,
    Reading,
    Text,
    words,
)
from bot.match.index import ADMIN1, PLACE

PEOPLES = words()["peoples"]

# Possessive (*+, {m,n}+): what follows a word (a space, comma, bracket or dash) can never be
# part of one, so giving letters or words back never finds a match, and a line that is no
# dateline fails at once instead of trying every split of its first words.
_WORD = r"[A-Z][\w'’.]*+(?:-[\w'’.]++)*+"
# "NAIROBI, Kenya (Reuters) —", "Addis Ababa --", "[Dabanga] Khartoum —": at the start of the
# text or of its second line (the body after the title), a place of at most four words, maybe
# its country and an agency, then a dash.
_DATELINE = re.compile(
    rf"[ \t]*+(?:\[[^\]\n]{{1,60}}\][ \t]*+)?(?P<place>{_WORD}(?:[ \t]{_WORD}){{0,3}}+)"
    rf"(?:,[ \t]*+(?P<country>{_WORD}(?:[ \t]{_WORD}){{0,2}}+))?"
    r"[ \t]*+(?:\([A-Za-z][\w .&'’-]{0,30}\))?[ \t]*+(?:—|–|--|-)[ \t]"
)


def dateline(text: str) -> tuple[int, int, str, str | None] | None:
    """(start, end, place, country as written) of a dateline, if the text has one."""
    starts = [0]
    nl = text.find("\n", 0, 400)
    if nl >= 0:
        starts.append(nl + 1)
    for start in starts:
        head = text[start : start + 160]
        if "-" not in head and "—" not in head and "–" not in head:
            continue  # no dash near the line's start: no dateline (most texts)
        m = _DATELINE.match(text, start)
        if m:
            return m.start("place"), m.end(), m.group("place"), m.group("country")
    return None


# BBC Monitoring's attribution of a broadcast or agency report: "Radio Gaalkacyo, Gaalkacyo, in
# Somali 1015 gmt 1 Feb 10", "Source: TRT TV, Ankara, in Turkish 1700 gmt". The city (and the
# outlet's name before it) says where the broadcaster is, not where the events are: like the
# source's own country, a weak vote for the text's country.
_CITATION = re.compile(
    r",[ \t]*(?P<place>[A-Z][\w'’.-]*+(?:[ \t][A-Z][\w'’.-]*+){0,3}+),[ \t]+in[ \t]+[A-Z][a-z]++"
    r"(?:[ \t][A-Z][a-z]++)?[ \t]+\d{3,4}[ \t]*(?i:gmt)\b"
)
_OUTLET_MAX = 100  # characters of an outlet's name before its city


def citations(text: str) -> list[tuple[int, int, str]]:
    """(start, end, city) of each such attribution: from the outlet's name (after the last line
    break, semicolon, quote, bracket, slash or sentence end) to "gmt"."""
    if "gmt" not in text and "GMT" not in text:
        return []  # most texts: one quick look
    out = []
    for m in _CITATION.finditer(text):
        lo = max(0, m.start() - _OUTLET_MAX)
        marks = [
            i + len(c)
            for c in ("\n", ";", '"', "(", "/", ". ", ": ")
            if (i := text.rfind(c, lo, m.start())) >= 0
        ]
        start = max(marks, default=0 if lo == 0 else m.start())  # no mark: the text's start, or the city
        out.append((start, m.end(), m.group("place")))
    return out


_GAP_WORDS = frozenset(
    {w for phrase in ADMIN1_WORDS | BELOW_WORDS for w in phrase.split()}
    | JOINS
    | {"dans", "in", "the", "le", "les", "near", "pres", "a", "au", "en", "and"}
)


def chains(t: Text, towns: list[Hit]) -> list[list[Hit]]:
    """Runs of town names joined only by commas, brackets and division words: "Garanga
    (Garango, Boulgou)", "Kouli, dans le cercle de Tenenkou (région de Mopti)"."""
    out: list[list[Hit]] = []
    run = [towns[0]]
    ft = t.folded.text
    for prev, h in itertools.pairwise(towns):
        # The gap in the original text only for names close enough (spans cost a search each).
        gap = t.text[prev.span[1] : h.span[0]] if h.first - prev.last < 40 else ""
        if ("," in gap or "(" in gap) and _gap_ok(ft[prev.last : h.first].split(), gap):
            run.append(h)
            continue
        if len(run) > 1:
            out.append(run)
        run = [h]
    if len(run) > 1:
        out.append(run)
    return out


def _gap_ok(gap_words: list[str], gap: str) -> bool:
    """Only commas, brackets and division words between two names; or, in a bracket, one
    capitalised name the gazetteer lacks: "Tizegorou (Intazayene, Tillia)", where the commune
    is unknown but the bracket still places the village in Tillia."""
    unknown = [w for w in gap_words if w.lower() not in _GAP_WORDS]
    if not unknown:
        return True
    return (
        len(unknown) <= 3  # "Tin-Akoff" folds to two words
        and all(w[:1].isupper() for w in unknown)
        and "(" in gap
        and gap.count(",") == 1
    )


def inside(low: Reading, up: Reading) -> bool:
    """Whether a place reading lies in (or is) the one named after it in a chain."""
    if low.country != up.country or low is up:
        return low is up
    if up.kind == ADMIN1:
        return low.admin1 == up.idx
    if low.kind == ADMIN1 or up.admin1 < 0 or low.admin1 != up.admin1:
        return False
    if low.admin2 >= 0 and up.admin2 >= 0:
        return low.admin2 == up.admin2
    return True


def fits(r: Reading, h: Hit) -> bool:
    """The reading is of the kind a division word next to the name says ("Mopti region": an
    admin1; "Soum province", "cercle de Douentza": a division below admin1)."""
    if h.division is None:
        return r.level == 0 and r.kind == PLACE and h.place_word
    if h.division == "admin1":
        return r.kind == ADMIN1
    return r.level > 0 or r.kind == ADMIN1


def first_name(t: Text, h: Hit) -> bool:
    """Followed by an unknown capitalised word in running text (not a headline's capitals)."""
    pos = h.span[0]
    if not t.folded.cased or t.shouting(pos) or t.title_case(pos):
        return False
    hits_at = {x.first for x in t.hits} if t.hits else set()
    return before_name(t, h, hits_at)


def longer_name(t: Text, h: Hit) -> bool:
    """Another capitalised word, known or not, that is no division word, weekday or month,
    follows in running text: "Baga Sola", "Kouri Bougoudi" are one name the gazetteer may lack,
    not "Baga" or "Kouri" ("Kano State" is Kano; "Maiduguri Monday" is Maiduguri on a Monday)."""
    if h.division or not name_follows(t, h):
        return False
    nxt = t.folded.word_after(h.last)
    return nxt is not None and t.folded.text[nxt[0] : nxt[1]].lower() not in CALENDAR


def name_follows(t: Text, h: Hit) -> bool:
    """Another capitalised word follows after one space, known or not, in running text
    ("Souleymane Cissé"): the name may be a person's first name."""
    folded = t.folded
    nxt = folded.word_after(h.last)
    if nxt is None or not folded.cased:
        return False
    word = folded.text[nxt[0] : nxt[1]]  # the word before the line's case: most are lower-case
    if not word[:1].isupper() or (len(word) > 1 and word.isupper()) or word.lower() in PLACE_AFTER:
        return False
    if t.shouting(h.span[0]) or t.title_case(h.span[0]):
        return False
    return t.text[h.span[1] : folded.span(*nxt)[0]] == " "


def before_name(t: Text, h: Hit, hits_at: set[int]) -> bool:
    """A name followed by an unknown capitalised word is most often a first name ("Amani
    Abeid", "Chad Smith")."""
    folded = t.folded
    nxt = folded.word_after(h.last)
    if nxt is None or nxt[0] in hits_at:
        return False
    word = folded.text[nxt[0] : nxt[1]]
    if not word[:1].isupper() or (len(word) > 1 and word.isupper()) or word.lower() in PLACE_AFTER:
        return False
    s, _ = folded.span(*nxt)
    return t.text[h.span[1] : s].strip() == ""


_FIGHTERS, _FIGHTERS_BEFORE = words()["fighter_words"], words()["fighter_words_before"]
_FIGHTERS_OF, _OF = words()["fighter_words_of"], ("des", "du", "de", "of", "the")


_FORCES = words()["force_words"]
_LINKED_AFTER = re.compile(r"[-‐‑– ](?:linked|affiliated|allied|aligned|inspired|affiliate)\b", re.I)
_LINKED_BEFORE = re.compile(
    r"\b(?:linked|tied|ties|links|affiliated|allied|loyal|loyalty|allegiance|affiliate)"
    r"\s+(?:to|with|of)\s+(?:the\s+)?$",
    re.I,
)


def drop_linked(t: Text, out) -> None:
    """ "al-Qaeda-linked al-Shabaab", "JNIM, affiliated with al-Qaeda": a group named only as
    what the actor is tied to is not the actor, when the text names the actor too (a watch on
    the franchise still matches its affiliates)."""
    if len({idx for idx, _ in out.groups}) < 2:
        return
    text = t.text
    kept = [
        (idx, h)
        for idx, h in out.groups
        if not (
            _LINKED_AFTER.match(text, h.span[1])
            or _LINKED_BEFORE.search(text, max(0, h.span[0] - 30), h.span[0])
        )
    ]
    if kept:
        out.groups = kept


def force_after(t: Text, h: Hit) -> bool:
    """ "Russian shelling", "Israeli airstrike", "Pakistani troops": a demonym naming who acted."""
    nxt = t.folded.word_after(h.last)
    return nxt is not None and t.folded.text[nxt[0] : nxt[1]].lower() in _FORCES


def fighter_word_after(t: Text, h: Hit) -> bool:
    """ "ADF rebels", "LRA kill", "targets IS": the acronym names an armed actor here."""
    ft = t.folded.text
    nxt = t.folded.word_after(h.last)
    prev = t.folded.word_before(h.first)
    if (nxt is not None and ft[nxt[0] : nxt[1]].lower() in _FIGHTERS) or (
        prev is not None and ft[prev[0] : prev[1]].lower() in _FIGHTERS_BEFORE
    ):
        return True
    if prev is None or ft[prev[0] : prev[1]].lower() not in _OF:  # "soldats des FAN"
        return False
    if ft[prev[0] : prev[1]].lower() == "the" and (p2 := t.folded.word_before(prev[0])):
        prev = p2 if ft[p2[0] : p2[1]].lower() == "of" else prev  # "elements of the FDS"
    before = t.folded.word_before(prev[0])
    return before is not None and ft[before[0] : before[1]].lower() in _FIGHTERS_OF


_ARMED_AFTER, _ARMED_BEFORE = words()["armed_people_after"], words()["armed_people_before"]


def armed_people(t: Text, h: Hit) -> bool:
    """ "Fulani militia", "suspected Fulani gunmen", "milices peules", "Fulani Ethnic Militia":
    a people's name that names armed men, not the people."""
    if _ARMED_AFTER & set(fold(h.surface).split()):
        return True
    ft = t.folded.text
    nxt = t.folded.word_after(h.last)
    prev = t.folded.word_before(h.first)
    return (nxt is not None and ft[nxt[0] : nxt[1]].lower() in _ARMED_AFTER) or (
        prev is not None and ft[prev[0] : prev[1]].lower() in _ARMED_BEFORE
    )


def expanded_otherwise(t: Text, h: Hit, aliases: tuple[str, ...]) -> bool:
    """ "African Union Commission (AUC)": the words before the bracket spell the acronym, and
    they are none of the group's names."""
    start, _ = h.span
    text = t.text
    if text[start - 1 : start] != "(":
        return False
    acronym = h.surface
    before = re.findall(r"[\w'’-]+", text[max(0, start - 120) : start - 1])
    initials = [w for w in before if w[:1].isupper() or w.lower() not in {"of", "the", "for", "and", "de"}]
    n = len(acronym)
    phrase = initials[-n:]
    if len(phrase) < n or "".join(w[0] for w in phrase).upper() != acronym.upper():
        return False
    names = {fold(a) for a in aliases}
    return not any(
        fold(" ".join(before[i:])) in names for i in range(max(0, len(before) - n - 3), len(before))
    )


_ABROAD, _RETURN = words()["people_abroad"], words()["people_return"]


def people_named(t: Text, h: Hit) -> bool:
    """ "Sudanese refugees", "Malian Fulani herders", "réfugiés soudanais", "des soldats
    burkinabè": a demonym describing people, who may be far from home."""
    ft, folded = t.folded.text, t.folded
    nxt = folded.word_after(h.last)
    if nxt is not None and ft[nxt[0] : nxt[1]].lower() in PEOPLES:  # "Malian Fulani herders"
        nxt = folded.word_after(nxt[1])
    prev = folded.word_before(h.first)
    if prev is not None and ft[prev[0] : prev[1]].lower() in PEOPLES:  # "éleveurs peuls maliens"
        prev = folded.word_before(prev[0])
    for noun, end in ((nxt, nxt and nxt[1]), (prev, h.last)):
        if noun is not None and ft[noun[0] : noun[1]].lower() in _ABROAD:
            verb = folded.word_after(end)  # going home: "refugees return to …", "soldats rentrés"
            return verb is None or ft[verb[0] : verb[1]].lower() not in _RETURN
    return False


def capital_after_article(h: Hit) -> bool:
    """ "the Sahel", "la Corne de l'Afrique": a region name whose article is in lower case."""
    words = h.surface.split(None, 1)
    return len(words) == 2 and words[0].lower() in ("the", "la", "le", "les", "l") and words[1][:1].isupper()


def people(t: Text, h: Hit) -> bool:
    """ "Fulani herders", "Dogon villagers": a people's name before a lower-case word (no comma
    between, not a place or division word) names people, not the village of that name."""
    folded = t.folded
    if h.last - h.first > 11 or folded.text[h.first : h.last].lower() not in PEOPLES:
        return False
    nxt = folded.word_after(h.last)
    if nxt is None or not folded.cased:
        return False
    word = folded.text[nxt[0] : nxt[1]]
    end = h.span[1]
    return (
        word[:1].islower()
        and word not in PLACE_AFTER
        and word not in ADMIN1_WORDS | BELOW_WORDS
        and t.text[end : end + 1] == " "
    )


def apposed(t: Text, hits: list[Hit]) -> dict[int, str]:
    """Towns a demonym describes: "the Nigerien village of Kobi", "Kobi, une localité
    nigérienne", "la ville malienne de Léré" (id of the town's hit → the demonym's country)."""
    out: dict[int, str] = {}
    demonyms = [d for d in hits if len(d.info.meant_no_actor) == 1]
    if not demonyms:
        return out
    ft = t.folded.text.lower()
    for d in demonyms:
        cc = d.info.meant_no_actor[0]
        for h in hits:
            if not h.town or cc not in h.info.geo_countries:
                continue
            if d.last <= h.first:  # the demonym first: the word before it counts too
                words = ft[max(0, d.first - 12) : d.first].split()[-1:] + ft[d.last : h.first].split()
            else:  # the town first: the word after the demonym counts too
                words = ft[h.last : d.first].split() + ft[d.last : d.last + 12].split()[:1]
            if len(words) <= 4 and not _PLACE_WORDS.isdisjoint(words):
                out[id(h)] = cc
    return out


_PLACE_WORDS = (PLACE_BEFORE | PLACE_AFTER) - {"near", "outside", "pres", "environs", "attack", "attacks"}
