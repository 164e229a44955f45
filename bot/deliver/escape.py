"""Make outside text harmless in Slack mrkdwn.

Feed titles and user input are hostile until proven otherwise: `<!channel>` pings a
whole channel, `<https://evil|bank.com>` shows one URL and opens another, `<@U123>`
mentions a person. Escaping `&`, `<` and `>` neutralises every such control sequence
(Slack's own rule); plain-text `@here`/`@channel`/`@everyone` get a zero-width joiner so
no client setting (link_names) can turn them into pings.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

_BROADCAST = re.compile(r"@(?=(here|channel|everyone)\b)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*)://")
ZWJ = "\u2060"  # word joiner: invisible, breaks the @mention token


def mrkdwn(text: str, *, limit: int | None = None) -> str:
    """Escape text for a mrkdwn field (and cut it to `limit` characters first)."""
    text = _CONTROL.sub("", text or "")
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub("@" + ZWJ, text)


def safe_url(url: str) -> str | None:
    """An http(s) URL fit to sit inside `<url|label>`, or None."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")


def link(url: str, label: str, *, limit: int = 200) -> str:
    """A link whose label cannot pose as another address; falls back to plain text."""
    target = safe_url(url)
    shown = _SCHEME.sub(r"\1:/" + ZWJ + "/", label or "")  # a label never renders as a URL
    shown = mrkdwn(shown, limit=limit).replace("|", "¦")
    if not target:
        return shown
    return f"<{target.replace('|', '%7C').replace('>', '%3E')}|{shown}>"


def host(url: str) -> str:
    return urlsplit(url or "").hostname or ""
