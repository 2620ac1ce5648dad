"""BLAS thread policy: fit/evaluate/predict run small GEMMs on one BLAS thread, large ones on all.

The GEMMs of small models (a 32x784 by 784x128 product) take microseconds, so a second
BLAS thread saves little, and when another process keeps a core busy it waits for that core.
Measured with benchmarks/blas_threads.py on the notes' MLP (2-core machine, samples/s):

    quiet machine       batch 32: 1 thread 44.2k, 2 threads 45.7k (0.97x)
                        batch 128: 1 thread 101k, 2 threads 128k (0.79x)
    one core kept busy  batch 32: 1 thread 43.8k, 2 threads 21.3k (2.05x)
                        batch 128: 1 thread 94.9k, 2 threads 43.2k (2.20x)

A convolution's GEMMs are large (the notes' CNN: 3872x288 by 288x64 at batch 32), and there
the second thread pays (benchmarks/gemm_threads.py, one GEMM, time on 1 thread / on 2):

    quiet machine       3872x288x64: 1.71x;  21632x9x32: 1.91x;  288x576x64: 1.64x
    one core kept busy  3872x288x64: 0.73x;  21632x9x32: 0.73x;  288x576x64: 0.81x

So inside the scope every BLAS library runs on `get_blas_threads()` threads (1 by default),
and `matmul` lifts a product of at least LARGE_GEMM_MACS multiply-adds to the library's own
thread count for its duration (switching costs about a microsecond), unless other programs
keep a core busy now (machine_load.py): then every GEMM stays on one thread.
`set_blas_threads(None)` leaves BLAS's own setting everywhere.
"""

import contextlib
import os
import threading

import numpy as np

from npkeras.backend.global_state import context
from npkeras.backend.machine_load import machine_busy


def _large_gemm_macs():
    value = os.environ.get("NPKERAS_LARGE_GEMM_MACS", str(1 << 22))
    try:
        return int(value)
    except ValueError:
        raise ValueError(
            f"NPKERAS_LARGE_GEMM_MACS must be an integer number of multiply-adds. Received {value!r}"
        ) from None


_DEFAULT_TRAINING_THREADS = 1
LARGE_GEMM_MACS = _large_gemm_macs()  # ~4M: the MLP's 32x784x128 stays on one thread
_training_threads = _DEFAULT_TRAINING_THREADS
_controller = None  # threadpoolctl's view of the loaded BLAS libraries, scanned once
# BLAS's thread count is one setting for the whole process, so what follows is process-wide too.
_lock = threading.Lock()  # guards the scope's entry and exit and the lifting of thread counts
_computing_threads = 0  # threads inside a scope: the first applies the policy, the last restores BLAS
_own_threads = []  # [(library, its own thread count)] while a scope is open
_large_gemm_threads = None  # while a scope is open: the libraries large GEMMs are lifted on


def set_blas_threads(n):
    """Set how many BLAS threads fit/evaluate/predict use; None leaves BLAS's own setting."""
    global _training_threads
    if n is not None and (not isinstance(n, int) or isinstance(n, bool) or n < 1):
        raise ValueError(f"`n` must be a positive integer or None. Received: n={n!r}")
    _training_threads = n


def get_blas_threads():
    """The BLAS thread count used inside fit/evaluate/predict (None: BLAS's default)."""
    return _training_threads


def _set_num_threads(lib, n):
    """Set a library's thread count from whichever thread runs this. threadpoolctl lets only one thread set
    OpenBLAS's shared pool (the first to try; the others are silently ignored), but a scope may close in any
    thread, so each change here, made under `_lock`, first takes that control. OpenBLAS's own pool is set
    straight through its C function (0.2 us against threadpoolctl's 1.8, twice per lifted GEMM)."""
    direct = _direct_setters.get(id(lib))
    if direct is None:
        direct = _direct_setters[id(lib)] = _openblas_setter(lib) or False
    if direct:
        direct(n)
        return
    take_control = getattr(type(lib), "clear_controlling_thread", None)
    if take_control is not None:
        take_control(force=True)
    lib.set_num_threads(n)


_direct_setters = {}  # id(threadpoolctl controller) -> OpenBLAS's openblas_set_num_threads, or False


def _openblas_setter(lib):
    """OpenBLAS's own thread-count function when its pool is process-wide (not OpenMP's per thread), else None."""
    if not _openblas_own_pool(lib):
        return None
    symbol = getattr(lib, "_get_symbol", None)
    return symbol("openblas_set_num_threads") if symbol is not None else None


