"""Refuse XML that declares entities before any parser that might expand them sees it.

Billion laughs, quadratic blowup and XXE all need an <!ENTITY> declaration.
defusedxml's expat parser stops at the first one; a document that is merely
broken (truncated, HTML) is left to the lenient feed parsers.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import XMLParser

from bot.errors import HostileXml


def refuse_entities(body: bytes) -> str | None:
    """Raise HostileXml when the document declares entities or external references.

    Returns None for a well-formed document, else expat's complaint (for reports).
    """
    parser = XMLParser(forbid_dtd=False, forbid_entities=True, forbid_external=True)
    try:
        parser.feed(body)
        parser.close()
        return None
    except DefusedXmlException as e:
        raise HostileXml(f"refused XML: {type(e).__name__} ({e})") from None
    except (ParseError, xml.parsers.expat.ExpatError, ValueError, LookupError) as e:
        return str(e)[:150]  # broken or oddly encoded, not hostile: the lenient parsers decide


_ROOT = re.compile(rb"<([A-Za-z_][\w:.-]*)")


def looks_truncated(body: bytes) -> bool:
    """A document whose root element is never closed was cut off in transit.

    Its last entry may be cut too (a title without its link would get a new
    id and be posted again once the full entry arrives), so it is not used.
    """
    m = _ROOT.search(body, 0, 4096)
    if m is None:
        return False
    tail = body.rstrip()[-len(m.group(1)) - 16 :]
    return not (tail.endswith(b"</" + m.group(1) + b">") or tail.endswith(b"/>"))
