"""Reading cities500's one JSON object place by place: the same values as decoding it whole."""

from __future__ import annotations

import json

from bot.match.gazetteer import _json_object_values


def test_values_come_one_by_one_as_a_whole_decode_gives_them():
    places = {
        "1": {"name": "Djibo", "alternatenames": ["Djibo", "Dschibo"], "population": 44000},
        # Names that look like a value's end and the next key's start ("x}, " then ":{"): the
        # piece cut there does not decode and is joined to the next.
        "2": {"name": 'Odd}, "3": {"x', "alternatenames": ["x}, ", ":{y"], "population": 0},
        "3": {"name": "Tillabéri", "alternatenames": [], "population": None},
    }
    for text in (json.dumps(places), json.dumps(places, indent=2), json.dumps(places, ensure_ascii=False)):
        assert list(_json_object_values(text.encode())) == list(places.values())
