"""Story clustering on every labelled set, English, French and mixed, beside a TF-IDF
average-link baseline; then the issue's targets on our own look-alike sets.

Lookout runs exactly as `python -m bot cluster` does (bot.cli.stories.run), with the
matcher's places and groups unless --no-matcher. The baseline's cut is tuned on each set's
tune part (best B-cubed F1) and applied unchanged to its test part.

    .venv/bin/python bench/cluster_dev.py [--no-matcher] [--part tune|test|fresh…fresh7|tune18h…tune18j]
    .venv/bin/python bench/cluster_dev.py --sweep join=0.35,0.4 [--set knob=value ...]  # tune parts
    LOOKOUT_BENCH_CODE=../main .venv/bin/python bench/cluster_dev.py   # another checkout's code
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(os.environ.get("LOOKOUT_BENCH_CODE") or Path(__file__).parents[1]).resolve()))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster_baseline import tfidf_average_link
from cluster_metrics import LabelledDoc, ged_docs, lookout, matcher_reader, own_docs, relevance_docs, score
from cluster_metrics import feed_docs as labelled_feed_docs

SETS = {
    "own xlang": lambda: own_docs("xlang"),
    "own burst": lambda: own_docs("burst"),
    "own general": lambda: own_docs("general"),
    "feeds": labelled_feed_docs,
    "feeds, headlines only": lambda: [replace(d, text="") for d in labelled_feed_docs()],
    "relevance": relevance_docs,
    "ged": ged_docs,
}
CUTS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9)


def _slice(docs: list[LabelledDoc], part: str, lang: str) -> list[LabelledDoc]:
    return [d for d in docs if d.part == part and (lang == "mixed" or d.lang == lang)]


def _has_stories(docs: list[LabelledDoc]) -> bool:
    counts = defaultdict(int)
    for d in docs:
        counts[d.event] += 1
    return any(c > 1 for c in counts.values())


def _best_cut(docs: list[LabelledDoc]) -> float:
    gold = {d.id: d.event for d in docs}
    return max(CUTS, key=lambda t: (score(gold, tfidf_average_link(docs, t)).b3_f, -t))


def table(reader, parts: tuple[str, ...]) -> None:
    columns = ["set", "part", "lang", "docs", "stories", "Lookout pair P / R", "Lookout B3 F1"]
    columns += ["baseline pair P / R", "baseline B3 F1 (cut)"]
    print("| " + " | ".join(columns) + " |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, load in SETS.items():
        docs = load()
        for lang in ("en", "fr", "mixed"):
            tune = _slice(docs, "tune", lang)
            if not _has_stories(tune) and not _has_stories(_slice(docs, "test", lang)):
                continue
            cut = _best_cut(tune) if _has_stories(tune) else 0.8
            for part in parts:
                sub = _slice(docs, part, lang)
                if not _has_stories(sub):
                    continue
                gold = {d.id: d.event for d in sub}
                ours = score(gold, lookout(sub, reader))
                base = score(gold, tfidf_average_link(sub, cut))
                print(
                    f"| {name} | {part} | {lang} | {len(sub)} | {len(set(gold.values()))} | "
                    f"{ours.pair_p:.2f} / {ours.pair_r:.2f} | {ours.b3_f:.3f} | "
                    f"{base.pair_p:.2f} / {base.pair_r:.2f} | {base.b3_f:.3f} ({cut}) |"
                )


def targets(reader, parts: tuple[str, ...], **thresholds) -> dict[str, str]:
    """The issue's held-out checks, on our look-alike sets (mixed languages)."""
    out = {}
    xlang, burst, general = own_docs("xlang"), own_docs("burst"), own_docs("general")
    for part in parts:
        docs = [d for d in xlang if d.part == part]
        got = _run(docs, reader, thresholds) if docs else {}
        pairs = defaultdict(list)
        for d in docs:
            pairs[d.event].append(d.id)
        joined = sum(1 for ids in pairs.values() if len(ids) == 2 and got[ids[0]] == got[ids[1]])
        pair_stories = {got[ids[0]] for ids in pairs.values() if len(ids) == 2}
        distractors = sum(1 for ids in pairs.values() if len(ids) == 1 and got[ids[0]] in pair_stories)
        total = sum(1 for ids in pairs.values() if len(ids) == 2)
        if docs:
            out[f"xlang {part}"] = f"{joined}/{total} pairs, {distractors} distractors in a pair"
        for name, d_all in (("burst", burst), ("general", general)):
            docs = [d for d in d_all if d.part == part]
            if not docs:
                continue
            s = score({d.id: d.event for d in docs}, _run(docs, reader, thresholds))
            out[f"{name} {part}"] = (
                f"pair P {s.pair_p:.2f} R {s.pair_r:.2f}, B3 F1 {s.b3_f:.3f}, {s.stories} stories"
            )
    for name in ("feeds", "feeds, headlines only", "relevance"):
        docs = [d for d in SETS[name]() if d.part in parts]
        if not docs:
            continue
        s = score({d.id: d.event for d in docs}, _run(docs, reader, thresholds))
        out[name] = (
            f"pair P {s.pair_p:.2f} R {s.pair_r:.2f}, B3 F1 {s.b3_f:.3f}, wrong pairs {s.wrong_merges}"
        )
    return out


def _run(docs, reader, thresholds):
    return lookout(docs, reader, thresholds=thresholds or None)


def _number(value: str) -> float | int:
    return float(value) if "." in value else int(value)


def main() -> None:
    reader = None if "--no-matcher" in sys.argv else matcher_reader()
    parts = (
        "tune",
        "test",
        "fresh",
        "fresh2",
        "fresh3",
        "fresh4",
        "fresh5",
        "tune18h",
        "fresh6",
        "tune18i",
        "fresh7",
        "tune18j",
    )
    if "--part" in sys.argv:
        parts = (sys.argv[sys.argv.index("--part") + 1],)
    fixed = {}
    for i, arg in enumerate(sys.argv):
        if arg == "--set":
            k, v = sys.argv[i + 1].split("=")
            fixed[k] = _number(v)
    if "--sweep" in sys.argv:
        knob, values = sys.argv[sys.argv.index("--sweep") + 1].split("=")
        for v in values.split(","):
            print(f"\n{knob}={v} {fixed or ''}")
            for k, line in targets(reader, ("tune",), **fixed, **{knob: _number(v)}).items():
                print(f"  {k}: {line}")
        return
    table(reader, parts)
    print()
    for k, line in targets(reader, parts, **fixed).items():
        print(f"- {k}: {line}")


if __name__ == "__main__":
    main()
