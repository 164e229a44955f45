"""The baseline clustering is compared with: TF-IDF vectors of headline + lead, average-link
agglomerative clustering on cosine distance, cut at one distance (offline: every doc at once,
no time window). numpy + scipy only (scikit-learn is not a dependency); the weighting is
scikit-learn's default (smoothed idf, sublinear tf, L2 norm)."""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cache
from pathlib import Path

import numpy as np
import yaml
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

_TOKEN = re.compile(r"\w\w+")
_WORDS = Path(__file__).resolve().parents[1] / "bot" / "stories" / "words.yaml"


@cache
def stop_words() -> frozenset[str]:
    """English and French stop words of this checkout (read as data, so the baseline is the
    same whichever code is measured beside it)."""
    lists = yaml.safe_load(_WORDS.read_text(encoding="utf-8"))["stop_words"]
    return frozenset(w for block in lists.values() for w in block.split())


def tfidf_average_link(docs, threshold: float) -> dict[str, str]:
    """doc id → cluster label; docs need .id, .title, .text."""
    if len(docs) < 2:
        return {d.id: d.id for d in docs}
    stop = stop_words()
    bags = [
        Counter(t for t in _TOKEN.findall(f"{d.title} {d.text[:1500]}".lower()) if t not in stop)
        for d in docs
    ]
    vocab = {t: i for i, t in enumerate(sorted({t for b in bags for t in b}))}
    n = len(docs)
    df = Counter(t for b in bags for t in b)
    idf = np.array([math.log((1 + n) / (1 + df[t])) + 1 for t in vocab])
    m = np.zeros((n, len(vocab)))
    for row, bag in enumerate(bags):
        for t, c in bag.items():
            m[row, vocab[t]] = 1 + math.log(c)
    m *= idf
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    m = np.divide(m, norms, out=np.zeros_like(m), where=norms > 0)
    dist = np.clip(1 - m @ m.T, 0, 2)
    np.fill_diagonal(dist, 0)
    z = linkage(squareform(dist, checks=False), method="average")
    labels = fcluster(z, t=threshold, criterion="distance")
    return {d.id: f"c{label}" for d, label in zip(docs, labels, strict=True)}
