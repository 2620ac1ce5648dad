"""Data parallelism on one machine: the notes' CNN on 1 process held to one core against `mpiexec -n 2`.

Usage: python benchmarks/data_parallel.py [EPOCHS] [ROUNDS]   (NTRAIN=6000 for a quick run)
Each process uses one core (one BLAS thread, no chunk threads); the global batch is 64 in both. Prints
samples/s of the best epoch, test accuracy after the last, the Allreduce time per step (gradient averaging
as fit does it) and the scaling efficiency. `python benchmarks/data_parallel.py worker EPOCHS` is one run.
"""

import json
import os
import shutil
import subprocess
import sys
import time

ONE_CORE = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
BATCH = 64


def worker(epochs):
    import numpy as np

    import npkeras
    from npkeras.backend import collective
    from npkeras.cli import MODELS

    processes = npkeras.distribution.num_processes()
    if processes > 1:
        npkeras.distribution.set_distribution(npkeras.distribution.DataParallel())
    build, load = MODELS["cnn"]
    (x, y), (x_test, y_test) = load(None)
    x, y = x[: int(os.environ.get("NTRAIN", len(x)))], y[: int(os.environ.get("NTRAIN", len(x)))]
    npkeras.utils.set_random_seed(0)
    model = build()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    averaging = [0.0, 0]
    if processes > 1:  # time each step's gradient averaging (one Allreduce of one flat buffer)
        average = collective.average_gradients

        def timed(grads):
            started = time.perf_counter()
            out = average(grads)
            averaging[0] += time.perf_counter() - started
            averaging[1] += 1
            return out

        collective.average_gradients = timed
    epoch_seconds = []
    clock = npkeras.callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs: epoch_seconds.append(-time.perf_counter()),
        on_epoch_end=lambda epoch, logs: epoch_seconds.__setitem__(-1, epoch_seconds[-1] + time.perf_counter()),
    )
    model.fit(x, y, batch_size=BATCH, epochs=epochs, verbose=0, callbacks=[clock])
    _, accuracy = model.evaluate(x_test, y_test, batch_size=256, verbose=0)
    if npkeras.distribution.process_id() == 0:
        print(json.dumps({
            "processes": processes,
            "samples_per_s": len(x) / min(epoch_seconds),
            "test_accuracy": accuracy,
            "allreduce_ms_per_step": 1e3 * averaging[0] / max(averaging[1], 1),
            "step_ms": 1e3 * min(epoch_seconds) / -(-len(x) // BATCH),
            "parameters": int(sum(np.prod(w.shape) for w in model.trainable_weights)),
        }))  # fmt: skip


def measure(command, epochs):
    done = subprocess.run([*command, sys.executable, __file__, "worker", str(epochs)], env={**os.environ, **ONE_CORE},
                          capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    mpiexec = shutil.which("mpiexec", path=os.path.dirname(sys.executable)) or shutil.which("mpiexec")
    if mpiexec is None:
        raise SystemExit('needs an mpiexec: pip install "npkeras[mpi]" mpich')
    runs = {"1 process, 1 core": [], "mpiexec -n 2": []}
    for round_ in range(rounds):  # the two take turns going first
        order = list(runs) if round_ % 2 == 0 else list(reversed(runs))
        for name in order:
            runs[name].append(measure([] if name.startswith("1") else [mpiexec, "-n", "2"], epochs))
    best = {name: max(results, key=lambda r: r["samples_per_s"]) for name, results in runs.items()}
    print(f"The notes' CNN, Fashion-MNIST ({os.environ.get('NTRAIN', '60000')} images), global batch {BATCH}, "
          f"{epochs} epochs, best of {rounds} round(s)")  # fmt: skip
    print(f"{'run':<20}{'samples/s':>11}{'step ms':>9}{'allreduce ms':>14}{'test accuracy':>15}")
    for name, r in best.items():
        print(f"{name:<20}{r['samples_per_s']:>11,.0f}{r['step_ms']:>9.2f}{r['allreduce_ms_per_step']:>14.3f}"
              f"{r['test_accuracy']:>15.4f}")  # fmt: skip
    one, two = best["1 process, 1 core"], best["mpiexec -n 2"]
    speedup = two["samples_per_s"] / one["samples_per_s"]
    print(
        f"2 processes / 1: {speedup:.2f}x (scaling efficiency {speedup / 2:.0%}); Allreduce of "
        f"{two['parameters']:,} float32 gradients: {two['allreduce_ms_per_step'] / two['step_ms']:.1%} of a step"
    )
    # fmt: skip


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        worker(int(sys.argv[2]))
    else:
        main()
