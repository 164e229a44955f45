"""The names found in a text, as hits: each name's readings (what the index stores under it,
read once per name and cached) and what the way it is written says (its case, an acronym, a
date), so that the resolver weighs only what can matter."""

from __future__ import annotations

from bot.match.fold import capitalised as is_capitalised
from bot.match.fold import longest_first
from bot.match.hits import (
    _PARTICLE_AT,
    COMMON_WORD,
    FAR_CITY,
    METROPOLIS,
    TOWN,
    Hit,
    KeyInfo,
    Reading,
    Text,
    _acronym,
    _written_as,
)
from bot.match.index import ADMIN1, COUNTRY, DEMONYM, PLACE, Index, unref


class Names:
    def __init__(self, index: Index):
        self.ix = index
        self.scanner = index.scanner
        self._keys: dict[int, KeyInfo] = {}

    def key_info(self, key: int, name: str) -> KeyInfo:
        """`name`: the key as found in a folded text."""
        info = self._keys.get(key)
        if info is None:
            ix = self.ix
            readings = tuple(self.reading(*unref(r)) for r in ix.readings(key))
            alone = self._may_stand_alone(readings, ix.common[key])
            info = self._keys[key] = KeyInfo.of(readings, name, ix.exact.get(key), ix.common[key], alone)
        return info

    @staticmethod
    def _may_stand_alone(readings: tuple[Reading, ...], common: int) -> tuple[bool, bool]:
        """Whether _unsupported could accept any town or admin1 reading of a name this common
        (a headline capital only makes it look more common), in a text that names no country,
        and in one that names others."""
        top = max((r.pop for r in readings), default=0)
        if common >= COMMON_WORD:
            metropolis = top >= METROPOLIS and common < COMMON_WORD + 15
            return metropolis, metropolis
        admin1 = any(r.kind == ADMIN1 for r in readings)
        return top >= TOWN or admin1 or any(r.supp for r in readings), top >= FAR_CITY or admin1

    def hits(self, t: Text) -> list[Hit]:
        """Every name found, with what the words it is written with say about it."""
        ft = t.folded.text
        cased = t.folded.cased  # folded letters have the original's case: "Mali", not "MALI"
        known = self._keys.get
        out = []
        add = out.append
        for first, last, key in longest_first(self.scanner.scan(ft, self.ix.klen)):
            info = known(key) or self.key_info(key, ft[first:last])
            if (  # most names: a capitalised town, nothing else
                info.plain
                and ft[first].isupper()
                and not (info.short and not (cased and ft[first + 1 : last].islower()))
            ):
                add(
                    Hit(
                        t,
                        info,
                        first,
                        last,
                        True,
                        info.common,
                        info.readings,
                        not info.has_region,
                        info.meant,
                    )
                )
            elif h := self._prepare(t, first, last, info):
                add(h)
        return out

    def _prepare(self, t: Text, first: int, last: int, info: KeyInfo) -> Hit | None:
        folded = t.folded
        if info.ignored:
            return None
        # Folding keeps case, so most names are judged on the folded text; only a name in lower
        # case there that may follow an article ("al-Hasakah") or, in text that is not ASCII,
        # have lost a capital folding could not keep, needs its original surface.
        h = Hit(t, info, first, last, folded.text[first].isupper(), info.common, info.readings)
        if not h.capitalised and (not folded.ascii or _PARTICLE_AT.match(folded.text, first, last)):
            h.capitalised = is_capitalised(h.surface)
        if info.place_only and not h.capitalised:
            return None  # decided cheaply: the text has "say", not "Say"
        # Group and country names that are also words count only as written ("IS", not "is"),
        # and a common one not even so in shouting capitals.
        actors = info.exact is None or (
            _written_as(t, h, info.exact) and not (info.common >= COMMON_WORD and t.shouting(h.span[0]))
        )
        if not actors:
            h.readings = info.no_actor
        if info.geo:  # may it be a town here?
            # (An acronym's folded letters are capitals too, where folding kept every case.)
            if (
                (actors and info.has_group)
                or info.calendar
                or (
                    info.short
                    and (not folded.cased or folded.text[first:last].isupper())
                    and _acronym(h.surface)
                    and not t.shouting(h.span[0])
                )
            ):
                # A group's name is not a town ("Fano" the militia), nor is an acronym or a date.
                h.readings = info.no_geo if actors else info.neither
            else:
                h.town = h.capitalised and not info.has_region
                h.meant_countries = info.meant if actors else info.meant_no_actor
        return h if h.readings else None

    def reading(self, kind: int, idx: int) -> Reading:
        ix = self.ix
        if kind == PLACE:
            return Reading(
                kind,
                idx,
                ix.p_cc[idx],
                ix.p_pop[idx],
                ix.p_admin1[idx],
                bool(ix.p_supp[idx]),
                ix.p_level[idx],
                ix.p_admin2[idx],
            )
        if kind == ADMIN1:
            return Reading(kind, idx, ix.a_cc[idx])
        if kind in (COUNTRY, DEMONYM):
            return Reading(kind, idx, ix.c_code[idx])
        return Reading(kind, idx, "")
