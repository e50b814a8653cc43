"""Memory the build has let go of, given back to the system."""
from __future__ import annotations

import ctypes


def _malloc_trim():
    try:
        return ctypes.CDLL(None).malloc_trim   # glibc; elsewhere there is none and nothing to do
    except (OSError, AttributeError):
        return None


_TRIM = _malloc_trim()


def give_back() -> None:
    """Return the free pages of C's heap to the system. Large values a stage drops (the search
    index's postings, the API's documents: a gigabyte at 100,000 items) are freed into malloc's
    heap, which Python's small objects, kept in arenas of their own, never reuse: without this
    the memory stays the process's until it ends. A few milliseconds."""
    if _TRIM is not None:
        _TRIM(0)
