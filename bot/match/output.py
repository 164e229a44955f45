"""Mentions as `match` output lines: byte for byte what orjson makes of `Mentions.to_json`,
with the JSON of each list of countries, admin1 or regions, each place and each group written
once and reused (news names the same few again and again, and building the dict per line cost
more than matching a short text)."""

from __future__ import annotations

import orjson

from bot.models import GroupMention, Mentions, Place

_MAX_CACHED = 100_000  # fragments kept; past that the cache starts again (a bound, not a tuning)


class Lines:
    def __init__(self) -> None:
        self._cache: dict[object, bytes] = {}

    def line(self, item_id: object, m: Mentions, extra: bytes = b"") -> bytes:
        """One output line, newline included; `extra` (',"key":value' JSON) goes last, as the
        `event` field does. Raises TypeError for an id orjson cannot write."""
        if m.groups:
            groups = b",".join([self._group(g) for g in m.groups if not g.state])
            forces = b",".join([self._group(g) for g in m.groups if g.state])
        else:
            groups = forces = b""
        plain = self._plain
        return b"".join(
            (
                b'{"id":',
                orjson.dumps(item_id),
                b',"countries":',
                plain(m.countries),
                b',"admin1":',
                plain(m.admin1),
                b',"places":[',
                b",".join(map(self._place, m.places)) if m.places else b"",
                b'],"regions":',
                plain(m.regions),
                b',"groups":[',
                groups,
                b'],"forces":[',
                forces,
                b'],"dateline":',
                self._place(m.dateline) if m.dateline else b"null",
                b',"implied":' + orjson.dumps(dict(m.implied)) if m.implied else b"",
                extra,
                b"}\n",
            )
        )

    def _cached(self, key: object, make) -> bytes:
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) >= _MAX_CACHED:
                self._cache.clear()
            found = self._cache[key] = make()
        return found

    def _plain(self, values: tuple) -> bytes:
        """A tuple of strings or of Admin1 (orjson writes a dataclass as its fields, in order)."""
        if not values:
            return b"[]"
        found = self._cache.get(values)
        return found if found is not None else self._cached(values, lambda: orjson.dumps(values))

    def _place(self, p: Place) -> bytes:
        facts = (p.name, p.country, p.admin1, p.lat, p.lon)
        head = self._cached((0, facts), lambda: _head(dict(zip(_PLACE_KEYS, facts, strict=True))))
        return b"%s%d,%d]}" % (head, p.span[0], p.span[1])

    def _group(self, g: GroupMention) -> bytes:
        key = (1, g.name, g.aliases, g.affiliation)  # tagged: a place's or a list's key never starts so
        head = self._cached(
            key, lambda: _head({"name": g.name, "aliases": g.aliases, "affiliation": g.affiliation})
        )
        return b"%s%d,%d]}" % (head, g.span[0], g.span[1])


_PLACE_KEYS = ("name", "country", "admin1", "lat", "lon")


def _head(fields: dict) -> bytes:
    """The object's JSON up to its span's first number: '{"name":…,"span":['."""
    return orjson.dumps(fields)[:-1] + b',"span":['
