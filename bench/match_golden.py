"""Golden output for speed work: the `Mentions` JSON (and `--explain` focus) of every text the
match benches use, saved before a change and compared after it, byte for byte.

Texts: feed entries, dev rows, relevance-dev items, our own labelled rows, the seed article,
and copies of each shouted, lower-cased, title-cased, accented, squeezed and with a source
country. The output is written outside the repository (it quotes spans of news text).

    python bench/match_golden.py save /tmp/golden.jsonl
    python bench/match_golden.py check /tmp/golden.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("LOOKOUT_SHARED_DIR") or ROOT.parent / "shared")

_ACCENT = str.maketrans({"e": "é", "a": "à", "o": "ô", "E": "É"})


def texts() -> list[str]:
    out: list[str] = []
    for name in ("bbc-africa.jsonl", "allafrica.jsonl"):
        path = SHARED / "data" / "feeds" / name
        if path.exists():
            out += [f"{r['title']}\n{r['description']}" for r in map(json.loads, path.open(encoding="utf-8"))]
    for name in ("dev.jsonl", "relevance-dev.jsonl"):
        path = SHARED / "data" / "dev" / name
        if path.exists():
            for r in map(json.loads, path.open(encoding="utf-8")):
                out += [r["text"], f"{r.get('title', '')}\n{r['text']}".strip()]
    own = ROOT / "bench" / "data" / "match-own.jsonl"
    out += [json.loads(line)["text"] for line in own.open(encoding="utf-8")]
    seed = SHARED / "examples" / "jnim-boulikessi.txt"
    if seed.exists():
        out.append(seed.read_text(encoding="utf-8"))
    return out


def variants(text: str) -> list[tuple[str, str | None]]:
    """The text, and copies a matcher must read the same way or on purpose differently."""
    return [
        (text, None),
        (text.upper(), None),
        (text.lower(), None),
        (text.title(), None),
        (text.translate(_ACCENT), None),
        (re.sub(r"\s+", "  ", text), None),
        (text, "NG"),
        (text, "BF"),
    ]


def outputs() -> list[str]:
    from bot.match.focus import explain
    from bot.match.matcher import Matcher

    data_dir = Path(os.environ.get("LOOKOUT_DATA_DIR", "data"))
    m = Matcher.load(ROOT / "config", data_dir)
    lines = []
    for i, base in enumerate(texts()):
        for j, (text, source) in enumerate(variants(base)):
            mentions, resolved = m.resolved(text, source)
            out = mentions.to_json(f"{i}.{j}")
            out["focus"] = explain(resolved) if resolved else None
            out["reasons"] = [p.reason for p in mentions.places] + [g.reason for g in mentions.groups]
            lines.append(json.dumps(out, ensure_ascii=False, sort_keys=True))
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=("save", "check"))
    ap.add_argument("path", type=Path)
    args = ap.parse_args()
    lines = outputs()
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]
    if args.action == "save":
        args.path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(lines):,} outputs saved to {args.path} (sha256 {digest})")
        return 0
    saved = args.path.read_text(encoding="utf-8").splitlines()
    differ = [i for i, (a, b) in enumerate(zip(saved, lines, strict=False)) if a != b]
    if len(saved) != len(lines) or differ:
        print(f"DIFFERENT: {len(differ)} of {len(lines):,} outputs (saved {len(saved):,})")
        for i in differ[:5]:
            print(f"  saved: {saved[i][:300]}\n  now:   {lines[i][:300]}")
        return 1
    print(f"identical: {len(lines):,} outputs (sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
