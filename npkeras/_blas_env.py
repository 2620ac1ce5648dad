"""Settings BLAS reads once, when NumPy loads it: imported by npkeras/__init__.py before anything imports NumPy.

OpenBLAS's idle worker threads spin for 2^OPENBLAS_THREAD_TIMEOUT cycles after each multi-threaded GEMM
before they sleep: 2^28 by default, about 0.1 s of a core here (102 ms of CPU time during a 0.3 s sleep
after one 1024x1024 product). Inside fit a product lifted to all BLAS threads (backend/threads.py) is often
followed by work that npkeras itself runs on both cores (backend/parallel.py), and a spinning worker takes
half of one of them. 2^20 cycles (0.4 ms at 2.6 GHz) keeps a worker awake between the back-to-back
products of a recurrent time loop or of a small batch's convolutions, and lets it sleep before that work
starts.

Same-machine A/Bs against the tree before this setting (spinning workers; training samples/s, best epoch of 3
alternated rounds): the row-LSTM at batch 128 1.10x (its time loops now on both cores, ops/rnn.py), the notes' LSTM at
batch 128 1.10x, the notes' CNN at batch 128 1.03x; at batch 32 the CNN 0.99x, the MLP 1.01x, the LSTM 0.99x.
Shorter timeouts cost the batch-32 models a wake-up per lifted product: with 2^16 the LSTM lost 13%, with 2^18
the CNN about 5%.

A value the user set stays. Once NumPy is loaded this changes nothing: import npkeras first, or set
OPENBLAS_THREAD_TIMEOUT yourself.
"""

import os
import sys

OPENBLAS_THREAD_TIMEOUT = "20"

if "numpy" not in sys.modules:
    os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", OPENBLAS_THREAD_TIMEOUT)
