"""Clustering scores: pairwise and B-cubed precision/recall, plus the labelled dev docs."""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path


def shared_dir() -> Path:
    env = os.environ.get("LOOKOUT_SHARED_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared"


@dataclass(frozen=True)
class LabelledDoc:
    id: str
    title: str
    event: str  # the dev row: every headline of one row reports the same event
    date: datetime


def dev_docs(path: Path | None = None) -> list[LabelledDoc]:
    """Each ';'-separated headline of a dev row is one doc; the row is its event label."""
    path = path or shared_dir() / "data" / "dev" / "dev.jsonl"
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        date = datetime.fromisoformat(row["date"]).replace(tzinfo=UTC)
        heads = [h.strip() for h in row["text"].split(";") if h.strip()]
        for i, head in enumerate(heads):
            docs.append(LabelledDoc(f"{row['id']}#{i}", head, row["id"], date))
    return docs


@dataclass(frozen=True)
class Scores:
    pair_p: float
    pair_r: float
    b3_p: float
    b3_r: float
    stories: int
    wrong_merges: int  # predicted pairs that are different events

    @property
    def pair_f(self) -> float:
        return _f1(self.pair_p, self.pair_r)

    @property
    def b3_f(self) -> float:
        return _f1(self.b3_p, self.b3_r)


def score(gold: dict[str, str], pred: dict[str, str]) -> Scores:
    """gold/pred: doc id → cluster label, over the same docs."""
    ids = sorted(gold)
    gold_pairs = _pairs(ids, gold)
    pred_pairs = _pairs(ids, pred)
    tp = len(gold_pairs & pred_pairs)
    pair_p = tp / len(pred_pairs) if pred_pairs else 1.0
    pair_r = tp / len(gold_pairs) if gold_pairs else 1.0
    g_members, p_members = _members(gold), _members(pred)
    b3_p = b3_r = 0.0
    for d in ids:
        g, p = g_members[gold[d]], p_members[pred[d]]
        overlap = len(g & p)
        b3_p += overlap / len(p)
        b3_r += overlap / len(g)
    n = len(ids)
    wrong = len(pred_pairs - gold_pairs)
    return Scores(pair_p, pair_r, b3_p / n, b3_r / n, len(Counter(pred.values())), wrong)


def _pairs(ids: list[str], labels: dict[str, str]) -> set[tuple[str, str]]:
    by = _members(labels)
    return {tuple(sorted(p)) for m in by.values() for p in combinations(sorted(m), 2)}


def _members(labels: dict[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for d, c in labels.items():
        out[c].add(d)
    return out


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0
