"""Settings BLAS reads once, when NumPy loads it: imported by npkeras/__init__.py before anything imports NumPy.

OpenBLAS's idle worker threads spin for 2^OPENBLAS_THREAD_TIMEOUT cycles after each multi-threaded GEMM
before they sleep: 2^28 by default, about 0.1 s of a core here (102 ms of CPU time during a 0.3 s sleep
after one 1024x1024 product). Inside fit a product lifted to all BLAS threads (backend/threads.py) is often
followed by work that npkeras itself runs on both cores (backend/parallel.py), and a spinning worker takes
half of one of them. 2^18 cycles (0.1 ms at 2.6 GHz) keeps a worker awake between the back-to-back
products of a recurrent time loop and lets it sleep before that work starts.

Same-machine A/Bs against spinning workers (training samples/s): the row-LSTM at batch 128 1.10x (its time
loops now on both cores, ops/rnn.py), the notes' LSTM at batch 128 1.09x, the notes' CNN at batch 128
1.07x; the CNN, the LSTM and the MLP at batch 32 1.00x. With 2^16 the LSTM at batch 32 lost 13%: each
lifted step product woke a sleeping worker.

A value the user set stays. Once NumPy is loaded this changes nothing: import npkeras first, or set
OPENBLAS_THREAD_TIMEOUT yourself.
"""

import os
import sys

OPENBLAS_THREAD_TIMEOUT = "18"

if "numpy" not in sys.modules:
    os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", OPENBLAS_THREAD_TIMEOUT)
