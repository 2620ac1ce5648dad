"""Issue 8's accuracy bars on Fashion-MNIST padded to 32x32: LeNet-5 >= 0.89 and ResNet-20 >= 0.92.

Runs examples/classic_models.py (Adam, cosine decay to 0, batch 64, 54,000 training images) for each
model with the epochs given, passes its output on to stderr, and prints per model a JSON line with the
epochs, the training time, the test accuracy and the bar.
Run: python benchmarks/classic_models_accuracy.py [lenet5=EPOCHS] [resnet20=EPOCHS]   (default 15 and 8)
"""

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "classic_models.py"
BARS = {"lenet5": 0.89, "resnet20": 0.92}
epochs = {"lenet5": 15, "resnet20": 8}
for arg in sys.argv[1:]:
    name, _, count = arg.partition("=")
    if name not in BARS or not count.isdigit():
        sys.exit(f"usage: classic_models_accuracy.py [lenet5=EPOCHS] [resnet20=EPOCHS]; received {arg!r}")
    epochs[name] = int(count)

for name, bar in BARS.items():
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, str(EXAMPLE), name, str(epochs[name]), "60000", str(Path(folder) / f"{name}.keras")]
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as run:
            out = ""
            for line in run.stdout:  # the example's own output, passed on as it comes
                sys.stderr.write(line)
                out += line
        if run.returncode:
            sys.exit(f"{name}: examples/classic_models.py failed with exit status {run.returncode}")
    seconds = float(re.search(r"epochs on \d+ images in (\d+) s", out).group(1))
    accuracy = float(re.search(r"Test accuracy: (\d\.\d{4})", out).group(1))
    result = {"model": name, "epochs": epochs[name], "train_s": seconds, "s_per_epoch": round(seconds / epochs[name])}
    print(json.dumps({**result, "test_acc": accuracy, "bar": bar, "passed": accuracy >= bar}), flush=True)
