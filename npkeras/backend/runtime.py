"""The scope fit/evaluate/predict and the *_on_batch calls compute in: thread and memory policy."""

import contextlib

from npkeras.backend import threads
from npkeras.backend.memory import keep_freed_memory
from npkeras.backend.parallel import chunk_workers_scope


@contextlib.contextmanager
def compute_scope():
    """Memory kept for reuse, BLAS on the policy's threads, and chunked ops on every core when
    BLAS runs single-threaded (several workers each on multi-threaded BLAS would oversubscribe)."""
    keep_freed_memory()
    with threads.blas_threads_scope(), chunk_workers_scope(threads.get_blas_threads() == 1):
        yield
