"""Dedup keys and story clustering: one story per event, however many outlets report it."""

from bot.stories.cluster import Assignment, Clusterer, Thresholds, story_id_for
from bot.stories.doc import StoryDoc, entities
from bot.stories.urls import canonical_url, content_key, normalise_text

__all__ = [
    "Assignment",
    "Clusterer",
    "StoryDoc",
    "Thresholds",
    "canonical_url",
    "content_key",
    "entities",
    "normalise_text",
    "story_id_for",
]
