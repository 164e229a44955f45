"""Shared helpers for JSON APIs: decode strictly, say clearly what was wrong."""

from __future__ import annotations

import json
from typing import Any

from bot.errors import FeedError
from bot.fetch.http import Response


def load_json(response: Response, *, api: str) -> Any:
    try:
        return json.loads(response.body.decode(response.charset or "utf-8", errors="replace"))
    except (ValueError, LookupError):
        snippet = response.body[:120].decode("utf-8", errors="replace").strip()
        raise FeedError(f"{api} answered with something other than JSON: {snippet!r}") from None
