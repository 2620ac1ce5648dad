"""Per-thread scratch buffers: one reusable array per name, for data consumed within a call.

A hot op that needs a multi-MB temporary each chunk (im2col's patch matrix, a routed pooling
gradient) takes it from here instead of allocating it, sparing the allocation and its cache
misses. Each thread has its own buffers, so ops running in different threads never share one;
within a thread a caller must be done with a buffer before asking for the same name again.
"""

import math
import threading

import numpy as np

KEEP_BYTES = 8 << 20  # larger temporaries (huge single images) are allocated, not kept

_local = threading.local()


def scratch(name, shape, dtype):
    """An uninitialised array of `shape` and `dtype` backed by this thread's buffer `name`."""
    cache = getattr(_local, "buffers", None)
    if cache is None:
        cache = _local.buffers = {}
    dtype = np.dtype(dtype)
    size = math.prod(shape)  # np.prod of a tuple costs microseconds, several times per chunk
    key = (name, dtype)
    buffer = cache.get(key)
    if buffer is None or buffer.size < size:
        buffer = np.empty(size, dtype=dtype)
        if buffer.nbytes <= KEEP_BYTES:
            cache[key] = buffer
    return buffer[:size].reshape(shape)
