"""The Keras-TensorFlow outputs made by tests/fixtures/make_data_utils_reference.py, and the tree they came from."""

import json
from pathlib import Path

import numpy as np

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def load():
    """(cases: the JSON's per-case info, arrays: the npz as a dict)."""
    with open(FIXTURES / "data_utils_reference.json") as f:
        cases = json.load(f)["cases"]
    with np.load(FIXTURES / "data_utils_reference.npz", allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    return cases, arrays


def reference_batches(arrays, case, num_batches):
    """Keras's batches of `case`: a list of tuples of arrays."""
    out = []
    for b in range(num_batches):
        parts, k = [], 0
        while f"{case}/{b}/{k}" in arrays:
            parts.append(arrays[f"{case}/{b}/{k}"])
            k += 1
        out.append(tuple(parts))
    return out


def as_parts(batch):
    return batch if isinstance(batch, tuple) else (batch,)
