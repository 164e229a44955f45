"""What the event stage says about one item: a small frozen value with the `match` contract."""

from __future__ import annotations

from dataclasses import dataclass

NONE = "none"  # the kind of an item that is not security news


@dataclass(frozen=True)
class Evidence:
    text: str  # the words, verbatim from the item's text
    span: tuple[int, int]  # where they are in it (start, end)


@dataclass(frozen=True)
class Event:
    security: bool
    kind: str  # a kind of vocabulary.yaml ("attack", "battle", ...) or "none"
    evidence: tuple[Evidence, ...] = ()  # the words that made it an event (or nearly one)
    reason: str = ""  # for people: what made it an event, or why not
    score: float = 0.0
    language: str = ""  # "en", "fr", "en+fr" as read (given or guessed)

    def to_json(self) -> dict:
        """The `event` field of `python -m bot match` (DESIGN.md)."""
        return {
            "security": self.security,
            "kind": self.kind,
            "evidence": [{"text": e.text, "span": list(e.span)} for e in self.evidence],
        }
