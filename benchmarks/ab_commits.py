"""Same-run A/B of npkeras against an earlier commit: the notes' models, trained by both, rounds alternated.

Checks a change for speed regressions on this noisy machine: both trees run benchmarks/npkeras_seed.py
(each in its own process, the earlier one from a temporary git worktree), alternating over several
rounds (each going first in every other round), and each keeps its best epoch. Prints samples/s and
the ratio this tree / the earlier one.

Usage:
  python benchmarks/ab_commits.py --base HEAD~1 --models mlp,cnn,lstm --batch 32 --epochs 2 --rounds 3
NTRAIN in the environment trains on a subset (the LSTM reads Reuters from REUTERS_DIR).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def run_seed(tree, model, epochs, batch):
    """One npkeras_seed.py run with `tree`'s npkeras first on the path; its JSON line, or the error."""
    env = {**os.environ, "PYTHONPATH": f"{tree}{os.pathsep}{tree / 'benchmarks'}"}
    cmd = [sys.executable, str(tree / "benchmarks" / "npkeras_seed.py"), model, str(epochs), str(batch)]
    out = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode or not lines:
        return {"error": (out.stderr or out.stdout).strip().splitlines()[-1:] or ["no output"]}
    return json.loads(lines[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD~1", help="the earlier commit (anything git rev-parse takes)")
    parser.add_argument("--models", default="mlp,cnn,lstm")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    base = subprocess.run(["git", "rev-parse", "--short", args.base], cwd=REPO, capture_output=True, text=True,
                          check=True).stdout.strip()  # fmt: skip
    print(f"this tree vs {base}: batch {args.batch}, {args.epochs} epochs, {args.rounds} rounds, "
          f"NTRAIN={os.environ.get('NTRAIN', '60000')}")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        worktree = Path(folder) / "base"
        subprocess.run(["git", "worktree", "add", "--detach", str(worktree), base], cwd=REPO, check=True,
                       capture_output=True)  # fmt: skip
        try:
            for model in args.models.split(","):
                best = {"this": 0.0, base: 0.0}
                for round_number in range(args.rounds):
                    pair = [("this", REPO), (base, worktree)]
                    for label, tree in pair if round_number % 2 == 0 else pair[::-1]:  # neither always goes first
                        result = run_seed(tree, model, args.epochs, args.batch)
                        if "error" in result:
                            print(f"  {model} {label}: failed: {result['error']}")
                            continue
                        best[label] = max(best[label], result["train_samples_per_s"])
                ratio = best["this"] / best[base] if best[base] else float("nan")
                print(
                    f"{model:<8} this {best['this']:>9,.0f}  {base} {best[base]:>9,.0f}  samples/s  ratio {ratio:.3f}"
                )
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=REPO, capture_output=True)


if __name__ == "__main__":
    main()
