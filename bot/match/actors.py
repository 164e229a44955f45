"""Armed actors named in a text: which short acronyms count ("AUC", "PDF", "FDS"), and where the
actors named say a village is ("ISWAP fighters attacked Malam Fatori": Nigeria).
"""

from __future__ import annotations

from bot.match import cues
from bot.match.groups import GroupInfo
from bot.match.hits import COMMON_WORD, TOWN, Hit, Resolved, Text
from bot.match.index import PLACE, letters

MAX_HOMES = 5  # an actor of more home countries (FDS: six states' forces) says no one country


def bare_acronym(h: Hit) -> bool:
    """A group named only by an acronym of at most three letters ("AUC", "PDF", "IS")."""
    word = letters(h.surface)
    return len(word) <= 3 and word.isupper()


class Actors:
    def __init__(self, groups: tuple[GroupInfo, ...], region_countries: tuple[frozenset[str], ...]):
        self.groups = groups
        self.countries = [g.countries for g in groups]
        self.region_countries = region_countries

    def active(self, out: Resolved) -> None:
        """Where the actors named operate. A group named in full with few home countries makes
        them `active`; a bare acronym or a force of many states (FDS) only `weak_active`: it
        places a village only where a place word names it ("le poste de Makalondi")."""
        for idx, h in out.groups:
            countries = self.countries[idx]
            strong = len(countries) <= MAX_HOMES and not bare_acronym(h)
            for cc in countries:
                (out.active if strong else out.weak_active).setdefault(cc, h.surface)

    def where_active(self, t: Text, h: Hit, out: Resolved):
        """A village no country backs, whose namesakes in the home countries of an actor the text
        names are all in one of them ("ISWAP fighters attacked Malam Fatori"): the actor says
        where, as an aid worker reading the note would assume. An actor that says little (a bare
        acronym, FDS) does so only for a name a place word marks as a place, all of whose
        namesakes lie in its countries."""
        geo = h.info.geo
        active = out.active
        if not active.keys() & h.info.geo_countries:
            active = out.weak_active
            if not h.place_word or any(r.country not in active for r in geo):
                return None
        if h.common >= COMMON_WORD - 10 or any(r.pop >= TOWN and r.country not in active for r in geo):
            return None  # an everyday word, or a sizeable town elsewhere
        inside = [r for r in geo if r.country in active]
        if len({r.country for r in inside}) != 1 or t.after_name(h) or cues.first_name(t, h):
            return None
        if cues.longer_name(t, h) and all(r.pop < TOWN and r.level == 0 for r in inside):
            return None  # "Baga Sola": one name the gazetteer lacks, not a village "Baga"
        best = max(inside, key=lambda r: (r.kind == PLACE, cues.fits(r, h), r.pop))
        return best, f"in {best.country}, where {active[best.country]} is active"

    def backs(self, h: Hit, out: Resolved) -> bool:
        """Whether an actor named may place this otherwise unbacked village (see `where_active`)."""
        geo_cc = h.info.geo_countries
        return not geo_cc.isdisjoint(out.active) or (h.place_word and not geo_cc.isdisjoint(out.weak_active))

    def homes(self, t: Text, out: Resolved) -> list[tuple[Hit, str]]:
        """Where the armed groups named are based, for a text nothing else places: a group of one
        home country names it ("TROOPS KILL 40 UNITA REBELS": Angola), as state forces name
        theirs; one of several its `main` one where the catalogue gives it (al-Shabaab:
        Somalia), unless the text names what may be a place in another of them ("Boko Haram
        … near Kaiga Kindjiria (Lac)": Chad's Lac). A group active alike in several (JNIM)
        says no one country."""
        found = []
        for idx, h in out.groups:
            g = self.groups[idx]
            others = set(g.countries) - {g.home}
            if g.home and not any(others & x.info.geo_countries for x in t.hits):
                found.append((h, g.home))
        return found

    # -- peoples named as armed actors: "Fulani militia", not "Fulani herders were killed" ------

    def communities(self, t: Text, out: Resolved) -> None:
        """A community (kind community: Fulani, Tiv, Toubou) is a side only where the text calls
        its men armed ("Fulani militiamen", "milices peules", "armed Tiv youths"): the same name
        far more often names victims, villagers or herders."""
        out.groups = [
            (idx, h)
            for idx, h in out.groups
            if idx >= len(self.groups) or not self.groups[idx].community or cues.armed_people(t, h)
        ]

    # -- acronyms that need support: AUC, PDF, ASG ---------------------------------------------

    def acronyms(self, t: Text, out: Resolved) -> None:
        named = {idx for idx, h in out.groups if not bare_acronym(h)}
        countries = set(out.countries) | set(out.focus)
        for idx, _ in out.regions:
            if idx < len(self.region_countries):
                countries |= self.region_countries[idx]
        out.groups = [
            (idx, h)
            for idx, h in out.groups
            if not bare_acronym(h) or self._supported(t, idx, h, named, countries, out)
        ]

    def _supported(self, t: Text, idx: int, h: Hit, named: set[int], countries: set[str], out) -> bool:
        g = self.groups[idx] if idx < len(self.groups) else None
        if g is None:
            return True
        if cues.expanded_otherwise(t, h, (g.canonical, *g.aliases)):
            return False
        if idx in named or cues.fighter_word_after(t, h) or countries & set(g.countries):
            return True
        for other, _ in out.groups:
            o = self.groups[other]
            if other != idx and (
                set(o.countries) & set(g.countries)
                or g.canonical in (o.affiliation, o.canonical)
                or (g.affiliation and g.affiliation in (o.affiliation, o.canonical))
            ):
                return True
        return False
