"""Matcher quality: precision, recall and F1 per field, side by side with a naive keyword baseline
(country/admin1/group names, case-insensitive, no gazetteer towns), on the shared
dev rows split in two (`dev` to tune on, `validation` to report), and our own labelled rows in
the held-out styles (bench/data/match-own.jsonl; its second batch, rows with a "half", is
scored apart as `own2-tune` and `own2-report`; the third, bench/data/match-own-17e.jsonl, as
`own3-tune` and `own3-report`; the fourth, match-own-17f.jsonl, as `own4-tune` and
`own4-report`; match-own-17w.jsonl, worldwide headlines, as `own17w-tune` and
`own17w-report`; match-own-17y.jsonl, Nigeria, Chad, Somalia, Cameroon and Sahel notes with
some headlines, as `own17y-tune` and `own17y-report`; match-own-17g.jsonl, armed groups in
varied forms, as `own17g-tune` and `own17g-report`; match-own-17v.jsonl, Chad, Somali and
Nigerian village notes, as `own17v-tune` and `own17v-report`; match-own-17u.jsonl, people named
by a demonym where another country's place is named, as `own17u-tune` and `own17u-report`);
plus the main country of relevance-dev items.

    python bench/match_quality.py [--data-dir DIR] [--errors] [--only SET]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.match.fold import Folded, Scanner, fold  # noqa: E402
from bot.match.matcher import Matcher  # noqa: E402

SHARED = Path(os.environ.get("LOOKOUT_SHARED_DIR") or ROOT.parent / "shared")
_SUFFIX = re.compile(
    r"\b(province|state|region|governorate|department|oblast|county|district|"
    r"prefecture|republic|division|territory)\b"
)


def norm_admin1(name: str) -> str:
    return " ".join(_SUFFIX.sub(" ", fold(name)).split())


class Tally:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, predicted: set, gold: set, same) -> None:
        hit_p = {p for p in predicted if any(same(p, g) for g in gold)}
        hit_g = {g for g in gold if any(same(p, g) for p in predicted)}
        self.tp += len(hit_g)
        self.fp += len(predicted - hit_p)
        self.fn += len(gold - hit_g)

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def seed_aliases() -> dict[str, set[str]]:
    """UCDP label → all its names (from groups-seed.csv), folded."""
    out: dict[str, set[str]] = {}
    path = SHARED / "data" / "groups-seed.csv"
    if path.exists():
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                names = [row["canonical_name"], *row["aliases"].split("|")]
                out[fold(row["canonical_name"])] = {fold(n) for n in names if fold(n)}
    return out


def literal(label: str, text: str, seeds: dict[str, set[str]]) -> bool:
    """Is this UCDP label (or one of its actor-list aliases) written in the text?"""
    words = Folded.of(text).text.lower()
    names = seeds.get(fold(label), set()) | {fold(label)}
    names |= {fold(part) for part in label.split(", ")}
    return any(n and f" {n} " in words for n in names)


class Baseline:
    """Every country, admin1 and group name found as a whole word, no disambiguation."""

    def __init__(self, m: Matcher):
        ix = m.index
        self.names: list[tuple[str, str, object]] = []
        for cc, name in zip(ix.c_code, ix.c_name, strict=True):
            self.names.append((fold(name), "country", cc))
        for cc, names in zip(ix.a_cc, ix.a_names, strict=True):
            for n in names:
                self.names.append((fold(n), "admin1", (cc, names[0])))
        for g in m.catalogue.groups:
            for n in (g.canonical, *g.aliases):
                self.names.append((fold(n), "group", g.canonical))
        keys = list(dict.fromkeys(k for k, _, _ in self.names))
        self.by_key: dict[str, list] = {}
        for k, kind, v in self.names:
            self.by_key.setdefault(k, []).append((kind, v))
        self.keys = keys
        self.scanner = Scanner(Scanner.build(keys))
        self.klen = [len(k) for k in keys]

    def run(self, text: str) -> dict[str, set]:
        out: dict[str, set] = {"country": set(), "admin1": set(), "group": set()}
        for _, _, key in self.scanner.scan(Folded.of(text).text.lower(), self.klen):
            for kind, v in self.by_key[self.keys[key]]:
                out[kind].add(v)
        return out


SETS = (
    "dev",
    "validation",
    "own",
    "own2-tune",
    "own2-report",
    "own3-tune",
    "own3-report",
    "own4-tune",
    "own4-report",
    "own17w-tune",
    "own17w-report",
    "own17y-tune",
    "own17y-report",
    "own17g-tune",
    "own17g-report",
    "own17v-tune",
    "own17v-report",
    "own17u-tune",
    "own17u-report",
)


def split_of(row_id: str) -> str:
    """A stable split of the shared dev rows: 3 in 5 to tune on, 2 in 5 kept for reporting."""
    return "dev" if int(hashlib.sha1(row_id.encode()).hexdigest(), 16) % 5 < 3 else "validation"


def load_rows() -> dict[str, list[dict]]:
    sets: dict[str, list[dict]] = {name: [] for name in SETS}
    dev = SHARED / "data" / "dev" / "dev.jsonl"
    if dev.exists():
        for line in dev.open(encoding="utf-8"):
            row = json.loads(line)
            sets[split_of(row["id"])].append(row)
    # the second batch (issue 17c), the third (17e), the fourth (17f), the worldwide headlines
    # of 17w, the notes of 17y and 17v, the armed groups of 17g and the demonyms of 17u are split
    # in halves, written before tuning: one to tune on, one to report
    for batch, name in (
        ("own2", "match-own.jsonl"),
        ("own3", "match-own-17e.jsonl"),
        ("own4", "match-own-17f.jsonl"),
        ("own17w", "match-own-17w.jsonl"),
        ("own17y", "match-own-17y.jsonl"),
        ("own17g", "match-own-17g.jsonl"),
        ("own17v", "match-own-17v.jsonl"),
        ("own17u", "match-own-17u.jsonl"),
    ):
        for line in (ROOT / "bench" / "data" / name).open(encoding="utf-8"):
            row = json.loads(line)
            row.setdefault("admin1_literal", bool(row["admin1"]))
            row.setdefault("place_literal", False)
            row["group_literal"] = True  # our rows: every group predicted must be labelled
            sets[f"{batch}-{row['half']}" if "half" in row else "own"].append(row)
    return sets


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=Path(os.environ.get("LOOKOUT_DATA_DIR", "data")))
    ap.add_argument("--errors", action="store_true", help="print rows the matcher gets wrong")
    ap.add_argument("--only", choices=SETS, help="score one set")
    args = ap.parse_args()
    m = Matcher.load(ROOT / "config", args.data_dir)
    base = Baseline(m)
    seeds = seed_aliases()
    for name, rows in load_rows().items():
        if rows and args.only in (None, name):
            tallies = score(m, base, seeds, rows, args.errors)
            print_table(name, tallies, len(rows))
    relevance = SHARED / "data" / "dev" / "relevance-dev.jsonl"
    if relevance.exists() and args.only is None:
        score_relevance(m, base, [json.loads(x) for x in relevance.open(encoding="utf-8")])
    return 0


def score(m: Matcher, base: Baseline, seeds, rows: list[dict], errors: bool) -> dict:
    fields = ("countries", "admin1", "groups", "regions")
    tallies = {(who, f): Tally() for who in ("lookout", "naive") for f in fields}

    def same_group(pred: str, gold: str) -> bool:
        g = m.catalogue.by_name.get(pred)
        names = {fold(pred)} | ({fold(a) for a in g.aliases} if g else set())
        if g and g.affiliation:  # UCDP codes ISWAP/ISGS events as "IS"
            names.add(fold(g.affiliation))
            names |= {fold(a) for a in m.catalogue.by_name[g.affiliation].aliases}
        return bool(names & (seeds.get(fold(gold), set()) | {fold(gold)}))

    def same_admin1(pred: tuple[str, str], gold: tuple[str, str]) -> bool:
        return pred[0] == gold[0] and norm_admin1(gold[1]) in {norm_admin1(n) for n in m.admin1_names(*pred)}

    for row in rows:
        text = row["text"]
        cc = row["countries"][0] if row["countries"] else ""
        mm = m.mentions(text)
        nv = base.run(text)
        gold_a1 = {(cc, a) for a in row["admin1"]}
        a1_row = bool(gold_a1) and (row["admin1_literal"] or row["place_literal"])
        pred = {
            "countries": set(mm.countries),
            "admin1": {(a.country, a.name) for a in mm.admin1},
            "groups": {g.name for g in mm.groups if not g.state},
            "regions": set(mm.regions),
        }
        naive = {"countries": nv["country"], "admin1": nv["admin1"], "groups": nv["group"], "regions": set()}
        for who, p in (("lookout", pred), ("naive", naive)):
            tallies[(who, "countries")].add(p["countries"], set(row["countries"]), str.__eq__)
            if a1_row:
                tallies[(who, "admin1")].add(p["admin1"], gold_a1, same_admin1)
            if row["group_literal"]:
                named = {g for g in row["groups"] if literal(g, text, seeds) or row["id"].startswith("own")}
                tallies[(who, "groups")].add(p["groups"], named, same_group)
            if "regions" in row:
                tallies[(who, "regions")].add(
                    p["regions"] & set(row["regions"]), set(row["regions"]), str.__eq__
                )
        if errors:
            show_errors(row, pred, a1_row)
    return tallies


def score_relevance(m: Matcher, base: Baseline, rows: list[dict]) -> None:
    """relevance-dev: is the item's main country among the countries found (recall), and how
    many countries found are that one (a floor on precision: others may be named too)."""
    rows = [r for r in rows if r.get("country")]
    tallies = {who: Tally() for who in ("lookout", "naive")}
    for r in rows:
        text = f"{r['title']}\n{r['text']}".strip()
        tallies["lookout"].add(set(m.mentions(text).countries), {r["country"]}, str.__eq__)
        tallies["naive"].add(base.run(text)["country"], {r["country"]}, str.__eq__)
    a, b = tallies["lookout"].prf(), tallies["naive"].prf()
    print(f"\nrelevance-dev: {len(rows)} items with a main country (precision is a floor)")
    print("| field | matcher P | R | F1 | naive P | R | F1 |")
    print("|---|---|---|---|---|---|---|")
    print("| main country | " + " | ".join(f"{x:.2f}" for x in (*a, *b)) + " |")


def show_errors(row, pred, a1_row) -> None:
    wrong = set(pred["countries"]) != set(row["countries"])
    a1_wrong = a1_row and {a for _, a in pred["admin1"]} != set(row["admin1"])
    g_wrong = row["id"].startswith("own") and pred["groups"] != set(row["groups"])
    if wrong or a1_wrong or g_wrong:
        print(
            f"{row['id']}: gold {row['countries']} {row['admin1'] if a1_row else ''} {row['groups']} "
            f"pred {sorted(pred['countries'])} {sorted(pred['admin1']) if a1_row else ''} "
            f"{sorted(pred['groups'])}\n    {row['text'][:200]!r}",
            file=sys.stderr,
        )


def print_table(name: str, tallies, n: int) -> None:
    print(
        f"\n{name}: {n} rows (admin1 scored where the admin1 or event place is named; "
        "groups where a group name is in the text)"
    )
    print("| field | matcher P | R | F1 | naive P | R | F1 |")
    print("|---|---|---|---|---|---|---|")
    for f in ("countries", "admin1", "groups", "regions"):
        a = tallies[("lookout", f)]
        if f == "regions" and not (a.tp or a.fn):
            continue
        b = tallies[("naive", f)].prf()
        cells = " | ".join(f"{x:.2f}" for x in (*a.prf(), *b))
        print(f"| {f} | {cells} |")


if __name__ == "__main__":
    sys.exit(main())
