"""predict() of the notes' CNN on 10,000 test images: npkeras against ONNX Runtime on its exported file.

Usage: python benchmarks/onnx_predict.py [BATCH] [ROUNDS]   (needs onnxruntime: pip install "npkeras[test]")
The CNN is trained for one epoch first (on 6,000 images), so both run the same trained weights; each
side keeps its best of ROUNDS passes, alternated. Prints images/s, the ratio and the largest difference.
"""

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import onnxruntime
from npkeras_seed import build, load

import npkeras


def seconds_of(run):
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main():
    batch = int(sys.argv[1]) if len(sys.argv) > 1 else 256
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    npkeras.utils.set_random_seed(0)
    (x_train, y_train), (x_test, _) = load("cnn")
    model = build("cnn")
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train[:6000], y_train[:6000], epochs=1, batch_size=32, verbose=0)
    x = np.asarray(x_test[:10000], dtype=np.float32)
    with tempfile.TemporaryDirectory() as folder:
        session = onnxruntime.InferenceSession(model.export(Path(folder) / "cnn.onnx"))
        name = session.get_inputs()[0].name

        def run_onnx():
            return np.concatenate([session.run(None, {name: x[i : i + batch]})[0] for i in range(0, len(x), batch)])

        def run_npkeras():
            return model.predict(x, batch_size=batch, verbose=0)

        seconds = {"npkeras": [], "onnxruntime": []}
        for _ in range(rounds):  # alternated, so both see the same machine
            seconds["npkeras"].append(seconds_of(run_npkeras))
            seconds["onnxruntime"].append(seconds_of(run_onnx))
        difference = float(np.abs(run_onnx() - run_npkeras()).max())
    rate = {label: len(x) / min(times) for label, times in seconds.items()}
    print(f"notes' CNN predict, {len(x):,} images, batch {batch}: npkeras {rate['npkeras']:,.0f} images/s, "
          f"ONNX Runtime {rate['onnxruntime']:,.0f} images/s (ratio ONNX Runtime / npkeras "
          f"{rate['onnxruntime'] / rate['npkeras']:.2f}); largest difference {difference:.1e}")  # fmt: skip


if __name__ == "__main__":
    main()
