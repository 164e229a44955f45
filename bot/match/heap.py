"""Giving the C heap's freed memory back to the system, where the index is built or loaded."""

from __future__ import annotations

import ctypes


def give_back_freed() -> None:
    """Return the C heap's free pages to the system (glibc's malloc_trim; nothing elsewhere).
    Freed blocks below the heap's top otherwise stay resident: the build frees millions of small
    objects, and after the automaton's 16 MB pickle chunks are freed glibc serves the tables'
    arrays from the heap too, so their unpickling leaves freed pages behind."""
    # the process's own symbols: libc's on Linux, found without find_library's ldconfig run (4 ms)
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
    if trim is not None:
        trim(0)
