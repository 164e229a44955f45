"""Which open stories use a word, a name or an entity: the candidates a new report is scored
against.

Keyed by story, not by report: a story with 300 reports that all say "Ebola" is one posting,
so a big story is as easy to find as a small one, and a word that hundreds of stories use
("killed") is skipped as no clue at all. Headlines are too short for MinHash (a headline that
shares one rare name with a story shares too few words for LSH to see it), which is what this
index replaced.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable


class StoryIndex:
    def __init__(self) -> None:
        self._post: dict[str, dict[str, int]] = defaultdict(dict)  # key → story id → reports

    def add(self, story_id: str, keys: Iterable[str]) -> None:
        for k in keys:
            post = self._post[k]
            post[story_id] = post.get(story_id, 0) + 1

    def remove(self, story_id: str, keys: Iterable[str]) -> None:
        for k in keys:
            post = self._post.get(k)
            if post is None or story_id not in post:
                continue
            post[story_id] -= 1
            if not post[story_id]:
                del post[story_id]
                if not post:
                    del self._post[k]

    def stories_with(self, key: str) -> int:
        """How many open stories use the key."""
        post = self._post.get(key)
        return len(post) if post else 0

    def candidates(
        self, keys: Iterable[str], weigh: Callable[[str], float], *, cap: int, limit: int
    ) -> list[str]:
        """The `limit` stories sharing the most weight of `keys`, counting only keys that at most
        `cap` stories use; best first, ties by id so every run agrees."""
        acc: dict[str, float] = defaultdict(float)
        for k in keys:
            post = self._post.get(k)
            if post and len(post) <= cap:
                w = weigh(k)
                for sid in post:
                    acc[sid] += w
        ranked = sorted(acc.items(), key=lambda kv: (-kv[1], kv[0]))
        return [sid for sid, _ in ranked[:limit]]
