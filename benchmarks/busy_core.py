"""Keeps one core busy with a fixed single-threaded NumPy loop until killed: the "under load" condition of
benchmarks/compare.py --under-load (another program on the machine, as a browser on a laptop).

Run: OPENBLAS_NUM_THREADS=1 python benchmarks/busy_core.py
"""

import numpy as np


def main():
    rng = np.random.default_rng(0)
    a = rng.random((256, 256), dtype=np.float32)
    b = rng.random(1 << 20, dtype=np.float32)
    while True:  # a GEMM and an elementwise pass in turn: both the core's FPU and its memory traffic are used
        a = a @ a
        a /= np.abs(a).max() + 1.0
        np.sin(b, out=b)


if __name__ == "__main__":
    main()
