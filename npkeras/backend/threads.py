"""BLAS thread policy.

The GEMMs of small models (a 32x784 by 784x128 product) finish in microseconds, where
waking a second BLAS thread costs more than it saves, and a busy neighbour process makes a
second thread wait for a core. Measured on a 2-core machine for the notes' MLP at batch 32
(benchmarks/blas_threads.py): one OpenBLAS thread trains about 1.5-2x faster than two.
npkeras therefore runs fit/evaluate/predict with one BLAS thread unless told otherwise.
"""

import contextlib

_DEFAULT_TRAINING_THREADS = 1
_training_threads = _DEFAULT_TRAINING_THREADS
_controller = None  # threadpoolctl's view of the loaded BLAS libraries, scanned once


def set_blas_threads(n):
    """Set how many BLAS threads fit/evaluate/predict use; None leaves BLAS's own setting."""
    global _training_threads
    if n is not None and (not isinstance(n, int) or isinstance(n, bool) or n < 1):
        raise ValueError(f"`n` must be a positive integer or None. Received: n={n!r}")
    _training_threads = n


def get_blas_threads():
    """The BLAS thread count used inside fit/evaluate/predict (None: BLAS's default)."""
    return _training_threads


@contextlib.contextmanager
def blas_threads_scope():
    """Limit BLAS threads to the policy's count for the duration of the block."""
    if _training_threads is None:
        yield
        return
    global _controller
    if _controller is None:
        from threadpoolctl import ThreadpoolController

        _controller = ThreadpoolController()
    with _controller.limit(limits=_training_threads, user_api="blas"):
        yield
