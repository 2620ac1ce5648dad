"""Throughput of the notes' models: npkeras beside TensorFlow-CPU, PyTorch-CPU and NumPy by hand.

Runs each library's script in its own process, alternating libraries over several rounds
(the machine is shared and noisy) and keeps each library's best epoch. Prints a table with
samples/s and the ratio npkeras / reference.

Usage:
  python benchmarks/compare.py --model mlp --batches 32,128 --epochs 2 --rounds 2 \
      --ref-python /path/to/venv/bin/python
  python benchmarks/compare.py --model cnn --batches 32,128 ...   (the notes' §1.2 CNN)
  python benchmarks/compare.py --model lstm ...      (the notes' §1.3 LSTM on Reuters top-10; REUTERS_DIR)
  python benchmarks/compare.py --model rowlstm ...   (LSTM(128) over Fashion-MNIST's 28 image rows)
  python benchmarks/compare.py --model transformer ...  (keras-io's text Transformer on Reuters top-10; REUTERS_DIR)
  python benchmarks/compare.py --model resnet20 --batches 64 ...  (ResNet-20 on 32x32 Fashion-MNIST; NTEST)
  python benchmarks/compare.py --model cnn --under-load ...  (also with one core kept busy)
  python benchmarks/compare.py --goals --ref-python ...  (issue 20's plan, benchmarks/speed_goals.py: every
      model at its batch sizes, under load where a goal asks, then a table of the goals met and not)
With --under-load, every measurement runs twice: on the quiet machine, then while benchmarks/busy_core.py keeps
one core busy; the table adds each library's samples/s under load and its slowdown (quiet / loaded).
Besides training it reports inference: test samples/s of evaluate(batch_size=256), which
every script times, and for npkeras the training GEMM rate as a share of this machine's
float32 GEMM peak (benchmarks/flops.py).
The reference python needs tensorflow-cpu==2.21.0 and torch==2.13.0 (see the anchors'
README); without it only npkeras and the NumPy hand loop run. NTRAIN in the environment
trains on a subset.
"""

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from flops import gemm_peak_gflops
from speed_goals import PLAN, print_goals

HERE = Path(__file__).resolve().parent
ANCHORS = Path(os.environ.get("NPKERAS_ANCHORS", HERE.parent.parent / "shared" / "anchors"))


def run(cmd, cwd):
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode or not lines:
        return {"error": (out.stderr or out.stdout).strip().splitlines()[-1:] or ["no output"]}
    return json.loads(lines[-1])


def commands(model, epochs, batch, ref_python):
    if model == "resnet20":  # one Keras script for npkeras and TensorFlow; the PyTorch twin beside it
        script, args = str(HERE / "keras_resnet20.py"), [str(epochs), str(batch)]
        cmds = {"npkeras": ([sys.executable, script, "npkeras", *args], ANCHORS)}
        if ref_python:
            cmds["tensorflow"] = ([ref_python, script, "keras", *args], ANCHORS)
            cmds["pytorch"] = ([ref_python, str(HERE / "torch_resnet20.py"), *args], ANCHORS)
        return cmds
    if model == "transformer":  # one script, only the import swapped; the PyTorch twin beside it
        script, args = str(HERE / "keras_reuters_transformer.py"), [str(epochs), str(batch)]
        cmds = {"npkeras": ([sys.executable, script, "npkeras", *args], ANCHORS)}
        if ref_python:
            cmds["tensorflow"] = ([ref_python, script, "keras", *args], ANCHORS)
            cmds["pytorch"] = ([ref_python, str(HERE / "torch_reuters_transformer.py"), *args], ANCHORS)
        return cmds
    cmds = {"npkeras": ([sys.executable, str(HERE / "npkeras_seed.py"), model, str(epochs), str(batch)], None)}
    if ref_python and model == "lstm":  # the notes' §1.3 block on Reuters
        cmds["tensorflow"] = ([ref_python, "tf_reuters_lstm.py", str(epochs), str(batch)], ANCHORS)
        cmds["pytorch"] = ([ref_python, str(HERE / "torch_reuters_lstm.py"), str(epochs), str(batch)], ANCHORS)
    elif ref_python:
        cmds["tensorflow"] = ([ref_python, "tf_seed.py", model, str(epochs), str(batch)], ANCHORS)
        cmds["pytorch"] = ([ref_python, "torch_seed.py", model, str(epochs), str(batch)], ANCHORS)
    if model == "mlp":
        cmds["numpy-hand"] = ([sys.executable, "np_mlp_ref.py", str(epochs), str(batch)], ANCHORS)
    return cmds


