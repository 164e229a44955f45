"""The event stage: does an item report a conflict or security event, which kind, and the
words that show it (docs/relevance.md)."""

from bot.event.decide import classify
from bot.event.model import NONE, Event, Evidence
from bot.event.vocabulary import Vocabulary, default_vocabulary, load_vocabulary

__all__ = ["NONE", "Event", "Evidence", "Vocabulary", "classify", "default_vocabulary", "load_vocabulary"]
