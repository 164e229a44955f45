"""From raw name hits to mentions: which reading of each name the text supports, and why.

Evidence order: names that can only mean one country (Nigeria, Malian) first; then ambiguous
country names (Chad, Mali, Niger) when the text backs them; then admin1 and towns, each read
in a country the text supports, else only when the name is unique, rare as a word and large.
"""

from __future__ import annotations

from functools import lru_cache

from bot.match import abroad, cues, focus
from bot.match.actors import Actors, bare_acronym
from bot.match.fold import fold
from bot.match.groups import GroupInfo
from bot.match.hits import (
    _POP,
    BIG_TOWN,
    COMMON_WORD,
    FAR_CITY,
    METROPOLIS,
    TOWN,
    Hit,
    Reading,
    Resolved,
    Text,
    _actor,
    _after_cue,
    _border,
    _next_to_name,
    _possessive,
)
from bot.match.index import ADMIN1, ALT_MIN_POP, COUNTRY, DEMONYM, GROUP, PLACE, REGION, Index
from bot.match.prepare import Names
from bot.models import Admin1, Place


class Resolver:
    def __init__(
        self,
        index: Index,
        ambiguous_countries: set[str],
        groups: tuple[GroupInfo, ...] = (),
        region_countries: tuple[frozenset[str], ...] = (),
        region_homes: tuple[str | None, ...] = (),
    ):
        self.ix = index
        self.ambiguous = ambiguous_countries
        self.groups = groups
        self.group_countries = [g.countries for g in groups]
        self.region_countries = region_countries
        self.region_homes = region_homes  # the one country a region lies in ("Darfur": SD), or None
        self.actors = Actors(groups, region_countries)
        self.names = Names(index)
        self.scanner = index.scanner
        self._admin1: dict[int, Admin1] = {}  # admin1 values are few and asked for often
        self.place_facts = lru_cache(maxsize=4096)(self._facts_of)  # news names the same towns

    def resolve(self, text: str | Text, source_country: str | None = None) -> Resolved:
        t = text if isinstance(text, Text) else Text(text)
        text = t.text
        hits = self.names.hits(t)
        out = Resolved()
        dl = cues.dateline(text) if hits else None
        if dl is not None and self._dateline(dl, out):
            hits = [h for h in hits if h.first > dl[1] + 1 or h.span[0] >= dl[1]]  # filed from, not about
        cited = cues.citations(text) if hits else ()
        if cited:  # "Radio X, Gaalkacyo, in Somali 1015 gmt": the broadcaster's city, not the news
            hits = [h for h in hits if not any(s <= h.span[0] < e for s, e, _ in cited)]
            out.votes += [
                (cc, focus.SOURCE, "source", None) for *_, city in cited if (cc := self._town_country(city))
            ]
        t.hits = hits
        self._groups_and_regions(hits, out)
        self.actors.communities(t, out)
        cues.drop_linked(t, out)  # "al-Qaeda-linked al-Shabaab": the actor is al-Shabaab
        self._implied_countries(out)
        towns = [h for h in hits if h.town and not cues.people(t, h)]  # not "Fulani herders"
        borders, forces = self._countries(t, hits, out, towns)
        if towns:
            focus.vote_towns(towns, out)
        if out.groups:
            focus.vote_groups(out, self.group_countries, bare_acronym, t)
            self.actors.active(out)
        focus.settle(out, source_country)
        if towns:
            if len(towns) > 1:
                self._chains(t, towns, out)
            out.apposed = cues.apposed(t, hits) if out.countries else {}
            # A town found in pass one can back an admin1 or town in pass two; a pass that
            # found nothing would only repeat itself.
            if self._admin1_and_places(t, towns, out):
                self._admin1_and_places(t, towns, out)
            self._state_not_country(out)
        if out.groups:
            self.actors.acronyms(t, out)
        if not out.countries:
            focus.unplaced(out, borders, forces, self.actors.homes(t, out))
        return out

    # -- stage 1: groups, region names, countries ---------------------------------------------

    def _groups_and_regions(self, hits: list[Hit], out: Resolved) -> None:
        for h in hits:
            if not (h.info.has_group or h.info.has_region):
                continue
            for r in h.readings:
                if r.kind == GROUP:
                    out.groups.append((r.idx, h))
                elif r.kind == REGION and (h.capitalised or cues.capital_after_article(h)):
                    out.regions.append((r.idx, h))

    def _implied_countries(self, out: Resolved) -> None:
        """A region inside one country names it ("Darfur": Sudan), and a state's forces name
        their state ("Sudan's army": Sudan): the alias covers the country's name, so without
        this a Sudan desk would miss "Sudan's army and RSF fight on". A bare acronym ("SAF")
        needs support first, so it names nothing."""
        for idx, h in out.regions:
            home = self.region_homes[idx] if idx < len(self.region_homes) else None
            if home:
                out.countries[home] = None
                out.votes.append((home, focus.DIVISION, "region", h))
        for idx, h in out.groups:
            g = self.groups[idx] if idx < len(self.groups) else None
            if g is not None and g.state and len(g.countries) == 1 and not bare_acronym(h):
                out.countries[g.countries[0]] = None
                out.votes.append((g.countries[0], focus.DEMONYM, "force", h))

    def _dateline(self, dl: tuple[int, int, str, str | None], out: Resolved) -> bool:
        """Reads a dateline's place (not a country: "Sudan -" is a topic); True if it is one."""
        start, _, name, country = dl
        readings = self.ix.refs_of(name)
        if not readings or any(k in (COUNTRY, DEMONYM) for k, _ in readings):
            return False
        wanted = (
            {self.ix.c_code[i] for k, i in self.ix.refs_of(country) if k == COUNTRY} if country else set()
        )
        towns = [self.names.reading(k, i) for k, i in readings if k == PLACE]
        towns = [r for r in towns if r.country in wanted] or ([] if wanted else towns)
        if towns:
            best = max(towns, key=_POP)
            if wanted or best.pop >= TOWN:
                out.dateline = (best.idx, "dateline: where the report was filed", (start, start + len(name)))
        return True

    def _town_country(self, name: str) -> str | None:
        """The country of the largest town of this name (None if it is no town, or a country)."""
        readings = self.ix.refs_of(name)
        if any(k in (COUNTRY, DEMONYM) for k, _ in readings):
            return None
        towns = [self.names.reading(k, i) for k, i in readings if k == PLACE]
        return max(towns, key=_POP).country if towns else None

    def _countries(self, t: Text, hits: list[Hit], out: Resolved, towns: list[Hit]) -> tuple[list, list]:
        """Countries named; returns neighbours named as a border and demonyms of forces that acted
        at home (people and forces named beside another country's place: bot/match/abroad.py)."""
        pending, borders, forces, people = [], [], [], []
        for h in hits:
            if not h.info.names_country or _actor(t, h):
                continue
            if _border(t, h):
                borders += [(h, r) for r in h.readings if r.kind in (COUNTRY, DEMONYM)]
                continue
            if h.info.meant_no_actor and cues.force_after(t, h):
                found = [(h, r) for r in h.readings if r.kind == DEMONYM]
                forces += found
                out.votes += [_vote(r, h) for _, r in found]  # a focus vote: its towns are read there
                continue
            if h.info.meant_no_actor and cues.people_named(t, h):  # "Sudanese refugees"
                people += [(h, r) for r in h.readings if r.kind == DEMONYM]
                continue
            for r in h.readings:
                if r.kind == COUNTRY and h.capitalised and r.country in self.ambiguous:
                    pending.append((h, r))
                elif r.kind == DEMONYM or (r.kind == COUNTRY and h.capitalised):
                    out.countries[r.country] = None
                    out.votes.append(_vote(r, h))
        acted = {r.country for _, r in forces + people}  # "Malian troops … in Mali": Mali is the country
        for h, r in pending:
            if (
                r.country in out.countries
                or r.country in acted
                or _after_cue(t.folded, h)
                or _possessive(t.text, h.span[1])
                or not _next_to_name(t, h, hits)
            ):
                out.countries[r.country] = None
                out.votes.append(_vote(r, h))
        return borders, abroad.settle(t, towns, out, people, forces, self._own_name)

    def _state_not_country(self, out: Resolved) -> None:
        """ "Bandits kill 12 in Niger's Shiroro": Niger is the Nigerian state Shiroro lies in, not
        the country, when only that name gave the country and the places read lie in the state."""
        ix = self.ix
        for cc in [c for c in out.countries if c in self.ambiguous]:
            named = [v[3] for v in out.votes if v[0] == cc and v[2] == "country"]
            if not named or any(v[0] == cc and v[2] != "country" for v in out.votes):
                continue
            if any(ix.p_cc[i] == cc for i, _, _ in out.places) or any(ix.a_cc[a] == cc for a in out.admin1):
                continue
            if all(
                h is not None and any(r.kind == ADMIN1 and r.idx in out.admin1 for r in h.readings)
                for h in named
            ):
                del out.countries[cc]
                out.focus.pop(cc, None)
                out.votes = [v for v in out.votes if v[0] != cc]

    # -- chains of nested places: "Garanga (Garango, Boulgou)" -----------------------------------

    def _chains(self, t: Text, towns: list[Hit], out: Resolved) -> None:
        for run in cues.chains(t, towns):
            best: tuple | None = None
            for top in run[-1].info.geo:
                picked = [top]
                for h in reversed(run[:-1]):
                    inner = [r for r in h.info.geo if cues.inside(r, picked[-1])]
                    if not inner:
                        break
                    picked.append(
                        max(inner, key=lambda r, h=h: (cues.fits(r, h), self._own_name(r, h), r.pop))
                    )
                if len(picked) < 2:
                    continue
                # the reading the division word names, then the focus; with no division word the
                # widest division ("Ayorou, Tillabéri": the region, not the department named after
                # its capital), after "cercle", "province" one below admin1 ("Segou cercle")
                last = run[-1]
                wide = top.kind == ADMIN1 if last.division is None else top.level > 0
                weight = self._weight(top, out)
                score = (len(picked), cues.fits(top, last), weight, wide, top.division, top.pop)
                if best is None or score > best[0]:
                    best = (score, picked)
            if best is None:
                continue
            picked = best[1]
            named = run[-len(picked) :][::-1]
            upper = (
                self.ix.p_name[picked[0].idx] if picked[0].kind == PLACE else self.ix.a_name[picked[0].idx]
            )
            for h, r in zip(named, picked, strict=True):
                why = "holds the place named before it" if r is picked[0] else f"in {upper}, named beside it"
                self._take(h, r, why, out)
            if len(named) < len(run):
                self._placed_elsewhere(t, run[-len(named) - 1], named[-1], out)

    @staticmethod
    def _placed_elsewhere(t: Text, h: Hit, within: Hit, out: Resolved) -> None:
        """ "Kouka (Sebba, Yagha)", "Kouka, dans la commune de Sebba": the text places the name
        in a place it has no namesake in, so its namesakes elsewhere are not it (a list, "Kaya,
        Dori (Séno)", says nothing of Kaya)."""
        if "(" in t.text[h.span[1] : within.span[0]] or within.division:
            out.done.add(id(h))

    def _take(self, h: Hit, r: Reading, reason: str, out: Resolved) -> None:
        if r.kind == ADMIN1:
            out.admin1[r.idx] = None
        else:
            out.places.append((r.idx, h, reason))
            if r.admin1 >= 0:
                out.admin1[r.admin1] = None
        out.done.add(id(h))
        out.countries[r.country] = None

    def _weight(self, r: Reading, out: Resolved) -> float:
        return out.focus.get(r.country, 0.0) + (3.0 if r.country in out.countries else 0.0)

    # -- stage 2: admin1 and towns --------------------------------------------------------------

    def _admin1_and_places(self, t: Text, towns: list[Hit], out: Resolved) -> bool:
        """One pass over the town names not yet read as places; True if it found anything."""
        before = (len(out.countries), len(out.admin1), len(out.places))
        named_admin1 = out.admin1  # live: a place read before backs its admin1 for the next
        done = out.done
        actors = out.active or out.weak_active  # fixed in this pass: most texts name no actor
        for h in towns:
            if id(h) in done or (
                h.meant_countries and not out.countries.keys().isdisjoint(h.meant_countries)
            ):
                continue
            info = h.info
            # A place in a named admin1 is in a named country too (every admin1 found brings
            # its country), so a name none of whose countries is named or in focus has no support.
            geo_cc = info.geo_countries
            backed = not (geo_cc.isdisjoint(out.countries) and geo_cc.isdisjoint(out.focus))
            if (
                not backed
                and not (info.alone_abroad if out.countries else info.alone)
                and not (info.division_countries and h.division)
                and not (actors and self.actors.backs(h, out))
            ):
                continue  # no country in the text backs it, and it is no name to read alone
            if not t.capital_ok(h):
                continue
            pick = self._pick(t, h, out, named_admin1, backed)
            if pick is None and not backed and actors and self.actors.backs(h, out):
                pick = self.actors.where_active(t, h, out)
            if pick is None:
                continue
            r, reason = pick
            self._take(h, r, reason, out)
            if r.kind == ADMIN1:
                done.discard(id(h))  # a town of it may still be read ("Timbuktu")
        return (len(out.countries), len(out.admin1), len(out.places)) != before

    def _pick(self, t: Text, h: Hit, out: Resolved, named_admin1: set[int], backed: bool):
        """The reading of a capitalised town name that the text supports best, if any.
        `backed`: some reading is in a country the text names."""
        geo = h.info.geo
        focus = out.focus
        supported = (
            [r for r in geo if r.country in out.countries or r.country in focus or r.admin1 in named_admin1]
            if backed
            else []
        )
        if id(h) in out.apposed:  # "Kobi, une localité nigérienne": the demonym says which
            supported = [r for r in supported if r.country == out.apposed[id(h)]] or supported
        if supported and cues.name_follows(t, h) and not any(self._known_as(r, h) for r in supported):
            return None  # "Souleymane Cissé": a first name, known here only as a village's alternate
        if supported and cues.longer_name(t, h):  # "Baga Sola": not the village Baga of Niger
            supported = [r for r in supported if not self._small(r, named_admin1)]
            if not supported:
                return None
        if not supported:  # a town that follows a name is a surname, unless reviewed
            if h.info.common >= COMMON_WORD - 15:  # else a headline capital changes no answer
                t.read_capital(h)
            found = self._unsupported(h, geo, abroad=bool(out.countries) or _text_focus(out))
            if found is None or t.after_name(h) or (not h.division and cues.first_name(t, h)):
                return None
            if cues.longer_name(t, h) and self._small(found[0], named_admin1, BIG_TOWN, reviewed=False):
                return None  # "Kouri Bougoudi", with no country named: not Mali's town Kouri
            return found
        if t.after_name(h):
            supported = [r for r in supported if r.supp]
            geo = tuple(supported)
            if not supported:
                return None
        best = (
            supported[0]
            if len(supported) == 1
            else max(supported, key=lambda r: self._prior(r, h, named_admin1, out))
        )
        if best.kind == ADMIN1 and not h.division:  # "Timbuktu": the town, which also gives its admin1
            best = next((r for r in supported if r.kind == PLACE and r.admin1 == best.idx), best)
        if best.admin1 in named_admin1:
            why = "admin1 named in text"
        elif best.country in out.countries:
            why = f"{best.country} named in text"
        else:
            why = f"{best.country} is the text's focus"
        if best.kind == PLACE and len(geo) > 1:
            why += f", best of {len(geo)} readings"
        metropolis = h.info.top if geo is h.info.geo else max(geo, key=_POP)
        if (
            metropolis.pop >= METROPOLIS
            and metropolis.pop >= 100 * max(best.pop, 1)
            and best.admin1 not in named_admin1
            and not h.division
            # a state or a town called so by its own name outranks a world city named by an
            # old or other name: Edo State, not Tokyo ("Edo")
            and (self._own_name(metropolis, h) or not self._own_name(best, h))
        ):
            return metropolis, f"world city (pop. {metropolis.pop:,})"  # London, not KY
        return best, why

    def _unsupported(self, h: Hit, geo: tuple[Reading, ...], *, abroad: bool):
        """No country in the text backs any reading: keep only an unmistakable one.
        `abroad`: the text names other countries, so a town elsewhere needs to be a big city."""
        # "Soum province", "cercle de Douentza", "province du Lac": a division of one country,
        # even when its name is also an everyday word (a capital and a division word say which)
        if h.division and (h.common < COMMON_WORD or not h.weak_capital):
            divisions = [r for r in geo if r.division]
            if divisions and len({r.country for r in divisions}) == 1:
                best = max(divisions, key=lambda r: (cues.fits(r, h), r.pop))
                return best, f"division named as one ({h.division})"
        if h.common >= COMMON_WORD:
            return self._metropolis(h, geo)
        admin1 = [r for r in geo if r.kind == ADMIN1]
        if admin1 and len({r.country for r in admin1}) == 1 and (not abroad or h.common < 35):
            a = admin1[0]
            same = [r for r in geo if r.admin1 == a.idx]
            elsewhere = [r for r in geo if r.kind == PLACE and r.country != a.country and r.pop >= BIG_TOWN]
            if same:
                return max(same, key=_POP), "town and admin1 of that name"
            if not elsewhere:
                return a, "only admin1 of that name"
        places = sorted((r for r in geo if r.kind == PLACE), key=_POP, reverse=True)
        if places and not self._own_name(places[0], h) and any(self._own_name(r, h) for r in places):
            # "Miski": Chad's Miski before Russia's Myski (44,000), which has it as another name
            places = [r for r in places if r.pop >= BIG_TOWN or self._own_name(r, h)]
        if not places:
            return None
        top = places[0]
        rival = next((r.pop for r in places[1:] if r.country != top.country), 0)
        pop = top.pop
        if abroad and pop < FAR_CITY:
            return None
        if top.supp:
            return top, "reviewed supplement"
        if h.place_word and h.common < COMMON_WORD - 10 and not abroad:
            if pop >= TOWN and pop >= 5 * max(rival, 1):
                return top, f"named as a place, largest of that name (pop. {pop:,})"
            if len(places) == 1 and len(h.surface) >= 6:  # "raid Tin-Zoubaraten market"
                return top, "named as a place, the only one of that name"
        if pop >= BIG_TOWN and pop >= 20 * max(rival, 1):
            return top, f"largest place of that name (pop. {pop:,})"
        if pop >= TOWN and rival * 50 <= pop and h.common < COMMON_WORD - 10 and len(h.surface) >= 5:
            return top, f"only sizeable place of that name (pop. {pop:,})"
        return None

    def _metropolis(self, h: Hit, geo: tuple[Reading, ...]):
        """ "London", "Munich": everyday words to wordfreq, but a city of millions, capitalised
        mid-sentence, is that city."""
        top = max(geo, key=_POP)
        if (
            top.pop >= METROPOLIS
            and not h.weak_capital
            and h.common < COMMON_WORD + 15
            and fold(h.surface) == fold(self.ix.p_name[top.idx])
        ):
            return top, f"world city (pop. {top.pop:,})"
        return None

    def _prior(self, r: Reading, h: Hit, named_admin1: set[int], out: Resolved) -> tuple:
        weight = self._weight(r, out)
        if r.kind == ADMIN1:
            return (1, cues.fits(r, h), weight, 1, 0, 0, 0, 0)
        town = r.pop if r.pop >= TOWN else 0
        return (
            int(r.admin1 in named_admin1),
            cues.fits(r, h),
            weight,
            0,
            r.supp,
            town,
            self._own_name(r, h),
            r.pop,
        )

    @staticmethod
    def _small(r: Reading, named_admin1: set[int], below: int = TOWN, *, reviewed: bool = True) -> bool:
        """A place under `below` people the text says nothing else about: no division, not in an
        admin1 the text names, and (if `reviewed`) not from places.yaml."""
        small = r.kind == PLACE and r.level == 0 and r.pop < below
        return small and not (reviewed and r.supp) and r.admin1 not in named_admin1

    def _known_as(self, r: Reading, h: Hit) -> bool:
        """Named so by its own name, or a town large enough that its alternates are indexed
        whatever their source."""
        return r.pop >= ALT_MIN_POP or self._own_name(r, h)

    def _own_name(self, r: Reading, h: Hit) -> bool:
        """The name as written is the place's own, not one of its alternates: "Boni" is the Boni
        of Mopti before Bouani, a Ségou village also written Boni (sizeable towns go by size)."""
        return r.kind != PLACE or _folded(self.ix.p_name[r.idx]) == _folded(h.surface)

    # -- output ---------------------------------------------------------------------------------

    def dateline_value(self, dateline: tuple[int, str, tuple[int, int]]) -> Place:
        idx, reason, span = dateline
        return Place(*self.place_facts(idx), span, reason)

    def _facts_of(self, idx: int) -> tuple[str, str, str | None, float | None, float | None]:
        """name, country, admin1 name, latitude, longitude (None for a division known by code only)"""
        ix = self.ix
        a = ix.p_admin1[idx]
        lat, lon = ix.p_lat[idx], ix.p_lon[idx]
        known = lat == lat  # NaN for divisions from the admin2 code list
        return (
            ix.p_name[idx],
            ix.p_cc[idx],
            ix.a_name[a] if a >= 0 else None,
            round(lat, 4) if known else None,
            round(lon, 4) if known else None,
        )

    def admin1_value(self, idx: int) -> Admin1:
        value = self._admin1.get(idx)
        if value is None:
            value = self._admin1[idx] = Admin1(self.ix.a_cc[idx], self.ix.a_name[idx])
        return value


def _vote(r: Reading, h: Hit) -> tuple[str, float, str, Hit]:
    if r.kind == DEMONYM:
        return (r.country, focus.DEMONYM, "demonym", h)
    return (r.country, focus.NAMED, "country", h)


def _text_focus(out: Resolved) -> bool:
    """The text itself points to a focus country (the source's country alone is too weak to
    make every other place abroad)."""
    return any(kind != "source" and cc in out.focus for cc, _, kind, _ in out.votes)


@lru_cache(maxsize=4096)
def _folded(name: str) -> str:
    """`fold`, kept: a name is compared with each of its readings, and news names the same towns."""
    return fold(name).lower()
