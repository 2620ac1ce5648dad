"""Does each part of the compute scope's policy pay? Trains the notes' CNN with it on and off.

Usage: NTRAIN=6400 python benchmarks/runtime_policy.py [BATCH] [ROUNDS]
Runs benchmarks/npkeras_seed.py in fresh processes, alternating the variants over ROUNDS
rounds (the machine is noisy), and prints each variant's best training and inference rate.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VARIANTS = {
    "policy as shipped": {},
    "freed memory returned to the OS": {"NPKERAS_KEEP_FREED_MEMORY": "0"},
    "no GEMM on two threads": {"NPKERAS_LARGE_GEMM_MACS": str(1 << 62)},
    "BLAS's own threads throughout": {"NPKERAS_BLAS_THREADS": "none"},
}


def measure(env, batch):
    out = subprocess.run(
        [sys.executable, str(HERE / "npkeras_seed.py"), "cnn", "2", str(batch)],
        env={**os.environ, "NTRAIN": os.environ.get("NTRAIN", "6400"), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return result["train_samples_per_s"], 10_000 / result["eval_s"]


def main():
    batch = int(sys.argv[1]) if len(sys.argv) > 1 else 32
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    best = {name: (0.0, 0.0) for name in VARIANTS}
    for _ in range(rounds):
        for name, env in VARIANTS.items():
            train, infer = measure(env, batch)
            best[name] = (max(best[name][0], train), max(best[name][1], infer))
    base = best["policy as shipped"]
    print(f"notes' CNN, batch {batch}, best of {rounds} rounds: training / evaluate(256) samples/s")
    for name, (train, infer) in best.items():
        print(f"  {name:<34} {train:>7,.0f} ({train / base[0]:.2f}x)  {infer:>7,.0f} ({infer / base[1]:.2f}x)")


if __name__ == "__main__":
    main()
