"""fashion_mnist.load_data and mnist.load_data on small generated files."""

import numpy as np
import pytest

from npkeras.datasets import download, fashion_mnist, files, mnist
from npkeras.datasets.idx import write_idx


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """No real data set anywhere the loaders look."""
    monkeypatch.delenv("NPKERAS_DATA", raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr(files, "SYSTEM_ROOT", tmp_path / "system")
    return tmp_path


def _make_set(folder, n_train=12, n_test=5, gz=True, seed=0):
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte": rng.integers(0, 10, n_train, dtype=np.uint8),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte": rng.integers(0, 10, n_test, dtype=np.uint8),
    }
    for name, array in arrays.items():
        write_idx(folder / (name + (".gz" if gz else "")), array)
    return arrays


def _check(loaded, arrays):
    (x_train, y_train), (x_test, y_test) = loaded
    np.testing.assert_array_equal(x_train, arrays["train-images-idx3-ubyte"])
    np.testing.assert_array_equal(y_train, arrays["train-labels-idx1-ubyte"])
    np.testing.assert_array_equal(x_test, arrays["t10k-images-idx3-ubyte"])
    np.testing.assert_array_equal(y_test, arrays["t10k-labels-idx1-ubyte"])


@pytest.mark.parametrize("gz", [True, False])
def test_fashion_mnist_from_an_explicit_path(isolated, gz):
    arrays = _make_set(isolated / "fm", gz=gz)
    loaded = fashion_mnist.load_data(path=isolated / "fm")
    (x_train, y_train), (x_test, y_test) = loaded
    assert x_train.shape == (12, 28, 28) and x_train.dtype == np.uint8
    assert y_train.shape == (12,) and y_train.dtype == np.uint8
    assert x_test.shape == (5, 28, 28) and x_test.dtype == np.uint8
    assert y_test.shape == (5,) and y_test.dtype == np.uint8
    _check(loaded, arrays)


def test_fashion_mnist_path_may_be_a_string(isolated):
    arrays = _make_set(isolated / "fm")
    _check(fashion_mnist.load_data(str(isolated / "fm")), arrays)


def test_fashion_mnist_from_npkeras_data(isolated, monkeypatch):
    arrays = _make_set(isolated / "data" / "fashion-mnist")
    monkeypatch.setenv("NPKERAS_DATA", str(isolated / "data"))
    _check(fashion_mnist.load_data(), arrays)


def test_fashion_mnist_from_the_home_cache(isolated):
    arrays = _make_set(isolated / "home" / ".npkeras" / "datasets" / "fashion-mnist")
    _check(fashion_mnist.load_data(), arrays)


def test_fashion_mnist_from_the_system_folder(isolated):
    arrays = _make_set(isolated / "system" / "fashion-mnist")
    _check(fashion_mnist.load_data(), arrays)


def test_explicit_path_beats_env(isolated, monkeypatch):
    mine = _make_set(isolated / "mine", seed=1)
    _make_set(isolated / "data" / "fashion-mnist", seed=2)
    monkeypatch.setenv("NPKERAS_DATA", str(isolated / "data"))
    _check(fashion_mnist.load_data(isolated / "mine"), mine)


def test_a_path_without_the_files_is_an_error_not_a_fallback(isolated, monkeypatch):
    _make_set(isolated / "data" / "fashion-mnist")
    _make_set(isolated / "home" / ".npkeras" / "datasets" / "fashion-mnist")
    _make_set(isolated / "system" / "fashion-mnist")
    monkeypatch.setenv("NPKERAS_DATA", str(isolated / "data"))
    monkeypatch.delenv("NPKERAS_OFFLINE", raising=False)
    monkeypatch.setattr(download, "fetch", lambda *args: pytest.fail("downloaded although a path was given"))
    (isolated / "partial").mkdir()
    write_idx(isolated / "partial" / "train-images-idx3-ubyte", np.zeros((1, 28, 28), np.uint8))  # one of four
    for path in (isolated / "no" / "such" / "dir", isolated / "partial"):
        with pytest.raises(FileNotFoundError) as info:
            fashion_mnist.load_data(path=path)
        message = str(info.value)
        assert f"in {path} (the path given, so no other place was searched)" in message
        assert all(name in message for name in fashion_mnist.FILES)


