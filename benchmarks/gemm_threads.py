"""Which GEMMs gain from a second BLAS thread? Times the notes' GEMM shapes on 1 and on 2 threads.

Usage: python benchmarks/gemm_threads.py [--busy]
--busy keeps one core busy with a spinning process, as a shared machine does. The results
set npkeras.backend.threads.LARGE_GEMM_MACS.
"""

import subprocess
import sys
import time

import numpy as np
from threadpoolctl import ThreadpoolController

SHAPES = {  # (m, k, n) of one product
    "MLP dense, batch 32": (32, 784, 128),
    "MLP dense, batch 128": (128, 784, 128),
    "CNN conv1, batch 32": (21632, 10, 32),
    "CNN conv2 chunk": (1290, 289, 64),
    "CNN conv2, batch 32": (3872, 289, 64),
    "CNN conv3, batch 32": (288, 577, 64),
    "LSTM(128) step h@U, b32": (32, 128, 512),
    "LSTM(128) step dz@U.T, b32": (32, 512, 128),
    "LSTM(128) step h@U, b128": (128, 128, 512),
    "LSTM x@W all steps, b32": (6400, 64, 512),
}


def seconds_per_product(a, b, repeats):
    a @ b
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(repeats):
            a @ b
        best = min(best, (time.perf_counter() - t) / repeats)
    return best


def main():
    spinner = None
    if "--busy" in sys.argv:
        spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        blas = [lib for lib in ThreadpoolController().lib_controllers if lib.user_api == "blas"]
        rng = np.random.default_rng(0)
        print(f"{'shape':<24} {'MACs':>8} {'1 thread':>10} {'2 threads':>10} {'1t/2t':>6}")
        for name, (m, k, n) in SHAPES.items():
            a, b = rng.random((m, k), dtype=np.float32), rng.random((k, n), dtype=np.float32)
            repeats = max(5, int(2e7 / (m * k * n)))
            times = []
            for threads in (1, 2):
                for lib in blas:
                    lib.set_num_threads(threads)
                times.append(seconds_per_product(a, b, repeats))
            one, two = times[0] * 1e6, times[1] * 1e6
            print(f"{name:<24} {m * k * n / 1e6:7.1f}M {one:9.0f}us {two:9.0f}us {one / two:6.2f}")
    finally:
        if spinner is not None:
            spinner.kill()


if __name__ == "__main__":
    main()
