"""Clustering scores (pairwise and B-cubed), the labelled sets, and a run through the same code
as `python -m bot cluster`.

Labelled sets (story labels are ours; real text is read from ../shared, never copied here):
  own       bench/data/stories-own.jsonl: our own rows; `set` xlang (EN/FR wire reports of one
            attack + same-town distractors), burst (headlines of several outlets within
            hours), general (general-news headlines over days); `part` tune / test, and
            fresh (two bursts written before issue 18's 18d round tuned anything: report only),
            fresh2 (two more, written before the 18e round tuned anything: report only),
            fresh3 (two more, with same-town attacks on other victims, before 18f: report only),
            fresh4 (two more, paraphrased, with same-town and same-kind distractors, before 18g)
  feeds     BBC Africa + AllAfrica entries (3 weeks) and the BBC World / Al Jazeera snapshots,
            labels in bench/data/stories-feeds.json (link or GUID → story; others alone)
  relevance relevance-dev.jsonl (482 EN/FR items of 2023), bench/data/stories-relevance.json
  ged       dev.jsonl: each ';'-separated headline of a row is one report of the row's event
Real sets are split by date: the first half tunes, the second reports.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from itertools import combinations
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def shared_dir() -> Path:
    env = os.environ.get("LOOKOUT_SHARED_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared"


@dataclass(frozen=True)
class LabelledDoc:
    id: str
    title: str
    event: str  # the story label
    date: datetime
    text: str = ""
    source: str = ""
    lang: str = "en"
    part: str = "test"  # tune | test


# -- sets ------------------------------------------------------------------------------------


def own_docs(kind: str) -> list[LabelledDoc]:
    rows = [
        json.loads(line) for line in (DATA / "stories-own.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    return [
        LabelledDoc(
            r["id"],
            r["title"],
            r["story"],
            _when(r["published"]),
            r["text"],
            r["source"],
            r["lang"],
            r["part"],
        )
        for r in rows
        if r["set"] == kind
    ]


def feed_docs() -> list[LabelledDoc]:
    labels = json.loads((DATA / "stories-feeds.json").read_text(encoding="utf-8"))
    out = []
    for name in ("bbc-africa.jsonl", "allafrica.jsonl"):
        for line in (shared_dir() / "data" / "feeds" / name).read_text(encoding="utf-8").splitlines():
            e = json.loads(line)
            # AllAfrica double-escapes entities ("&#x26;amp;"): unescape twice.
            title, text = (html.unescape(html.unescape(e[k])) for k in ("title", "description"))
            when = datetime.fromisoformat(e["date_published"])
            out.append(LabelledDoc(e["link"], title, labels.get(e["link"], e["link"]), when, text, name[:-6]))
    for name in ("aljazeera-all-20260813.xml", "bbc-world-20260813.xml"):
        for guid, title, text, when in _rss_items(shared_dir() / "data" / "feeds" / name):
            out.append(LabelledDoc(guid, title, labels.get(guid, guid), when, text, name.split("-")[0]))
    return _split_by_date(out)


def _rss_items(path: Path) -> list[tuple[str, str, str, datetime]]:
    def field(block: str, tag: str) -> str:
        m = re.search(rf"<{tag}[^>]*>(.*?)</{tag}>", block, re.S)
        raw = (m.group(1) if m else "").replace("<![CDATA[", "").replace("]]>", "")
        return html.unescape(re.sub(r"<[^>]+>", " ", raw)).strip()

    items = []
    for block in re.findall(r"<item>(.*?)</item>", path.read_text(encoding="utf-8"), re.S):
        guid = field(block, "guid") or field(block, "link")
        when = parsedate_to_datetime(field(block, "pubDate")).astimezone(UTC)
        items.append((guid, field(block, "title"), field(block, "description"), when))
    return items


def relevance_docs() -> list[LabelledDoc]:
    labels = json.loads((DATA / "stories-relevance.json").read_text(encoding="utf-8"))
    path = shared_dir() / "data" / "dev" / "relevance-dev.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    out, undated = [], datetime(2024, 6, 1, 12, tzinfo=UTC)
    per_day: Counter[str] = Counter()
    for r in sorted(rows, key=lambda r: r["id"]):
        if r["published"]:
            per_day[r["published"]] += 1
            when = _when(r["published"] + "T09:00:00Z") + timedelta(minutes=37 * per_day[r["published"]])
        else:  # undated (BBC Afrique, years apart): spread 5 days apart, so none can meet
            undated += timedelta(days=5)
            when = undated
        out.append(
            LabelledDoc(
                r["id"],
                r["title"],
                labels.get(r["id"], r["id"]),
                when,
                r["text"] or "",
                r["outlet"],
                r["lang"],
            )
        )
    return _split_by_date(out)


def ged_docs() -> list[LabelledDoc]:
    """Each ';'-separated headline of a dev row is one doc; the row is its event label."""
    path = shared_dir() / "data" / "dev" / "dev.jsonl"
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        date = datetime.fromisoformat(row["date"]).replace(tzinfo=UTC)
        heads = [h.strip() for h in row["text"].split(";") if h.strip()]
        for i, head in enumerate(heads):
            docs.append(LabelledDoc(f"{row['id']}#{i}", head, row["id"], date + timedelta(minutes=i)))
    return _split_by_date(docs)


def _split_by_date(docs: list[LabelledDoc]) -> list[LabelledDoc]:
    ordered = sorted(docs, key=lambda d: (d.date, d.id))
    half = ordered[len(ordered) // 2].date
    return [LabelledDoc(**{**d.__dict__, "part": "tune" if d.date < half else "test"}) for d in ordered]


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


# -- running Lookout as `python -m bot cluster` does -------------------------------------------


def lookout(
    docs: list[LabelledDoc],
    reader=None,
    *,
    window_hours: float = 72.0,
    explain: bool = False,
    thresholds=None,
) -> dict:
    """Story per doc id through bot.cli.stories.run, docs in published order (the pipeline's
    order). With `explain`, the whole output line per id. With the environment's
    LOOKOUT_BENCH_EVENT_STAGE=1 (and a reader), each line carries the event stage's kind, as
    the live pipeline gives it (bot/stories/tracker.py)."""
    from bot.cli.stories import run

    lines = [
        json.dumps(
            {
                "id": d.id,
                "title": d.title,
                "text": d.text,
                "source": d.source,
                "published": d.date.isoformat(),
            }
            | _stage_kind(d, reader)
        )
        for d in sorted(docs, key=lambda d: (d.date, d.id))
    ]
    out = io.StringIO()
    extra = {"thresholds": thresholds} if thresholds else {}
    run(
        io.StringIO("\n".join(lines) + "\n"),
        out,
        window_hours=window_hours,
        explain=explain,
        reader=reader,
        **extra,
    )
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    return {r["id"]: (r if explain else r["story"]) for r in rows}


def _stage_kind(d: LabelledDoc, reader) -> dict:
    if not (reader and os.environ.get("LOOKOUT_BENCH_EVENT_STAGE") == "1"):
        return {}
    from bot.event import classify

    body = f"{d.title}\n{d.text}".strip()
    event = classify(body, reader(body), explain=False)
    return {"kind": event.kind} if event.security else {}


def matcher_reader():
    """The live matcher's mentions, cached per text (sweeps read the same texts again)."""
    from functools import lru_cache

    from bot.match.matcher import Matcher
    from bot.settings import Settings

    matcher = Matcher.load(Path(__file__).resolve().parents[1] / "config", Settings().lookout_data_dir)
    return lru_cache(maxsize=None)(matcher.mentions)


# -- scores ----------------------------------------------------------------------------------


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
    g_members, p_members = _members(gold), _members({i: pred[i] for i in ids})
    b3_p = b3_r = 0.0
    for d in ids:
        g, p = g_members[gold[d]], p_members[pred[d]]
        overlap = len(g & p)
        b3_p += overlap / len(p)
        b3_r += overlap / len(g)
    n = len(ids)
    wrong = len(pred_pairs - gold_pairs)
    return Scores(pair_p, pair_r, b3_p / n, b3_r / n, len({pred[i] for i in ids}), wrong)


def _pairs(ids: list[str], labels: dict[str, str]) -> set[tuple[str, str]]:
    by = _members({i: labels[i] for i in ids})
    return {tuple(sorted(p)) for m in by.values() for p in combinations(sorted(m), 2)}


def _members(labels: dict[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for d, c in labels.items():
        out[c].add(d)
    return out


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0
