"""no_grad / enable_grad / set_grad_enabled."""

import numpy as np
import pytest

from npkeras import autograd, ops
from npkeras.autograd import Tensor


def test_no_grad_builds_no_graph():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    with autograd.no_grad():
        y = ops.exp(x) * 2.0
        assert not autograd.is_grad_enabled()
    assert y.creator is None
    assert y.requires_grad is False
    np.testing.assert_allclose(y.data, 2 * np.exp([1.0, 2.0]))
    assert autograd.is_grad_enabled()


def test_grad_mode_restored_after_exception():
    with pytest.raises(KeyError):
        with autograd.no_grad():
            raise KeyError("boom")
    assert autograd.is_grad_enabled()


def test_enable_grad_inside_no_grad_records():
    x = Tensor(np.array([1.0]), requires_grad=True)
    with autograd.no_grad():
        with autograd.enable_grad():
            y = x * 3.0
        z = x * 3.0
    assert y.creator is not None and y.requires_grad
    assert z.creator is None


def test_set_grad_enabled_false():
    x = Tensor(np.array([1.0]), requires_grad=True)
    with autograd.set_grad_enabled(False):
        y = x + 1.0
    assert y.creator is None
