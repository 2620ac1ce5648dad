"""Downloads into the cache, served from a loopback HTTP server (never the real network)."""

import gzip
import hashlib
import http.server
import threading
from functools import partial

import numpy as np
import pytest

from npkeras.datasets import download, fashion_mnist, mnist
from npkeras.datasets.idx import write_idx


@pytest.fixture
def served(tmp_path):
    """A folder served over http://127.0.0.1:PORT/ while the test runs."""
    root = tmp_path / "served"
    root.mkdir()
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def online(monkeypatch, tmp_path):
    monkeypatch.delenv("NPKERAS_OFFLINE")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NPKERAS_DATA", raising=False)
    monkeypatch.setattr("npkeras.datasets.files.SYSTEM_ROOT", tmp_path / "no-system-data")


def test_fetch_checks_the_content_and_renames_into_place(served, tmp_path):
    root, url = served
    (root / "data.bin").write_bytes(b"hello")
    dest = tmp_path / "cache" / "data.bin"
    good = hashlib.sha256(b"hello").hexdigest()
    with pytest.raises(ValueError, match="corrupt"):
        download.fetch(url + "data.bin", dest, "0" * 64)
    assert not dest.exists() and not list(dest.parent.iterdir())  # no partial file left behind
    assert download.fetch(url + "data.bin", dest, good) == dest
    assert dest.read_bytes() == b"hello"


def test_fetch_of_a_missing_file_is_a_clear_error(served, tmp_path):
    _, url = served
    with pytest.raises(OSError, match="Could not download .*nothing.gz"):
        download.fetch(url + "nothing.gz", tmp_path / "nothing.gz", "0" * 64)
    assert not (tmp_path / "nothing.gz.part").exists()


def test_gz_files_are_checked_by_their_decompressed_content(tmp_path):
    path = tmp_path / "x.gz"
    with gzip.open(path, "wb", compresslevel=1) as f:
        f.write(b"payload")
    assert download.content_sha256(path) == hashlib.sha256(b"payload").hexdigest()


def test_fashion_mnist_downloads_into_the_cache_when_no_files_are_found(served, online, monkeypatch, tmp_path):
    root, url = served
    rng = np.random.default_rng(0)
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (6, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte": rng.integers(0, 10, 6, dtype=np.uint8),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (2, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte": rng.integers(0, 10, 2, dtype=np.uint8),
    }
    sums = {}
    for name, array in arrays.items():
        write_idx(root / (name + ".gz"), array)
        sums[name] = download.content_sha256(root / (name + ".gz"))
    monkeypatch.setattr(fashion_mnist, "ORIGIN", url)
    monkeypatch.setattr(fashion_mnist, "CONTENT_SHA256", sums)
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    np.testing.assert_array_equal(x_train, arrays["train-images-idx3-ubyte"])
    np.testing.assert_array_equal(y_test, arrays["t10k-labels-idx1-ubyte"])
    assert (tmp_path / "home" / ".npkeras" / "datasets" / "fashion-mnist" / "t10k-images-idx3-ubyte.gz").is_file()


def test_mnist_download_failure_keeps_the_how_to_get_message(served, online, monkeypatch):
    _, url = served
    monkeypatch.setattr(mnist, "ORIGIN", url + "missing/mnist.npz")
    with pytest.raises(FileNotFoundError, match="(?s)mnist.npz.*Downloading mnist.npz failed too"):
        mnist.load_data()


def test_offline_mode_never_downloads(served, online, monkeypatch):
    monkeypatch.setenv("NPKERAS_OFFLINE", "1")
    _, url = served
    monkeypatch.setattr(fashion_mnist, "ORIGIN", url)
    with pytest.raises(FileNotFoundError, match="dataset-fashion-mnist") as info:
        fashion_mnist.load_data()
    assert "Downloading" not in str(info.value)
