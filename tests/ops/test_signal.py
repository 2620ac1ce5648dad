"""Window functions and psnr."""

import numpy as np
import pytest

from npkeras import ops
from npkeras.autograd import gradient_check


@pytest.mark.parametrize("name", ["bartlett", "blackman", "hamming", "hanning"])
def test_windows(name):
    np.testing.assert_allclose(getattr(ops, name)(7).data, getattr(np, name)(7), atol=1e-7)
    assert getattr(ops, name)(4).dtype == np.float32
    assert getattr(ops, name)(0).shape == (0,)


def test_kaiser_and_bad_length():
    np.testing.assert_allclose(ops.kaiser(6, 3.0).data, np.kaiser(6, 3.0), rtol=1e-6)
    with pytest.raises(ValueError, match="non-negative"):
        ops.hamming(-1)


def test_psnr():
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0, 1, (4, 5)), rng.uniform(0, 1, (4, 5))
    want = 20 * np.log10(1.0) - 10 * np.log10(np.mean((a - b) ** 2))
    np.testing.assert_allclose(ops.psnr(a, b, 1.0).data, want)
    np.testing.assert_allclose(ops.psnr(a * 255, b * 255, 255.0).data, want)
    assert gradient_check(lambda s, t: ops.psnr(s, t, 2.0), a, b)
    with pytest.raises(ValueError, match="must match"):
        ops.psnr(a, b[:2], 1.0)
