"""BLAS thread policy: fit/evaluate/predict run with one BLAS thread unless told otherwise.

The GEMMs of small models (a 32x784 by 784x128 product) take microseconds, so a second
BLAS thread saves little, and when another process keeps a core busy it waits for that core.
Measured with benchmarks/blas_threads.py on the notes' MLP (2-core machine, samples/s):

    quiet machine       batch 32: 1 thread 44.2k, 2 threads 45.7k (0.97x)
                        batch 128: 1 thread 101k, 2 threads 128k (0.79x)
    one core kept busy  batch 32: 1 thread 43.8k, 2 threads 21.3k (2.05x)
                        batch 128: 1 thread 94.9k, 2 threads 43.2k (2.20x)

One thread loses at most a fifth on a quiet machine and wins twofold on a shared one, so it
is the default; `set_blas_threads(None)` leaves BLAS's own setting.
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
