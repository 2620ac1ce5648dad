"""Lambda: applies its function, infers or takes its output shape, and saves as Keras does."""

import numpy as np
import pytest

import npkeras
from npkeras import layers
from npkeras.autograd import gradient_check
from npkeras.saving import ModelFileError


def test_lambda_applies_the_function_with_its_arguments():
    layer = layers.Lambda(lambda x, power: x**power, arguments={"power": 3})
    np.testing.assert_allclose(layer(np.array([[2.0, -1.0]], np.float32)).data, [[8.0, -1.0]])


def test_lambda_output_shape_inferred_given_or_computed():
    assert layers.Lambda(lambda x: x[:, :2]).compute_output_shape((None, 5)) == (None, 2)
    assert layers.Lambda(lambda x: x, output_shape=(7,)).compute_output_shape((None, 5)) == (None, 7)
    assert layers.Lambda(lambda x: x, output_shape=lambda s: (s[0], 1)).compute_output_shape((None, 5)) == (None, 1)


def test_gradients_flow_through_a_lambda():
    layer = layers.Lambda(lambda x: npkeras.ops.tanh(x) * x)
    x = np.random.default_rng(0).standard_normal((3, 4))
    assert gradient_check(lambda t: layer(t), x)


def test_a_model_with_a_lambda_loads_only_outside_safe_mode(tmp_path):
    model = npkeras.Sequential([layers.Input((3,)), layers.Lambda(lambda x: x * 2.0 - 1.0), layers.Dense(2)])
    model.save(tmp_path / "m.keras")
    with pytest.raises(ModelFileError, match="Lambda.*safe_mode=False"):
        npkeras.models.load_model(tmp_path / "m.keras")
    loaded = npkeras.models.load_model(tmp_path / "m.keras", safe_mode=False)
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_lambda_needs_a_callable():
    with pytest.raises(TypeError, match="callable"):
        layers.Lambda(3)


def test_without_a_mask_argument_it_drops_a_mask_it_gets_with_keras_warning_and_with_one_it_sets_it():
    x = layers.Embedding(5, 2, mask_zero=True)(np.array([[1, 0]]))
    with pytest.warns(UserWarning, match="does not support masking and will therefore destroy the mask"):
        y = layers.Lambda(lambda t: t * 2.0)(x)
    assert y._keras_mask is None
    z = layers.Lambda(lambda t: t * 2.0, mask=lambda t, m: m)(x)
    np.testing.assert_array_equal(z._keras_mask, [[True, False]])
