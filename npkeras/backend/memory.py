"""Keep freed memory in the process while training, so large arrays come back without page faults.

glibc hands blocks above its mmap threshold back to the kernel when they are freed, and trims
the heap's free top, so the next array of that size faults in freshly zeroed pages: a patch
matrix or activation of a few MB then costs more to allocate than to fill. A training step
frees and reallocates the same sizes every step, so the first fit/evaluate/predict (or
*_on_batch) call raises both thresholds for the rest of the process: arrays up to 32 MB come
from the heap, and up to 256 MB of freed heap stays with the process instead of going back to
the system. NPKERAS_KEEP_FREED_MEMORY=0 turns this off. About 10% faster training of the notes'
CNN at batch 128 on a 2-core machine (benchmarks/runtime_policy.py). Off glibc it does nothing.
"""

import ctypes
import os
import sys

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD = 32 << 20
TRIM_THRESHOLD = 256 << 20
_applied = False


def keep_freed_memory():
    """Raise glibc's mmap and trim thresholds once per process (no-op off glibc)."""
    global _applied
    if _applied:
        return
    _applied = True
    if not sys.platform.startswith("linux") or os.environ.get("NPKERAS_KEEP_FREED_MEMORY") == "0":
        return
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # musl or another libc
        return
    mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
