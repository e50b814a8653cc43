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


def map_chunks(fn: Callable[[Sequence[T]], R], seq: Sequence[T], progress=None,
               contiguous: bool = False, min_parallel: int | None = None) -> list[R]:
    """fn applied to chunks of seq, in parallel where worthwhile (`min_parallel` units or more,
    MIN_PARALLEL unless given); results in chunk order.

    Chunks interleave (seq[i::n]) to even out slow members, or are contiguous ranges in
    order when the caller merges results by position."""
    n = workers()
    if min_parallel is None:   # read at each call: tests lower it to run small trees in workers
        min_parallel = MIN_PARALLEL
    if n < 2 or len(seq) < max(min_parallel, 1) or "fork" not in mp.get_all_start_methods():
        result = fn(seq)
        if progress is not None:
            progress.update(len(seq))
        return [result]
    global _job
    count = n * 8   # several chunks per worker evens out slow pages
    if contiguous:
        step = -(-len(seq) // count)
        chunks = [seq[i:i + step] for i in range(0, len(seq), step)]
    else:
        chunks = [seq[i::count] for i in range(count)]
    _job = (fn, chunks)
    try:
        with mp.get_context("fork").Pool(n) as pool:
            results = []
            for size, result in pool.imap(_run, range(len(chunks))):
                results.append(result)
                if progress is not None:
                    progress.update(size)
    finally:
        _job = None
    return results
