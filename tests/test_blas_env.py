"""npkeras/_blas_env.py: OpenBLAS's idle threads sleep soon after a product when npkeras loads before NumPy."""

import os
import subprocess
import sys

import pytest
from threadpoolctl import threadpool_info

from npkeras._blas_env import OPENBLAS_THREAD_TIMEOUT

REPORT = (
    "import os; from npkeras.backend import threads; "
    "print(os.environ.get('OPENBLAS_THREAD_TIMEOUT'), threads.idle_workers_sleep())"
)


def _openblas_pthreads_pool():
    """Whether NumPy's BLAS is OpenBLAS on its own pthreads pool of more than one thread."""
    return any(
        pool["internal_api"] == "openblas" and pool.get("threading_layer") == "pthreads" and pool["num_threads"] > 1
        for pool in threadpool_info()
        if pool["user_api"] == "blas"
    )


needs_openblas_pool = pytest.mark.skipif(not _openblas_pthreads_pool(), reason="needs OpenBLAS's pthreads pool")


def _run(code, **env):
    """The words a fresh interpreter prints running `code`, without this process's timeout setting."""
    clean = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_THREAD_TIMEOUT", "GOTO_THREAD_TIMEOUT")}
    out = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True, check=True)
    return out.stdout.split()


@needs_openblas_pool
def test_npkeras_imported_first_sets_a_short_timeout_that_openblas_takes():
    assert _run("import npkeras; " + REPORT) == [OPENBLAS_THREAD_TIMEOUT, "True"]


def test_numpy_loaded_first_is_left_as_it_is():
    assert _run("import numpy, npkeras; " + REPORT) == ["None", "False"]


def test_a_timeout_the_user_set_stays():
    assert _run("import npkeras; " + REPORT, OPENBLAS_THREAD_TIMEOUT="28") == ["28", "False"]


@needs_openblas_pool
@pytest.mark.parametrize("first, spins", [("npkeras", False), ("numpy", True)])
def test_idle_openblas_threads_sleep_after_a_product_only_with_the_short_timeout(first, spins):
    """CPU time of the process during a 0.3 s sleep that follows a 2-thread product: about 0.1 s while OpenBLAS's
    default timeout keeps its idle thread spinning, next to nothing with npkeras's."""
    code = (
        f"import {first}, numpy as np, time; a = np.ones((1024, 1024), np.float32); a @ a; "
        "start = time.process_time(); time.sleep(0.3); print(time.process_time() - start)"
    )
    cpu_seconds = float(_run(code)[0])
    assert (cpu_seconds > 0.03) if spins else (cpu_seconds < 0.03)
