"""Training FLOPs of a model and the machine's float32 GEMM peak: the share of the machine used.

Only the GEMM work is counted (Dense, convolution and recurrent layers: forward, kernel gradient
and, except for the first layer, input gradient), so the share is a lower bound on utilisation.
"""

import time

import numpy as np


def training_flops_per_sample(model):
    """Multiply-add FLOPs of one training sample's forward and backward GEMMs."""
    from npkeras import layers

    total, first = 0, True
    for layer in model.layers:
        if isinstance(layer, layers.Dense):
            forward = 2 * layer.kernel.shape[0] * layer.kernel.shape[1]
        elif isinstance(layer, (layers.Conv1D, layers.Conv2D)):
            out_shape = layer.compute_output_shape(layer._build_shapes)
            forward = 2 * int(np.prod(out_shape[1:-1])) * int(np.prod(layer.kernel.shape))
        elif isinstance(layer, layers.RNN):  # per step: x W and h U, h U's gradient even in the first layer
            steps, cell = layer._build_shapes[1], layer.cell
            input_part = 2 * steps * cell.kernel.shape[0] * cell.kernel.shape[1]
            forward = input_part + 2 * steps * cell.units * cell.kernel.shape[1]
            total += 3 * forward - (input_part if first else 0)
            first = False
            continue
        else:
            first = first and not isinstance(layer, layers.Embedding)  # an embedding wants its input gradient
            continue
        total += forward * (2 if first else 3)  # forward + kernel gradient (+ input gradient)
        first = False
    return total


def gemm_peak_gflops(n=1024, seconds=1.5):
    """Best float32 GEMM rate (GFLOP/s) of an n x n product with BLAS's own thread count."""
    a = np.random.default_rng(0).random((n, n), dtype=np.float32)
    b = a.T.copy()
    a @ b
    best, start = float("inf"), time.perf_counter()
    while time.perf_counter() - start < seconds:
        t = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - t)
    return 2 * n**3 / best / 1e9