@contextlib.contextmanager
def one_core_busy():
    """benchmarks/busy_core.py running (one BLAS thread) for the duration of the block."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    load = subprocess.Popen([sys.executable, str(HERE / "busy_core.py")], env=env)
    time.sleep(1.0)  # past its start-up, so the measured runs see the steady load
    try:
        yield
    finally:
        load.kill()
        load.wait()


def measure(cmds, rounds):
    """Each library's best training samples/s, its last test accuracy and best inference samples/s."""
    best, acc, infer, flops = {}, {}, {}, None
    for _ in range(rounds):
        for lib, (cmd, cwd) in cmds.items():
            result = run(cmd, cwd)
            if "error" in result:
                print(f"  {lib}: failed: {result['error']}")
                continue
            best[lib] = max(best.get(lib, 0), result["train_samples_per_s"])
            acc[lib] = result["test_acc"]
            if "eval_s" in result:
                infer[lib] = max(infer.get(lib, 0), result.get("ntest", 10_000) / result["eval_s"])
            flops = result.get("train_gflop_per_sample", flops)
    return best, acc, infer, flops


def print_table(values, loaded, extra=None):
    ours, ours_loaded = values.get("npkeras"), loaded.get("npkeras")
    for lib, value in values.items():
        ratio = f"npkeras/{lib} = {ours / value:.2f}x" if ours and lib != "npkeras" else ""
        line = f"  {lib:<11} {value:>10,.0f}  {(extra or {}).get(lib, '')}{ratio}"
        if lib in loaded:
            under = f"npkeras/{lib} = {ours_loaded / loaded[lib]:.2f}x" if ours_loaded and lib != "npkeras" else ""
            line += f"\n  {'':<11} {loaded[lib]:>10,.0f}  under load: slowdown {value / loaded[lib]:.2f}x  {under}"
        print(line)


def measure_batch(model, batch, args, under_load, peak):
    """Measure one model at one batch size (quiet, then under load if asked), print its tables, return the figures."""
    cmds = commands(model, args.epochs, batch, args.ref_python)
    best, acc, infer, flops = measure(cmds, args.rounds)
    best_loaded, infer_loaded = {}, {}
    if under_load:
        with one_core_busy():
            best_loaded, _, infer_loaded, _ = measure(cmds, args.rounds)
    print(f"\n{model}, batch {batch}, NTRAIN={os.environ.get('NTRAIN', 'all')}: training samples/s "
          f"(best epoch over {args.rounds} rounds)")  # fmt: skip
    print_table(best, best_loaded, {lib: f"test_acc {a:.4f}  " for lib, a in acc.items()})
    if flops and best.get("npkeras"):
        ours = best["npkeras"]
        print(f"  npkeras GEMM work: {ours * flops:.1f} GFLOP/s = {ours * flops / peak:.0%} of the peak")
    print("inference: evaluate(batch_size=256) test samples/s (best round)")
    print_table(infer, infer_loaded)
    return {"train": best, "train_loaded": best_loaded, "infer": infer, "infer_loaded": infer_loaded}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="mlp")
    parser.add_argument("--batches", default="32,128")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--ref-python", default=os.environ.get("NPKERAS_REF_PYTHON"))
    parser.add_argument("--under-load", action="store_true", help="measure again with one core kept busy")
    parser.add_argument("--goals", action="store_true", help="run issue 20's plan and check its goals")
    args = parser.parse_args()
    print(
        f"model={'goals' if args.goals else args.model} epochs={args.epochs} rounds={args.rounds} "
        f"NTRAIN={os.environ.get('NTRAIN', '60000')} "
        f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}"
    )
    peak = gemm_peak_gflops()
    print(f"float32 GEMM peak of this machine (1024^3, BLAS's own threads): {peak:.0f} GFLOP/s")
    if not args.goals:
        for batch in (int(b) for b in args.batches.split(",")):
            measure_batch(args.model, batch, args, args.under_load, peak)
        return
    results = {}
    os.environ.setdefault("NTEST", "2000")  # ResNet-20's evaluate on a subset
    for model, batch, ntrain, under_load in PLAN:
        os.environ["NTRAIN"] = str(ntrain)
        results[(model, batch)] = measure_batch(model, batch, args, under_load, peak)
    print_goals(results)


if __name__ == "__main__":
    main()
