"""People a demonym names far from home: "Sudanese refugees attacked near Adré" is news from
Chad, "Burkinabe soldiers killed near Tessit" from Mali. Refugees, migrants, traders, herders
and soldiers are often named by where they come from; where the text also names a place of
another country, that place says where the event was (the labelled data codes the event's
location), and the demonym votes for it rather than for its own country. With no such place
("Malian soldiers killed near Boni") the demonym names its country as before.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.match import focus
from bot.match.hits import _POP, COMMON_WORD, TOWN, Hit, Reading, Resolved, Text

RIVAL = 5  # how much larger than any namesake elsewhere a place must be to name its country
WEAK_CAPITAL = 20  # a word this common, capitalised only as its line is, says nothing
SIZEABLE = 5_000  # for forces: a village this small abroad may be one the gazetteer lacks at home


def settle(
    t: Text,
    towns: list[Hit],
    out: Resolved,
    people: list[tuple[Hit, Reading]],
    forces: list[tuple[Hit, Reading]],
    own_name: Callable[[Reading, Hit], bool],
) -> list[tuple[Hit, Reading]]:
    """Casts the votes of demonyms before a noun of people; returns the forces still at home.
    People at home name their country (a demonym's usual vote); forces keep theirs (cast when
    read), but abroad their vote goes to the place's country and they name no country."""
    home_forces = []
    for group, is_force in ((people, False), (forces, True)):
        for h, r in group:
            there = (
                set()
                if r.country in out.countries
                else _elsewhere(t, towns, out, r.country, own_name, is_force)
            )
            if there:
                if is_force:
                    out.votes[:] = [v for v in out.votes if not (v[3] is h and v[0] == r.country)]
                out.votes += [(cc, focus.DEMONYM / len(there), "abroad", h) for cc in sorted(there)]
            elif is_force:
                home_forces.append((h, r))
            else:
                out.countries[r.country] = None
                out.votes.append((r.country, focus.DEMONYM, "demonym", h))
    return home_forces


def _elsewhere(t: Text, towns: list[Hit], out: Resolved, home: str, own_name, strict: bool) -> set[str]:
    """The countries other than `home` that the text names, by name or by a place of theirs;
    none if it names a place that may be at home ("Nigerien troops … in Tillabéri region")."""
    found = {cc for cc in out.countries if cc != home}
    for h in towns:
        if h.info.names_country or not t.capital_ok(h):
            continue  # "Niger": its country reading was weighed already
        t.read_capital(h)
        if h.weak_capital and h.common >= WEAK_CAPITAL:
            continue  # "GARRISON", "THE VILLAGE" in a shouted headline
        cc = _points_to(h, home, own_name, strict)
        if cc:
            found.add(cc)
        elif home in h.info.geo_countries and h.common < COMMON_WORD - 10:
            return set()
    return found


def _points_to(h: Hit, home: str, own_name, strict: bool) -> str | None:
    """The one country other than `home` a place name means: it has no namesake at home (or only
    villages beside a sizeable town of that name abroad: Niger's hamlet Gao, beside Mali's Gao),
    and outside home it lies in one country, or its largest namesake dwarfs the others. Forces
    (`strict`) need more than a hamlet: their own village may be missing from the gazetteer."""
    info = h.info
    if not info.geo or h.common >= COMMON_WORD:
        return None
    inside = [r for r in info.geo if r.country == home]
    outside = [r for r in info.geo if r.country != home and own_name(r, h)]  # not Harrison ("Garrison")
    if not outside:
        return None
    top = max(outside, key=_POP)
    if h.common >= COMMON_WORD - 10 and top.pop < TOWN:
        return None  # a word in use ("Gao" is a town of 240,000 first)
    rival = max((r.pop for r in outside if r.country != top.country), default=-1)
    if rival >= 0 and top.pop < RIVAL * max(rival, 1):
        return None
    if inside and (top.pop < TOWN or top.pop < RIVAL * max(max(r.pop for r in inside), 1)):
        return None
    if strict and not (top.pop >= SIZEABLE or top.supp or top.division or h.division or h.place_word):
        return None
    return top.country
