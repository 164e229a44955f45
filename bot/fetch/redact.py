"""Secrets out of URLs before anyone sees them: logs, errors, the database, Slack.

A feed URL may carry credentials (`https://user:pass@host/feed`) or an API key in its query
(`?api_key=…`). The real URL is used to fetch; every text that shows or stores one goes through
`redact`, which works on a bare URL and on a sentence that contains URLs (an error message, a
traceback) alike.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

MASK = "***"
# Query parameters whose value is a secret, compared lower-cased: the names APIs use for keys,
# tokens, signatures and passwords, and any name ending in one of those words (access_token,
# X-Amz-Signature, client_secret, appkey). Hiding a harmless value by mistake costs nothing.
SECRET_NAMES = frozenset({"sig", "pass", "pwd", "auth"})
SECRET_ENDINGS = ("key", "token", "secret", "signature", "password", "passwd", "credential")

# scheme://userinfo@ : the userinfo ends at the last "@" before the path, query or fragment.
_USERINFO = re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/?#\s'\"<>]*@", re.IGNORECASE)
# name=value after "?", "&" or ";" (a query as a whole URL or as urllib3's "url: /path?…").
_PARAM = re.compile(r"([?&;])([^=&;#?\s'\"<>]+)=([^&;#\s'\"<>]*)")


def redact(text: str) -> str:
    """`text` with every URL's user:password and secret-looking query values masked."""
    if "@" in text:
        text = _USERINFO.sub(rf"\1{MASK}@", text)
    if "=" in text:
        text = _PARAM.sub(_mask_param, text)
    return text


def redact_optional(text: str | None) -> str | None:
    return None if text is None else redact(text)


def is_secret_name(name: str) -> bool:
    name = unquote(name).strip().lower()
    return name in SECRET_NAMES or name.endswith(SECRET_ENDINGS)


def _mask_param(m: re.Match[str]) -> str:
    lead, name, value = m.groups()
    return f"{lead}{name}={MASK}" if value and is_secret_name(name) else m.group(0)
