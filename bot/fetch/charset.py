"""Bytes in whatever encoding a publisher chose (or claimed) → bytes a parser reads right.

A feed that declares UTF-8 but sends Latin-1 is common; parsers then either
fail or fill titles with U+FFFD. We check the declared encoding actually
decodes and, if not, fall back to the HTTP charset and then Windows-1252.
"""

from __future__ import annotations

import codecs
import logging
import re

log = logging.getLogger(__name__)

_DECL = re.compile(rb"^(\s*<\?xml[^>]*?encoding\s*=\s*[\"'])([A-Za-z0-9._:-]+)([\"'])")
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


def declared_encoding(body: bytes) -> str | None:
    m = _DECL.match(body[:200])
    return m.group(2).decode("ascii").lower() if m else None


def normalise(body: bytes, header_charset: str | None = None) -> tuple[bytes, str | None]:
    """(XML bytes a parser decodes correctly, a note when we had to repair the encoding)."""
    if body.startswith(_BOMS):
        return body, None  # a byte-order mark is unambiguous; parsers honour it
    declared = declared_encoding(body)
    first = declared or header_charset or "utf-8"
    if _decodes(body, first):
        return body, None
    for fallback in (header_charset, "utf-8", "cp1252"):
        if fallback and fallback != first and _decodes(body, fallback):
            text = body.decode(fallback)
            note = f"content is not valid {first}; decoded as {fallback}"
            log.info(note)
            return _as_utf8(text, declared is not None), note
    text = body.decode("utf-8", errors="replace")
    return _as_utf8(text, declared is not None), f"content is not valid {first}; bad bytes replaced"


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _as_utf8(text: str, had_declaration: bool) -> bytes:
    data = text.encode("utf-8")
    return _DECL.sub(rb"\1utf-8\3", data, count=1) if had_declaration else data
