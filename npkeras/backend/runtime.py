"""The scope fit/evaluate/predict and the *_on_batch calls compute in: thread and memory policy."""

import contextlib

from npkeras.backend.memory import keep_freed_memory
from npkeras.backend.threads import blas_threads_scope


@contextlib.contextmanager
def compute_scope():
    """Freed memory kept for reuse, and BLAS on the policy's threads."""
    keep_freed_memory()
    with blas_threads_scope():
        yield
