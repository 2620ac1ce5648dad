"""Settings BLAS reads once, when NumPy loads it: imported by npkeras/__init__.py before anything imports NumPy.

OpenBLAS's idle worker threads spin for 2^OPENBLAS_THREAD_TIMEOUT cycles after each multi-threaded GEMM
before they sleep: 2^28 by default, about 0.1 s of a core here (102 ms of CPU time during a 0.3 s sleep
after one 1024x1024 product). Inside fit a product lifted to all BLAS threads (backend/threads.py) is often
followed by work that npkeras itself runs on both cores (backend/parallel.py), and a spinning worker takes
half of one of them. 2^16 cycles (tens of microseconds) keeps a worker awake between back-to-back products
and lets it sleep before that work starts: in same-machine runs the notes' CNN at batch 128 trained 13% faster
with it, the notes' LSTM at batch 128 15%, and the row-LSTM's time loops gain from running on both cores
(ops/rnn.py) only with it. A value the user set stays; once NumPy is loaded this changes nothing (import
npkeras first, or set OPENBLAS_THREAD_TIMEOUT yourself).
"""

import os
import sys

OPENBLAS_THREAD_TIMEOUT = "18"

if "numpy" not in sys.modules:
    os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", OPENBLAS_THREAD_TIMEOUT)
