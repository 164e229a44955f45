"""Exact-duplicate keys: canonical URLs and normalised-text hashes.

Two items with the same key are one article, whatever feed carried them. Tracking
parameters are stripped by courlan (trafilatura's URL library, kept up to date with new
trackers); AMP and mobile variants are folded here because courlan leaves them alone.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from courlan import normalize_url

from bot.errors import URLError
from bot.models import Item

# Mobile / AMP host prefixes that serve the same article as the bare host.
_VARIANT_HOST = re.compile(r"^(?:amp|m|mobile)\.(?=[^.]+\.[^.]+)")
# Trackers courlan's list does not cover (it catches utm_*, *_medium, *_campaign, fbclid...).
_EXTRA_TRACKERS = frozenset(
    {
        "at_custom1",
        "at_custom2",
        "at_custom3",
        "at_custom4",
        "cmpid",
        "ocid",
        "smid",
        "sr_share",
        "share",
        "ito",
        "ns_mchannel",
        "ns_source",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
    }
)
_AMP_PARAMS = frozenset({"amp", "outputtype", "amp_js_v", "usqp"})
_AMP_VALUES = frozenset({"amp"})  # output=amp, format=amp
_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w\s]")


def canonical_url(url: str) -> str:
    """The one address of an article: no trackers, fragment, AMP/mobile variant or default port."""
    raw = (url or "").strip()
    parts = urlsplit(raw)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise URLError(f"not an http(s) URL: {raw[:200]!r}")
    parts = urlsplit(normalize_url(raw))  # lower host, default ports, known trackers, sorted query
    host = _VARIANT_HOST.sub("", parts.netloc.lower())
    if host.startswith("www."):
        host = host[4:]  # www. and bare host serve one article; keeping either would split keys
    path = _strip_amp_path(parts.path) or "/"
    query = _clean_query(parts.query)
    # https and http copies of one page are one article.
    return urlunsplit(("https", host, path, query, ""))


def _strip_amp_path(path: str) -> str:
    # /amp/news/x, /news/x/amp, /news/x.amp, /news/x.amp.html are all AMP copies of /news/x.
    segments = [s for s in path.split("/") if s and s.lower() != "amp"]
    if segments:
        last = re.sub(r"\.amp(?=\.html?$|$)", "", segments[-1], flags=re.IGNORECASE)
        segments[-1] = last
    trailing = "/" if path.endswith("/") and segments else ""
    return "/" + "/".join(segments) + trailing if segments else ""


def _clean_query(query: str) -> str:
    kept = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        k = key.lower()
        if k in _EXTRA_TRACKERS or k in _AMP_PARAMS or value.lower() in _AMP_VALUES:
            continue
        kept.append((key, value))
    return urlencode(sorted(kept))


def normalise_text(text: str) -> str:
    """Case-, accent-, punctuation- and space-insensitive form of a text."""
    folded = unicodedata.normalize("NFKD", text or "")
    if not folded.isascii():  # no accents to drop in ASCII: most feed text skips the char loop
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.casefold()
    return _SPACE.sub(" ", _NON_WORD.sub(" ", folded)).strip()


def content_key(title: str, text: str) -> str:
    """Hash of the normalised title and text: two copies of one article share it."""
    body = f"{normalise_text(title)}\n{normalise_text(text)}"
    if not body.strip():
        raise ValueError("content_key needs a title or a text")
    return hashlib.sha256(body.encode()).hexdigest()[:32]


MIN_TEXT_FOR_KEY = 80  # shorter texts ("Read more") are not evidence of the same article


def dedup_keys(item: Item) -> tuple[str | None, str | None]:
    """(canonical URL, content key): the same article from another feed or URL variant."""
    try:
        canonical = canonical_url(item.url) if item.url else None
    except URLError:
        canonical = None
    text = item.text or item.summary
    return canonical, (content_key(item.title, text) if len(text) >= MIN_TEXT_FOR_KEY else None)
