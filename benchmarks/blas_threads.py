"""How many BLAS threads should fit() use? Times the notes' MLP with 1 thread and with all.

Usage: NTRAIN=12000 python benchmarks/blas_threads.py [BATCH ...]
Runs npkeras_seed.py in fresh processes, alternating the two settings over three rounds.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(threads, batch):
    env = {**os.environ, "NPKERAS_BLAS_THREADS": threads, "NTRAIN": os.environ.get("NTRAIN", "12000")}
    out = subprocess.run(
        [sys.executable, str(HERE / "npkeras_seed.py"), "mlp", "2", str(batch)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])["train_samples_per_s"]


def main():
    batches = [int(b) for b in sys.argv[1:]] or [32, 128]
    for batch in batches:
        best = {"1": 0.0, "none": 0.0}
        for _ in range(3):
            for threads in best:
                best[threads] = max(best[threads], measure(threads, batch))
        print(
            f"batch {batch}: one BLAS thread {best['1']:,.0f} samples/s, BLAS default {best['none']:,.0f} "
            f"samples/s, ratio {best['1'] / best['none']:.2f}x"
        )


if __name__ == "__main__":
    main()
