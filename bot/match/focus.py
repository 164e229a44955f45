"""The country a text is about, by explainable votes, before each place name is read under it
(the way geoparsers such as Mordecai infer a text's country focus first).

Votes: a country named (3) or a demonym (2); a division name (province, commune, admin1) of
one country (2, split between countries when it has namesakes and nothing else decides); an
armed group's home countries (1, split; not a bare short acronym without a fighter word; actors
named together, the one home country they share, 1); a
town name of at most two countries that is not an everyday word (0.5, split); the source's own
country (1). A demonym of people or forces beside a place of another country votes for that
country instead (bot/match/abroad.py).
A dateline votes nothing: it says where the report was filed, not what it is about.
"""

from __future__ import annotations

from collections import defaultdict

from bot.match import cues
from bot.match.hits import COMMON_WORD, Hit, Resolved, Text
from bot.match.hits import TOWN as TOWN_POP
from bot.match.index import ADMIN1

NAMED, DEMONYM, DIVISION, GROUP, TOWN, SOURCE = 3.0, 2.0, 2.0, 1.0, 0.5, 1.0
FOCUS_MIN = 1.0  # a focus country needs at least this much, and half the leader's votes


def vote_towns(towns: list[Hit], out: Resolved) -> None:
    for h in towns:
        info = h.info
        if (
            not info.geo
            or (h.common >= COMMON_WORD and not (info.division_order and _capital_division(h)))
            or (h.meant_countries and set(h.meant_countries) & set(out.countries))
        ):
            continue
        divisions = info.division_order  # sorted: a set's order changes from one process to the next
        if divisions and (h.common < COMMON_WORD - 10 or h.division) and not _town_elsewhere(h, divisions):
            kind = "division" if len(divisions) == 1 else "shared"  # settled in `_shared_divisions`
            for cc in divisions:
                out.votes.append((cc, DIVISION / len(divisions), kind, h))
        elif len(info.geo_order) <= 2 and h.common < COMMON_WORD - 10:
            for cc in info.geo_order:
                out.votes.append((cc, TOWN / len(info.geo_order), "town", h))


def _town_elsewhere(h: Hit, divisions: tuple[str, ...]) -> bool:
    """ "Explosion at Kaya market": with no division word, a name that is a sizeable town of
    another country (Kaya, Burkina Faso, 66,000 people) larger than any of that name where its
    divisions lie (a department of Chad) is that town as likely: it casts no division's vote."""
    if h.division is not None or any(r.kind == ADMIN1 for r in h.info.geo):
        return False  # an admin1 ("Borno") outweighs any town named like it
    home = max((r.pop for r in h.info.geo if r.country in divisions), default=0)
    return any(r.pop >= TOWN_POP and r.pop > home and r.country not in divisions for r in h.info.geo)


def _capital_division(h: Hit) -> bool:
    """An everyday word written as a division's name: "province du Lac", "Centre region"."""
    return h.division is not None and h.surface[:1].isupper()  # most have no division word


def vote_groups(out: Resolved, group_countries: list[tuple[str, ...]], needs_support, t: Text) -> None:
    """A bare acronym votes only when a fighter word says it is the armed actor ("VDP patrol",
    "soldats des FAN"); one used in many countries (FDS: six) never votes alone. Actors named
    together whose home countries share only one ("FDS and VDP": Burkina Faso) vote for it once,
    however little each says alone."""
    silent = None
    for idx, h in out.groups:
        countries = group_countries[idx]
        if countries and len(countries) <= 5 and not (needs_support(h) and not cues.fighter_word_after(t, h)):
            for cc in countries:
                out.votes.append((cc, GROUP / len(countries), "group", h))
        elif countries and silent is None:
            silent = h
    if silent is not None and len({idx for idx, _ in out.groups}) > 1:
        common = set.intersection(*(set(group_countries[idx]) for idx, _ in out.groups))
        if len(common) == 1:
            out.votes.append((common.pop(), GROUP, "together", silent))


def settle(out: Resolved, source_country: str | None) -> None:
    if source_country:
        out.votes.append((source_country, SOURCE, "source", None))
    if not out.votes:
        return
    _shared_divisions(out)
    totals: dict[str, float] = defaultdict(float)
    for cc, w, _, _ in out.votes:
        totals[cc] += w
    if not totals:
        return
    top = max(totals.values())
    out.focus = {cc: w for cc, w in totals.items() if w >= FOCUS_MIN and w >= top / 2}


def _shared_divisions(out: Resolved) -> None:
    """A division name of two countries ("Comoé": a Burkinabe province and an Ivorian district)
    votes split only when the rest of the text does not decide between them; when it favours one,
    the whole vote goes there. Otherwise half a vote for the wrong country could put it in focus
    beside a text plainly about the other."""
    shared = [v for v in out.votes if v[2] == "shared"]
    if not shared:
        return
    rest: dict[str, float] = defaultdict(float)
    for cc, w, kind, _ in out.votes:
        if kind != "shared":
            rest[cc] += w
    votes = [v for v in out.votes if v[2] != "shared"]
    for h in {id(v[3]): v[3] for v in shared}.values():
        countries = sorted((cc for cc, _, _, other in shared if other is h), key=lambda cc: -rest[cc])
        if len(countries) > 1 and rest[countries[0]] > rest[countries[1]]:
            votes.append((countries[0], DIVISION, "shared", h))
        else:  # nothing else decides: split, as for any namesakes
            votes += [(cc, DIVISION / len(countries), "division", h) for cc in countries]
    out.votes[:] = votes


def unplaced(out: Resolved, borders: list, forces: list, homes: list[tuple[Hit, str]]) -> None:
    """No place and no country named as where: the country of the forces that acted
    ("Nigerian troops kill 30 bandits"), else where the armed groups named are based (`homes`,
    bot/match/actors.py: "UNITA rebels", "Taliban kill 5 policemen"), else a neighbour named as
    a border ("clashes near the Malian border"), each only when nothing before it says more.
    Their votes add no weight; `out.implied` keeps what gave each country, for the *Why* line."""
    for h, r in forces:
        out.countries[r.country] = None  # its vote was cast when read
        out.implied.setdefault(r.country, ("forces", h))
    for kind, found in (("home", homes), ("border", [(h, r.country) for h, r in borders])):
        if out.countries:
            return
        for h, cc in found:
            out.countries[cc] = None
            out.implied.setdefault(cc, (kind, h))
            out.votes.append((cc, 0.0, kind, h))


def explain(out: Resolved) -> dict:
    """The votes in words, for `match --explain`."""
    why = {
        "country": "country named",
        "demonym": "demonym",
        "division": "division name",
        "shared": "division name of several countries, the one the rest of the text favours:",
        "group": "armed group's home country",
        "together": "the one home country of the actors named together, with",
        "town": "town name",
        "source": "the source's country",
        "region": "region inside it",
        "force": "its state forces",
        "border": "only named as a border",
        "abroad": "people from elsewhere named beside a place of it:",
        "home": "nothing else names a country: the armed group's home (its main one of several)",
    }
    votes = [
        {"country": cc, "weight": round(w, 2), "why": f'{why[kind]} "{h.surface}"' if h else why[kind]}
        for cc, w, kind, h in out.votes
    ]
    return {"countries": sorted(out.focus, key=lambda c: -out.focus[c]), "votes": votes}
