"""Event stage speed: µs per item and MB/s, beside a plain pyahocorasick scan of the same texts
and, when the gazetteer index is built, beside the matcher (what the stage adds to matching).

Texts: the relevance dev set (title + summary), the shared feed entries and the seed article,
read from ../shared (never copied). Each measure is the best of several passes of this
process's CPU time (not wall time: on a shared machine the neighbours' load moved wall times
by ±50 %), the functions taking turns.

    python bench/event_speed.py [--data-dir DIR]   # DIR: the gazetteer index ($LOOKOUT_DATA_DIR)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.event import classify, default_vocabulary  # noqa: E402
from bot.event.scan import fold_text  # noqa: E402

SHARED = Path(os.environ.get("LOOKOUT_SHARED_DIR") or ROOT.parent / "shared")


def corpus() -> list[str]:
    texts = []
    dev = SHARED / "data" / "dev" / "relevance-dev.jsonl"
    if dev.exists():
        for line in dev.open(encoding="utf-8"):
            row = json.loads(line)
            texts.append(f"{row['title']}\n{row['text']}".strip())
    for name in ("bbc-africa.jsonl", "allafrica.jsonl"):
        path = SHARED / "data" / "feeds" / name
        if path.exists():
            for line in path.open(encoding="utf-8"):
                row = json.loads(line)
                texts.append(f"{row['title']}\n{row['description']}")
    seed = SHARED / "examples" / "jnim-boulikessi.txt"
    if seed.exists():
        texts.append(seed.read_text(encoding="utf-8"))
    return texts


def best(fns: dict[str, object], texts: list[str], repeats: int = 7) -> dict[str, float]:
    """label → best seconds for one pass over `texts`, the functions taking turns."""
    out = dict.fromkeys(fns, float("inf"))
    for _ in range(repeats):
        for label, fn in fns.items():
            started = time.process_time()
            for text in texts:
                fn(text)
            out[label] = min(out[label], time.process_time() - started)
    return out


def _both(matcher, text: str):
    """The matcher, then the event stage on the matcher's fold (Matcher.read), as `match` and
    the pipeline run them."""
    mentions, _, folded = matcher.read(text)
    return classify(text, mentions, explain=False, folded=folded)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, default=Path(os.environ.get("LOOKOUT_DATA_DIR", "data")))
    args = ap.parse_args()
    texts = corpus()
    if not texts:
        sys.exit(f"no texts under {SHARED}: set LOOKOUT_SHARED_DIR")
    automaton = default_vocabulary().automaton
    fns: dict[str, object] = {
        "event stage (classify)": classify,
        "event stage, language given": lambda t: classify(t, language="en"),
        "event stage, as `match` runs it (explain=False)": lambda t: classify(t, explain=False),
        "plain scan: fold + pyahocorasick (same vocabulary)": lambda t: list(automaton.iter(fold_text(t))),
    }
    matcher = None
    if (args.data_dir / "gazetteer").exists() or any(args.data_dir.glob("*")):
        try:
            from bot.match.matcher import Matcher

            matcher = Matcher.load(ROOT / "config", args.data_dir)
            fns["matcher (Matcher.mentions)"] = matcher.mentions
            fns["matcher + event stage, as `match` runs them"] = lambda t: _both(matcher, t)
        except Exception as e:  # the index is optional here: say why it is missing
            print(f"(no matcher: {e})")
    classify("warm up")
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    times = best(fns, texts)
    print(f"{len(texts)} real texts, {size:.2f} MB; best of 7 passes\n")
    print("| measure | µs per item | MB/s |")
    print("|---|---|---|")
    for label, seconds in times.items():
        print(f"| {label} | {1e6 * seconds / len(texts):.0f} | {size / seconds:.2f} |")
    if matcher is not None:
        matcher_time = times["matcher (Matcher.mentions)"]
        for label in ("event stage (classify)", "event stage, as `match` runs it (explain=False)"):
            print(
                f"\n{label} costs {times[label] / matcher_time:.0%} of the matcher's time on the same texts"
            )
        both = times["matcher + event stage, as `match` runs them"]
        print(f"matcher + event stage run at {matcher_time / both:.2f}× the matcher alone")
    big = ("Gunmen attacked a village near Mopti, killing 12 civilians. " * 1800)[:100_000]
    started = time.process_time()
    classify(big)
    print(f"one 100 KB text: {1e3 * (time.process_time() - started):.1f} ms (only the head is read)")


if __name__ == "__main__":
    main()
