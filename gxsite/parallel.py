"""Spread independent work (Markdown bodies, page rendering) over the machine's cores.

Workers are forked, so they see the parent's fully resolved Library without pickling it;
only each chunk's small results travel back. Small jobs stay in-process.
"""
from __future__ import annotations

import multiprocessing as mp
import os
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_PARALLEL = 400    # below this many units, forking costs more than it saves
_job: tuple[Callable, list] | None = None


def workers() -> int:
    override = os.environ.get("GXSITE_WORKERS")
    if override:
        return max(1, int(override))
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _run(index: int):
    fn, chunks = _job
    return len(chunks[index]), fn(chunks[index])


def map_chunks(fn: Callable[[Sequence[T]], R], seq: Sequence[T], progress=None) -> list[R]:
    """fn applied to chunks of seq, in parallel where worthwhile; results in chunk order."""
    n = workers()
    if n < 2 or len(seq) < MIN_PARALLEL or "fork" not in mp.get_all_start_methods():
        result = fn(seq)
        if progress is not None:
            progress.update(len(seq))
        return [result]
    global _job
    count = n * 8   # several chunks per worker evens out slow pages
    chunks = [seq[i::count] for i in range(count)]
    _job = (fn, chunks)
    try:
        with mp.get_context("fork").Pool(n) as pool:
            results = []
            for size, result in pool.imap(_run, range(count)):
                results.append(result)
                if progress is not None:
                    progress.update(size)
    finally:
        _job = None
    return results
