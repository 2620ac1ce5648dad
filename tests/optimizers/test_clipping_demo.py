"""The notes' §2.5 gradient clipping, for real: a 10-layer tanh network with large initial weights.

Plain SGD at learning rate 0.2 explodes (past 1e9 within three epochs) and overflows to inf, then nan;
the same SGD with clipnorm=1.0 trains to a finite loss that falls to under a tenth of its start.
global_clipnorm keeps the loss finite too, but on this network it only holds it level: one norm for
all 11 weight groups lets the hidden layers' gradients use up the step that the output layer needs.
"""

import numpy as np
import pytest

import npkeras
from npkeras import layers


def losses(**clipping):
    npkeras.utils.set_random_seed(0)
    big = npkeras.initializers.RandomNormal(stddev=4.0, seed=1)
    hidden = [layers.Dense(32, activation="tanh", kernel_initializer=big) for _ in range(9)]
    model = npkeras.Sequential([layers.Input((8,)), *hidden, layers.Dense(1, kernel_initializer=big)])
    model.compile(optimizer=npkeras.optimizers.SGD(0.2, **clipping), loss="mse")
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((256, 8)).astype("float32"), rng.standard_normal((256, 1)).astype("float32")
    with np.errstate(over="ignore", invalid="ignore"):
        return np.array(model.fit(x, y, epochs=15, batch_size=32, verbose=0).history["loss"])


def test_plain_sgd_overflows():
    history = losses()
    # e.g. 393, 1.3e4, 4e14, 1e28, inf, nan; the exact path depends on the BLAS's rounding, the blow-up does not
    assert history[:3].max() > 1e9 and not np.isfinite(history[:8]).all()


def test_clipnorm_trains_to_a_finite_falling_loss():
    history = losses(clipnorm=1.0)
    assert np.isfinite(history).all()
    assert history[-3:].mean() < 0.1 * history[:3].mean()
    assert (np.diff(history) < 0).sum() >= 10  # falls in most epochs


@pytest.mark.parametrize("limit", [1.0, 5.0])
def test_global_clipnorm_keeps_the_loss_finite(limit):
    history = losses(global_clipnorm=limit)
    assert np.isfinite(history).all() and history.max() < 1e3
