"""`match`: JSON lines of text in, mentions and the event verdict out (the contract in
DESIGN.md). Apart from bot/cli/match.py so that `--help` does not load the matcher's modules."""

from __future__ import annotations

import json
import sys

import orjson

from bot.cli.lines import BoundedLines
from bot.event import classify, topics
from bot.match import batch
from bot.match.focus import explain as focus_explain
from bot.match.matcher import Matcher
from bot.match.output import Lines
from bot.models import NO_EVENT, Event


def run(m: Matcher, teams: tuple, *, explain: bool, jobs: int) -> str | None:
    """stdin → stdout, one output line per input line, in order; batch.LineError on a bad line;
    what stopped the input early (a line over the size cap), if anything."""
    lines = Lines()
    classify("")  # the event vocabulary is read here, once, not in each forked worker

    def render(line: bytes, line_no: int) -> bytes:
        item_id, text, source_country = _read_line(line, line_no)
        mentions, resolved, folded = m.read(text, source_country)  # the event stage reads its fold
        event = classify(text, mentions, explain=explain, folded=folded)
        if not explain:
            try:
                return lines.line(item_id, mentions, extra=_event_field(event))
            except TypeError:  # an id orjson cannot write: json below writes it
                pass
        out = mentions.to_json(item_id)
        if explain:
            out["explain"] = _explain(m, mentions, resolved, teams, text)
        _add_event(out, event, teams)
        return _dumps(out)

    reader = BoundedLines(getattr(sys.stdin, "buffer", None) or sys.stdin)
    stdin = (line if isinstance(line, bytes) else line.encode("utf-8") for line in reader)
    stdout = getattr(sys.stdout, "buffer", None)
    write = stdout.write if stdout is not None else (lambda b: sys.stdout.write(b.decode("utf-8")))
    batch.run(stdin, render, write, workers=jobs or batch.usable_cpus())
    return reader.error


def _read_line(line: bytes, line_no: int) -> tuple[object, str, str | None]:
    try:
        row = orjson.loads(line)
        if isinstance(row, dict) and isinstance(row.get("id"), float):
            row = json.loads(line)  # orjson reads an integer beyond 64 bits as a float: echo it exactly
    except orjson.JSONDecodeError:  # what orjson refuses (NaN, lone surrogates), json may read
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise batch.LineError(line_no, f"not JSON ({getattr(e, 'msg', None) or e.reason})") from None
    if not isinstance(row, dict) or not isinstance(row.get("text"), str):
        raise batch.LineError(line_no, 'expected an object with a string "text"')
    source_country = row.get("source_country")
    return row.get("id"), row["text"], source_country if isinstance(source_country, str) else None


_NOT_SECURITY = Event(False, NO_EVENT)
_NOT_SECURITY_FIELD = b',"event":' + orjson.dumps(_NOT_SECURITY.to_json())


def _event_field(event: Event) -> bytes:
    """',"event":{...}' for a match line; the same bytes for every item that is not security
    news (most of them), made once."""
    if not event.security and event.kind == NO_EVENT and not event.evidence:
        return _NOT_SECURITY_FIELD
    return b',"event":' + orjson.dumps(event.to_json())


def _dumps(out: dict) -> bytes:
    """One output line (orjson: a tenth of json's time; json for what orjson refuses, such as an
    id beyond 64-bit integers)."""
    try:
        return orjson.dumps(out, option=orjson.OPT_APPEND_NEWLINE)
    except TypeError:
        return (json.dumps(out, ensure_ascii=False) + "\n").encode("utf-8")


def _explain(m: Matcher, mentions, resolved, teams, text: str) -> dict:
    fired = [tm for t in teams if (tm := m.match(t, mentions, text))]
    d = mentions.dateline
    return {
        "focus": focus_explain(resolved) if resolved else {"countries": [], "votes": []},
        "dateline": f"filed from {d.name} ({d.country}); not counted as a place" if d else None,
        "places": [f"{p.name} ({p.admin1}, {p.country}): {p.reason}" for p in mentions.places],
        "groups": [g.reason for g in mentions.groups],
        "teams": [{"team": tm.team, "reasons": list(tm.reasons)} for tm in fired],
    }


def _add_event(out: dict, event: Event, teams) -> None:
    """The event stage's verdict (issue 16): the `event` field; with --explain, why (not) an
    event, and whether each team whose watch fires gets a card under its `topics` setting."""
    out["event"] = event.to_json()
    if "explain" in out:
        out["explain"]["event"] = event.reason
        watches = {t.name: t.watch for t in teams}
        for fired in out["explain"]["teams"]:
            reasons = topics.card_reasons(watches[fired["team"]], tuple(fired["reasons"]), event)
            fired["card"] = reasons is not None
            fired["reasons"] = list(reasons or fired["reasons"])
