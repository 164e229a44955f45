"""Logging for every command: one record is one line, whatever text it carries.

A record's message and its exception's message can hold text from outside (a Slack request,
a feed, a file). A newline in it would write a line that looks like our own (a fake
`CRITICAL`), and a terminal escape could rewrite what an operator sees. The filter escapes
control characters, line separators and bidi overrides before any handler formats the record.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback

NOISY = ("apscheduler", "waitress", "urllib3", "trafilatura", "alembic")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Parts of a formatted traceback written by Python itself, not by the exception's message.
HEADERS = (
    "Traceback (most recent call last):",
    "\nDuring handling of the above exception, another exception occurred:",
    "\nThe above exception was the direct cause of the following exception:",
)


def escape(text: str) -> str:
    """`text` on one line: each unsafe character written as its escape (`\\n`, `\\x1b`)."""
    return UNSAFE.sub(lambda m: SHORT.get(m[0]) or m[0].encode("unicode_escape").decode(), text)


class OneLine(logging.Filter):
    """Escapes the message and the exception's message of every record a handler emits;
    the traceback keeps its own lines (file, line, code), which come from our source."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = escape(record.getMessage()), None
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            record.exc_text = _traceback(record.exc_info)
        return True


def _traceback(exc_info) -> str:
    parts = traceback.format_exception(*exc_info)
    safe = [p if p.startswith((" ", *HEADERS)) else escape(p.rstrip("\n")) + "\n" for p in parts]
    return "".join(safe).rstrip("\n")


def configure(*, verbose: bool) -> None:
    """Log to stderr, one line per record. Like basicConfig, it leaves a root logger that
    already has handlers (a test runner's) as it is."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.addFilter(OneLine())
        root.addHandler(handler)
        root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)
