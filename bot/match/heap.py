"""Giving the C heap's freed memory back to the system, where the index is built or loaded."""

from __future__ import annotations

import ctypes
import ctypes.util


def give_back_freed() -> None:
    """Return the C heap's free pages to the system (glibc's malloc_trim; nothing elsewhere).
    Freed blocks below the heap's top otherwise stay resident: the build frees millions of small
    objects, and after the automaton's 16 MB pickle chunks are freed glibc serves the tables'
    arrays from the heap too, so their unpickling leaves freed pages behind."""
    name = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    if trim is not None:
        trim(0)
