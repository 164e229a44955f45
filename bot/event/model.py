"""What the event stage says about one item: `Event` and `Evidence` live in bot.models (the
store and the cards read them too); re-exported here for the stage's callers."""

from bot.models import NO_EVENT as NONE
from bot.models import Event, Evidence

__all__ = ["NONE", "Event", "Evidence"]