def test_missing_fashion_mnist_says_how_to_install_it(isolated):
    with pytest.raises(FileNotFoundError) as info:
        fashion_mnist.load_data()
    message = str(info.value)
    assert "apt-get install dataset-fashion-mnist" in message
    assert "train-images-idx3-ubyte" in message
    assert "NPKERAS_DATA" in message


def test_corrupt_fashion_mnist_file_raises_value_error(isolated):
    _make_set(isolated / "fm", gz=False)
    path = isolated / "fm" / "train-labels-idx1-ubyte"
    path.write_bytes(path.read_bytes()[:-1])
    with pytest.raises(ValueError):
        fashion_mnist.load_data(isolated / "fm")


def test_class_names():
    assert len(fashion_mnist.CLASS_NAMES) == 10
    assert fashion_mnist.CLASS_NAMES[0] == "T-shirt/top"
    assert fashion_mnist.CLASS_NAMES[9] == "Ankle boot"


# ---- mnist -------------------------------------------------------------------------------
def _save_npz(path, seed=0):
    rng = np.random.default_rng(seed)
    arrays = {
        "x_train": rng.integers(0, 256, (6, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, 6, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (3, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, 3, dtype=np.uint8),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **arrays)
    return arrays


def _check_npz(loaded, arrays):
    (x_train, y_train), (x_test, y_test) = loaded
    for got, key in ((x_train, "x_train"), (y_train, "y_train"), (x_test, "x_test"), (y_test, "y_test")):
        np.testing.assert_array_equal(got, arrays[key])
        assert got.dtype == np.uint8


def test_mnist_from_an_npz_file(isolated):
    arrays = _save_npz(isolated / "m" / "mnist.npz")
    _check_npz(mnist.load_data(path=isolated / "m" / "mnist.npz"), arrays)


def test_mnist_from_a_folder_with_an_npz(isolated):
    arrays = _save_npz(isolated / "m" / "mnist.npz")
    _check_npz(mnist.load_data(path=isolated / "m"), arrays)


def test_mnist_from_idx_files(isolated):
    arrays = _make_set(isolated / "m-idx", n_train=7, n_test=2)
    _check(mnist.load_data(path=isolated / "m-idx"), arrays)


def test_mnist_npz_in_the_home_cache(isolated):
    arrays = _save_npz(isolated / "home" / ".npkeras" / "datasets" / "mnist" / "mnist.npz")
    _check_npz(mnist.load_data(), arrays)


def test_mnist_explicit_idx_folder_beats_an_npz_in_the_home_cache(isolated):
    # The search order is path, $NPKERAS_DATA, home cache, system, whatever the file format.
    arrays = _make_set(isolated / "m-idx", n_train=7, n_test=2)
    _save_npz(isolated / "home" / ".npkeras" / "datasets" / "mnist" / "mnist.npz")
    _check(mnist.load_data(path=isolated / "m-idx"), arrays)


def test_mnist_path_without_the_files_is_an_error_not_a_fallback(isolated, monkeypatch):
    _save_npz(isolated / "home" / ".npkeras" / "datasets" / "mnist" / "mnist.npz")
    monkeypatch.delenv("NPKERAS_OFFLINE", raising=False)
    monkeypatch.setattr(download, "fetch", lambda *args: pytest.fail("downloaded although a path was given"))
    (isolated / "empty").mkdir()
    for path in (isolated / "empty", isolated / "m" / "mnist.npz"):
        with pytest.raises(FileNotFoundError) as info:
            mnist.load_data(path=path)
        message = str(info.value)
        assert f"in {path} (the path given, so no other place was searched)" in message
        assert "mnist.npz" in message and "train-images-idx3-ubyte" in message


def test_missing_mnist_raises_file_not_found(isolated):
    with pytest.raises(FileNotFoundError) as info:
        mnist.load_data()
    assert "mnist.npz" in str(info.value)


def test_mnist_npz_is_loaded_without_pickle(isolated):
    path = isolated / "m" / "mnist.npz"
    path.parent.mkdir()
    np.savez(
        path, x_train=np.array([{"a": 1}], dtype=object), y_train=np.zeros(1), x_test=np.zeros(1), y_test=np.zeros(1)
    )
    with pytest.raises(ValueError, match="pickle"):
        mnist.load_data(path)
