"""What a build lets go of goes back to the system (gxsite/core/memory.py), not only to
Python's allocator: the peak of a 100,000-item build is measured in the machine's memory."""
from __future__ import annotations

import pytest

from gxsite.core import memory


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


@pytest.mark.skipif(memory._TRIM is None, reason="only glibc's heap can be trimmed")
def test_freed_large_values_are_given_back():
    # 4 KB values, as the API's documents are: malloc's heap, not Python's small-object arenas.
    values = [bytes([n % 251]) * 4096 for n in range(50_000)]
    pin = [bytes(4096) for _ in range(16)]   # allocated after them: the heap cannot just shrink
    before = _rss_mb()
    del values
    kept = _rss_mb()
    memory.give_back()
    after = _rss_mb()
    assert before - kept < 50 < kept - after, (before, kept, after)   # ~200 MB freed, given back only now
    assert len(pin) == 16
