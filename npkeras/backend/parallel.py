"""Chunk-parallel loops: an op's independent chunks run on every core, each core on one BLAS thread.

Inside fit/evaluate/predict BLAS runs on one thread (threads.py) and lifts only large GEMMs, so a
convolution's copies and elementwise work (im2col, col2im, the ReLU mask) would use one core of two.
NumPy releases the GIL in its copy loops, ufuncs and BLAS calls, so threads that each take a fixed
share of the chunks keep every core busy with all of an op's work. The shares are fixed, not taken
from a queue, so each thread's partial sums, and the results, are the same every run; the price is
that a core shared with another process would hold its share up. So while other programs keep a
core busy (machine_load.py) the calling thread runs every share itself, one after another, each
with its own state as before: the same sums, on the core that is free.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

from npkeras.backend import threads
from npkeras.backend.machine_load import machine_busy

_pool, _pool_size = None, 0  # the helper threads, started on first use and kept
_pool_lock = threading.Lock()


def _executor(helpers):
    """A pool of at least `helpers` threads (a smaller one is retired once its work is done)."""
    global _pool, _pool_size
    with _pool_lock:
        if _pool_size < helpers:
            if _pool is not None:
                _pool.shutdown(wait=False)
            _pool, _pool_size = ThreadPoolExecutor(max_workers=helpers, thread_name_prefix="npkeras-chunks"), helpers
        return _pool


def split_evenly(length, parts, cores=None):
    """(start, stop) ranges covering 0..length: `parts` of them, rounded up to a multiple of the chunk
    threads (at most `cores`) so that every thread gets as much (at most `length`; one empty range for nothing)."""
    workers = threads.chunk_threads() if cores is None else min(cores, threads.chunk_threads())
    parts = max(1, min(length, -(-parts // workers) * workers))
    bounds = [length * i // parts for i in range(parts + 1)]
    return list(zip(bounds[:-1], bounds[1:]))


def run_chunks(work, chunks, new_state=lambda: None, cores=None):
    """Call `work(chunk, state)` for every chunk, split in order among `threads.chunk_threads()` threads
    (at most `cores`: with one, the calling thread runs them all, and its large GEMMs are lifted).

    Each thread takes one contiguous share of the chunks with its own `new_state()` (an accumulator,
    say), and the states come back in the shares' order, so sums over them are the same every run.
    Chunks must write disjoint outputs; the calling thread takes the first share.
    """
    count = min(threads.chunk_threads() if cores is None else cores, threads.chunk_threads(), len(chunks))
    shares = [chunks[len(chunks) * i // count : len(chunks) * (i + 1) // count] for i in range(count)]

    def run_share(share):
        state = new_state()
        for chunk in share:
            work(chunk, state)
        return state

    if count == 1:
        return [run_share(chunks)]
    if machine_busy():
        with threads.gemms_on_one_thread():
            return [run_share(share) for share in shares]

    def run_helper_share(share):
        with threads.gemms_on_one_thread():
            return run_share(share)

    helpers = [_executor(count - 1).submit(run_helper_share, share) for share in shares[1:]]
    try:
        with threads.gemms_on_one_thread():
            states = [run_share(shares[0])]
    finally:  # the helpers write into the op's arrays: let them finish before anything else runs
        for helper in helpers:
            helper.exception()
    return states + [helper.result() for helper in helpers]
