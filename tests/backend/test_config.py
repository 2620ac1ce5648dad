"""floatx / epsilon / standardize_dtype."""

import numpy as np
import pytest

from npkeras import backend


@pytest.fixture(autouse=True)
def _restore():
    floatx, eps = backend.floatx(), backend.epsilon()
    yield
    backend.set_floatx(floatx)
    backend.set_epsilon(eps)


def test_defaults():
    assert backend.floatx() == "float32"
    assert backend.epsilon() == 1e-7


@pytest.mark.parametrize("value", ["float16", "float32", "float64"])
def test_set_floatx(value):
    backend.set_floatx(value)
    assert backend.floatx() == value
    assert isinstance(backend.floatx(), str)


@pytest.mark.parametrize("bad", ["int32", "float", "double", "", None, np.float32])
def test_set_floatx_rejects_unknown_types(bad):
    with pytest.raises(ValueError, match="floatx"):
        backend.set_floatx(bad)
    assert backend.floatx() == "float32"


def test_set_epsilon():
    backend.set_epsilon(1e-5)
    assert backend.epsilon() == 1e-5


def test_standardize_dtype():
    assert backend.standardize_dtype(None) == "float32"
    assert backend.standardize_dtype("float64") == "float64"
    assert backend.standardize_dtype(np.int32) == "int32"
    backend.set_floatx("float64")
    assert backend.standardize_dtype(None) == "float64"


def test_xp_is_numpy():
    assert backend.xp is np
