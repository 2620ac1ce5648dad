"""Run an op's independent chunks on every core.

NumPy releases the GIL inside ufunc loops, strided copies and BLAS calls, so Python threads
that each take a slice of the batch keep all cores busy with all of a convolution's work
(im2col, GEMM, ReLU, col2im), where multi-threaded BLAS would only split its GEMMs. Inside
the compute scope, when BLAS runs one thread per call and the process may use more than one
core, `map_chunks` hands chunks to one worker thread per core; a core kept busy by another
process slows one worker while the others take more chunks.
"""

import contextlib
import os
from concurrent.futures import ThreadPoolExecutor

_workers = 1  # inside the compute scope: how many chunks run at once
_executor = None


def available_cores():
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@contextlib.contextmanager
def chunk_workers_scope(enabled):
    """Within the block, `map_chunks` uses one worker per core if `enabled` (and cores > 1)."""
    global _workers
    before = _workers
    _workers = available_cores() if enabled else 1
    try:
        yield
    finally:
        _workers = before


def chunk_workers():
    """How many chunks run at once here (1 outside the compute scope)."""
    return _workers


def map_chunks(fn, chunks):
    """[fn(chunk) for chunk in chunks], spread over the workers when there are several."""
    if _workers < 2 or len(chunks) < 2:
        return [fn(chunk) for chunk in chunks]
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=available_cores(), thread_name_prefix="npkeras-chunk")
    return list(_executor.map(fn, chunks))