def _openblas_own_pool(lib):
    """Whether `lib` is OpenBLAS on its own process-wide pthreads pool (not OpenMP's threads)."""
    return getattr(lib, "internal_api", None) == "openblas" and getattr(lib, "threading_layer", None) != "openmp"


def idle_workers_sleep():
    """Whether BLAS's idle threads sleep soon after a multi-threaded product (OpenBLAS's pthreads pool with a short
    OPENBLAS_THREAD_TIMEOUT, as npkeras/_blas_env.py sets it), instead of spinning on a core that npkeras's own
    chunk threads could use. Read once: the library took the setting when it loaded."""
    global _idle_workers_sleep
    if _idle_workers_sleep is None:
        libraries = _blas_libraries()
        _idle_workers_sleep = bool(libraries) and all(_sleeps_soon(lib) for lib in libraries)
    return _idle_workers_sleep


_idle_workers_sleep = None
SHORT_SPIN_TIMEOUT = 20  # 2^20 cycles, well under a millisecond


def _sleeps_soon(lib):
    """Whether `lib` is OpenBLAS's own pool and took an OPENBLAS_THREAD_TIMEOUT of at most SHORT_SPIN_TIMEOUT (0 means
    unset: the default, 2^28 cycles). Other libraries' threads spin in ways this cannot read, so they count as not."""
    timeout = getattr(getattr(lib, "dynlib", None), "openblas_thread_timeout", None)
    return _openblas_own_pool(lib) and timeout is not None and 0 < timeout() <= SHORT_SPIN_TIMEOUT


def _blas_libraries():
    global _controller
    if _controller is None:
        from threadpoolctl import ThreadpoolController

        _controller = ThreadpoolController()
    return [lib for lib in _controller.lib_controllers if lib.user_api == "blas"]


@contextlib.contextmanager
def blas_threads_scope():
    """Limit BLAS threads to the policy's count for the block; `matmul` may lift large GEMMs.

    Scopes nest (a thread counts once, at its outermost scope) and may be open in several
    threads at once: the first thread to enter applies the policy and the last to leave restores it.
    """
    global _computing_threads, _own_threads, _large_gemm_threads
    if _training_threads is None:
        yield
        return
    context.compute_depth += 1
    if context.compute_depth == 1:
        with _lock:
            if _computing_threads == 0:
                _own_threads = [(lib, lib.num_threads) for lib in _blas_libraries()]
                for lib, _ in _own_threads:
                    _set_num_threads(lib, _training_threads)
                _large_gemm_threads = [(lib, n) for lib, n in _own_threads if n > _training_threads]
            _computing_threads += 1
    try:
        yield
    finally:
        context.compute_depth -= 1
        if context.compute_depth == 0:
            with _lock:
                _computing_threads -= 1
                if _computing_threads == 0:
                    _large_gemm_threads = None
                    for lib, n in _own_threads:
                        _set_num_threads(lib, n)


def chunk_threads():
    """How many threads an op may run its independent chunks on: the cores BLAS would use, while a
    one-thread scope is open (1 otherwise, and inside a chunk already running beside others)."""
    lift = _large_gemm_threads
    if not lift or _training_threads != 1 or context.chunk_worker:
        return 1
    return max(n for _, n in lift)


@contextlib.contextmanager
def gemms_on_one_thread():
    """Keep `matmul` from lifting this thread's GEMMs: other threads are using the other cores."""
    context.chunk_worker = True
    try:
        yield
    finally:
        context.chunk_worker = False


def matmul(a, b, out=None, lift_from=None):
    """`a @ b` for 2-D arrays, on all BLAS threads when large enough to gain from them: at least
    `lift_from` multiply-adds (default LARGE_GEMM_MACS)."""
    lift = _large_gemm_threads
    if (
        not lift
        or context.chunk_worker
        or _computing_threads > 1  # another thread computes too: it has the other cores, and a lift would reach it
        or a.shape[0] * a.shape[1] * b.shape[1] < (LARGE_GEMM_MACS if lift_from is None else lift_from)
        or machine_busy()  # the other core is taken: a second BLAS thread would wait for it
    ):
        return np.matmul(a, b, out=out)
    with _lock:
        if _large_gemm_threads is not lift:  # the scope closed meanwhile: BLAS is back to its own
            lift = ()
        for lib, n in lift:
            _set_num_threads(lib, n)
    try:
        return np.matmul(a, b, out=out)
    finally:
        with _lock:
            if _large_gemm_threads is lift:
                for lib, _ in lift:
                    _set_num_threads(lib, _training_threads)
