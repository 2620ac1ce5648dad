"""MNIST handwritten digits: the same IDX layout as Fashion-MNIST, or Keras's mnist.npz."""

from pathlib import Path

import numpy as np

from npkeras.datasets import download
from npkeras.datasets.fashion_mnist import FILES
from npkeras.datasets.files import cache_dir, files_in, find_files, search_dirs
from npkeras.datasets.idx import read_idx

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"  # Keras's copy
NPZ_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
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

    `path` may be an mnist.npz file or a folder holding mnist.npz or the four IDX files; a path
    without them is an error. With no path, each folder of the search order is tried in turn for
    mnist.npz or the four IDX files. Failing those, Keras's mnist.npz is downloaded (checked by
    SHA-256) into ~/.npkeras/datasets/mnist unless NPKERAS_OFFLINE is set.
    """
    if path is not None and Path(path).is_file():
        return _load_npz(path)
    for folder in search_dirs("mnist", path):
        if (folder / "mnist.npz").is_file():
            return _load_npz(folder / "mnist.npz")
        found = files_in(folder, FILES)
        if found is not None:
            return _load_idx(found)
    try:
        return _load_idx(find_files("mnist", FILES, path, HOW_TO_GET))
    except FileNotFoundError as missing:
        if path is not None or not download.downloads_allowed():
            raise
        try:
            return _load_npz(download.fetch(ORIGIN, cache_dir("mnist") / "mnist.npz", NPZ_SHA256))
        except (OSError, ValueError) as e:
            raise FileNotFoundError(f"{missing}\nDownloading mnist.npz failed too: {e}") from None
