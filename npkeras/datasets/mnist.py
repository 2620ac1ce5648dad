"""MNIST handwritten digits: the same IDX layout as Fashion-MNIST, or Keras's mnist.npz."""

from pathlib import Path

import numpy as np

from npkeras.datasets.fashion_mnist import FILES
from npkeras.datasets.files import files_in, find_files, search_dirs
from npkeras.datasets.idx import read_idx

HOW_TO_GET = (
    "Put the four MNIST IDX files (train-images-idx3-ubyte, ...) or Keras's mnist.npz in a folder "
    "and pass it as `path=` or set NPKERAS_DATA; the cache folder ~/.npkeras/datasets/mnist works too."
)


def _load_npz(file):
    with np.load(file, allow_pickle=False) as data:
        return (data["x_train"], data["y_train"]), (data["x_test"], data["y_test"])


def _load_idx(files):
    x_tr, y_tr, x_te, y_te = (read_idx(p) for p in files)
    return (x_tr, y_tr), (x_te, y_te)


def load_data(path=None):
    """((x_train, y_train), (x_test, y_test)) as uint8 arrays, like keras.datasets.mnist.

    `path` may be an mnist.npz file or a folder; each folder of the search order is tried in
    turn for mnist.npz or the four IDX files.
    """
    if path is not None and Path(path).is_file():
        return _load_npz(path)
    for folder in search_dirs("mnist", path):
        if (folder / "mnist.npz").is_file():
            return _load_npz(folder / "mnist.npz")
        found = files_in(folder, FILES)
        if found is not None:
            return _load_idx(found)
    return _load_idx(find_files("mnist", FILES, path, HOW_TO_GET))
