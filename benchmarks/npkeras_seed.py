"""The notes' models on npkeras, timed like ../shared/anchors/tf_seed.py (one JSON line).

Usage: python benchmarks/npkeras_seed.py MODEL EPOCHS BATCH   (MODEL: mlp, cnn, lstm or rowlstm)
Environment: NTRAIN (subset size), NPKERAS_BLAS_THREADS (BLAS threads in fit; default policy).
"""

import json
import os
import sys
import time

import npkeras  # before NumPy loads, as `npkeras train` does (npkeras/_blas_env.py)

# isort: split
from flops import training_flops_per_sample
from keras_library import epoch_timer

from npkeras.cli import MODELS


def _known(which):
    if which not in MODELS:
        raise SystemExit(f"unknown model {which!r}; available: {', '.join(sorted(MODELS))}")
    return MODELS[which]


def build(which):
    """The model `npkeras train WHICH` trains (npkeras/cli.py), so both time the same network."""
    return _known(which)[0]()


def load(which):
    """The data `npkeras train WHICH` reads (Fashion-MNIST from FMNIST_DIR, Reuters from REUTERS_DIR)."""
    return _known(which)[1](None if which == "lstm" else os.environ.get("FMNIST_DIR"))


def main():
    which, epochs, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    ntrain = int(os.environ.get("NTRAIN", "60000"))
    threads = os.environ.get("NPKERAS_BLAS_THREADS")
    if threads:
        npkeras.backend.set_blas_threads(None if threads == "none" else int(threads))
    npkeras.utils.set_random_seed(0)
    (x_tr, y_tr), (x_te, y_te) = load(which)
    x_tr, y_tr = x_tr[:ntrain], y_tr[:ntrain]
    model = build(which)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    timer = epoch_timer(npkeras)
    model.fit(x_tr, y_tr, epochs=epochs, batch_size=batch, verbose=0, callbacks=[timer])
    t0 = time.perf_counter()
    _, acc = model.evaluate(x_te, y_te, verbose=0, batch_size=256)
    eval_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    model.predict(x_te, batch_size=256, verbose=0)
    predict_s = time.perf_counter() - t0
    print(
        json.dumps(
            {
                "lib": "npkeras",
                "model": which,
                "epochs": epochs,
                "batch": batch,
                "ntrain": len(x_tr),
                "ntest": len(x_te),
                "blas_threads": npkeras.backend.get_blas_threads(),
                "epoch_s": [round(t, 3) for t in timer.times],
                "test_acc": round(float(acc), 4),
                "eval_s": round(eval_s, 3),
                "predict_samples_per_s": round(len(x_te) / predict_s, 1),
                "train_samples_per_s": round(len(x_tr) / min(timer.times), 1),
                "train_gflop_per_sample": training_flops_per_sample(model) / 1e9,
            }
        )
    )


if __name__ == "__main__":
    main()
