"""Dense and Activation: values, weights, gradients, errors and configs as in Keras 3."""

import math

import numpy as np
import pytest
from keras_configs import FLOAT32_POLICY, GLOROT_UNIFORM, ZEROS

import npkeras
from npkeras import initializers, layers, ops
from npkeras.autograd import GradientTape, gradient_check, no_grad


def _dense_with(units, in_features, activation=None, seed=0, use_bias=True):
    """A built Dense whose kernel and bias are known random values."""
    rng = np.random.default_rng(seed)
    layer = layers.Dense(units, activation=activation, use_bias=use_bias)
    layer.build((None, in_features))
    kernel = rng.standard_normal((in_features, units)).astype(layer.kernel.dtype)
    weights = [kernel]
    if use_bias:
        weights.append(rng.standard_normal(units).astype(layer.kernel.dtype))
    layer.set_weights(weights)
    return layer, weights


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# ---- forward values ---------------------------------------------------------------------


def test_dense_relu_fused_output_equals_matmul_plus_bias_then_relu():
    layer, (kernel, bias) = _dense_with(5, 4, activation="relu")
    x = np.random.default_rng(1).standard_normal((6, 4)).astype(np.float32)
    out = layer(x)
    expected = np.maximum(x @ kernel + bias, 0)
    assert isinstance(out, npkeras.Tensor)
    assert out.shape == (6, 5)
    assert out.dtype == np.float32
    np.testing.assert_allclose(np.asarray(out), expected, rtol=1e-5, atol=1e-6)
    assert (np.asarray(out) == 0).any() and (np.asarray(out) > 0).any()  # both sides of the kink exercised


@pytest.mark.parametrize(
    "activation, reference",
    [
        ("softmax", _softmax),
        ("tanh", np.tanh),
        ("sigmoid", lambda z: 1 / (1 + np.exp(-z))),
        ("linear", lambda z: z),
        (None, lambda z: z),
    ],
)
def test_dense_activation_paths(activation, reference):
    layer, (kernel, bias) = _dense_with(3, 4, activation=activation, seed=2)
    x = np.random.default_rng(3).standard_normal((5, 4)).astype(np.float32)
    out = np.asarray(layer(x))
    np.testing.assert_allclose(out, reference(x.astype(np.float64) @ kernel + bias), rtol=1e-5, atol=1e-6)


def test_dense_without_bias():
    layer, (kernel,) = _dense_with(3, 4, use_bias=False)
    assert len(layer.weights) == 1
    assert layer.bias is None
    x = np.random.default_rng(0).standard_normal((2, 4)).astype(np.float32)
    np.testing.assert_allclose(np.asarray(layer(x)), x @ kernel, rtol=1e-5, atol=1e-6)


def test_dense_rank3_input_applies_to_last_axis():
    layer, (kernel, bias) = _dense_with(4, 5, seed=4)
    x = np.random.default_rng(5).standard_normal((2, 3, 5)).astype(np.float32)
    out = np.asarray(layer(x))
    assert out.shape == (2, 3, 4)
    np.testing.assert_allclose(out, np.einsum("btf,fu->btu", x, kernel) + bias, rtol=1e-5, atol=1e-6)
    assert layers.Dense(4).compute_output_shape((None, 3, 5)) == (None, 3, 4)


def test_dense_builds_on_rank3_input_from_first_call():
    layer = layers.Dense(4)
    out = layer(np.ones((2, 3, 5), dtype=np.float32))
    assert out.shape == (2, 3, 4)
    assert layer.kernel.shape == (5, 4)


# ---- weights ----------------------------------------------------------------------------


def test_dense_kernel_and_bias_shapes_and_default_initializers():
    layer = layers.Dense(64)
    layer(np.zeros((2, 100), dtype=np.float32))
    assert layer.built
    assert layer.kernel.shape == (100, 64)
    assert layer.bias.shape == (64,)
    assert layer.kernel.dtype == np.float32
    assert [w is v for w, v in zip(layer.weights, [layer.kernel, layer.bias])] == [True, True]
    limit = math.sqrt(6 / (100 + 64))
    kernel = np.asarray(layer.kernel)
    assert np.abs(kernel).max() <= limit
    assert np.abs(kernel).max() > 0.9 * limit
    np.testing.assert_array_equal(np.asarray(layer.bias), np.zeros(64))
    assert layer.count_params() == 100 * 64 + 64


def test_dense_get_set_weights_round_trip():
    layer = layers.Dense(3)
    layer(np.zeros((1, 4), dtype=np.float32))
    weights = layer.get_weights()
    assert [w.shape for w in weights] == [(4, 3), (3,)]
    assert all(isinstance(w, np.ndarray) for w in weights)
    weights[0][...] = 123.0  # returned arrays are copies
    assert not np.any(np.asarray(layer.kernel) == 123.0)

    rng = np.random.default_rng(7)
    new = [rng.standard_normal((4, 3)).astype(np.float32), rng.standard_normal(3).astype(np.float32)]
    kernel_array = layer.kernel.data
    layer.set_weights(new)
    assert layer.kernel.data is kernel_array  # assigned in place
    for got, want in zip(layer.get_weights(), new):
        np.testing.assert_array_equal(got, want)
    x = rng.standard_normal((2, 4)).astype(np.float32)
    np.testing.assert_allclose(np.asarray(layer(x)), x @ new[0] + new[1], rtol=1e-5, atol=1e-6)


def test_dense_set_weights_shape_mismatch_names_the_layer():
    layer = layers.Dense(3, name="my_dense")
    layer(np.zeros((1, 4), dtype=np.float32))
    before = layer.get_weights()
    with pytest.raises(ValueError, match="my_dense") as info:
        layer.set_weights([np.zeros((5, 3)), np.zeros(3)])
    assert "(4, 3)" in str(info.value) and "(5, 3)" in str(info.value)
    for got, want in zip(layer.get_weights(), before):  # nothing was written
        np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match="my_dense"):
        layer.set_weights([np.zeros((4, 3))])


# ---- gradients --------------------------------------------------------------------------


@pytest.mark.parametrize("activation", [None, "relu", "tanh", "softmax", "sigmoid"])
def test_dense_gradient_check_wrt_input(float64, activation):
    layer, _ = _dense_with(3, 4, activation=activation, seed=11)
    assert layer.kernel.dtype == np.float64
    x = np.random.default_rng(12).standard_normal((5, 4))
    assert gradient_check(lambda t: layer(t), x)


@pytest.mark.parametrize("activation", [None, "relu", "tanh", "softmax"])
def test_dense_gradient_check_wrt_weights(float64, activation):
    layer, (kernel, bias) = _dense_with(3, 4, activation=activation, seed=13)
    x = np.random.default_rng(14).standard_normal((5, 4))
    real_kernel, real_bias = layer.kernel, layer.bias

    def fn(k, b):
        # route the checked tensors through the layer's own call
        object.__setattr__(layer, "kernel", k)
        object.__setattr__(layer, "bias", b)
        try:
            return layer(x)
        finally:
            object.__setattr__(layer, "kernel", real_kernel)
            object.__setattr__(layer, "bias", real_bias)

    assert gradient_check(fn, kernel, bias)


def test_dense_tape_gradients_of_variables_match_central_differences(float64):
    layer, _ = _dense_with(3, 4, activation="relu", seed=15)
    rng = np.random.default_rng(16)
    x = rng.standard_normal((6, 4))
    upstream = rng.standard_normal((6, 3))
    with GradientTape() as tape:
        loss = ops.sum(layer(x) * upstream)
    grads = tape.gradient(loss, [layer.kernel, layer.bias])

    def objective():
        with no_grad():
            return float(np.sum(np.asarray(layer(x)) * upstream))

    eps = 1e-6
    for variable, grad in zip([layer.kernel, layer.bias], grads):
        numeric = np.zeros(variable.shape)
        flat = variable.data.reshape(-1)
        for i in range(flat.size):
            orig = flat[i]
            flat[i] = orig + eps
            plus = objective()
            flat[i] = orig - eps
            minus = objective()
            flat[i] = orig
            numeric.reshape(-1)[i] = (plus - minus) / (2 * eps)
        np.testing.assert_allclose(np.asarray(grad), numeric, rtol=1e-5, atol=1e-7)


def test_dense_gradient_check_rank3_input(float64):
    layer, _ = _dense_with(2, 3, activation="tanh", seed=17)
    x = np.random.default_rng(18).standard_normal((2, 4, 3))
    assert gradient_check(lambda t: layer(t), x)


# ---- errors -----------------------------------------------------------------------------


def test_dense_wrong_feature_count_names_layer_and_shapes():
    layer = layers.Dense(10, name="classifier")
    layer(np.zeros((2, 784), dtype=np.float32))
    with pytest.raises(ValueError) as info:
        layer(np.zeros((2, 100), dtype=np.float32))
    message = str(info.value)
    assert "classifier" in message
    assert "expected axis -1 of input shape to have value 784" in message
    assert "received input with shape (2, 100)" in message


@pytest.mark.parametrize("units", [0, -3, 2.5, "8", None, True])
def test_dense_invalid_units(units):
    with pytest.raises(ValueError, match="units"):
        layers.Dense(units)


def test_dense_unknown_activation_lists_valid_names():
    with pytest.raises(ValueError) as info:
        layers.Dense(3, activation="relux")
    message = str(info.value)
    assert "Could not interpret activation function identifier" in message
    assert "relux" in message
    for name in ("relu", "softmax", "sigmoid", "tanh", "linear"):
        assert name in message


def test_dense_rank1_input_is_refused_with_layer_name():
    layer = layers.Dense(3, name="flat_dense")
    with pytest.raises(ValueError, match="flat_dense"):
        layer(np.zeros(4, dtype=np.float32))


# ---- config -----------------------------------------------------------------------------


def test_dense_get_config_values():
    npkeras.clear_session()
    config = layers.Dense(16, activation="relu").get_config()
    assert list(config)[:3] == ["name", "trainable", "dtype"]
    assert config["name"] == "dense"
    assert config["trainable"] is True
    assert config["dtype"] == FLOAT32_POLICY
    assert config["units"] == 16
    assert config["activation"] == "relu"
    assert config["use_bias"] is True
    assert config["kernel_initializer"] == GLOROT_UNIFORM
    assert config["bias_initializer"] == ZEROS
    for key in ("kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint"):
        assert config[key] is None
    assert layers.Dense(3, activation="softmax").get_config()["activation"] == "softmax"
    assert layers.Dense(3).get_config()["activation"] == "linear"
    assert layers.Dense(3, activation="tanh").get_config()["activation"] == "tanh"


def test_dense_get_config_keys_match_keras():
    """Keras >= 3.13 Dense.get_config ends with `quantization_config: None` (keras_facts.md section 7)."""
    config = layers.Dense(4).get_config()
    assert list(config) == [
        "name",
        "trainable",
        "dtype",
        "units",
        "activation",
        "use_bias",
        "kernel_initializer",
        "bias_initializer",
        "kernel_regularizer",
        "bias_regularizer",
        "kernel_constraint",
        "bias_constraint",
        "quantization_config",
    ]
    assert config["quantization_config"] is None


def test_dense_from_config_round_trip():
    layer = layers.Dense(
        7, activation="tanh", use_bias=False, kernel_initializer=initializers.HeNormal(seed=5), name="head"
    )
    config = layer.get_config()
    clone = layers.Dense.from_config(config)
    assert clone.get_config() == config
    assert clone.units == 7 and clone.use_bias is False and clone.name == "head"
    assert isinstance(clone.kernel_initializer, initializers.HeNormal)
    assert clone.kernel_initializer.seed == 5
    x = np.random.default_rng(0).standard_normal((3, 2)).astype(np.float32)
    layer(x)
    clone(x)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(np.asarray(clone(x)), np.asarray(layer(x)), rtol=1e-6)
    # the seeded initializer repeats its values, so fresh clones start from the same kernel
    first, second = layers.Dense.from_config(config), layers.Dense.from_config(config)
    first.build((None, 2))
    second.build((None, 2))
    np.testing.assert_array_equal(np.asarray(first.kernel), np.asarray(second.kernel))


def test_dense_from_keras_config_dict():
    """A config exactly as Keras 3.13 writes it (with quantization_config) must load."""
    keras_config = {
        "name": "dense_9",
        "trainable": True,
        "dtype": FLOAT32_POLICY,
        "units": 10,
        "activation": "softmax",
        "use_bias": True,
        "kernel_initializer": GLOROT_UNIFORM,
        "bias_initializer": ZEROS,
        "kernel_regularizer": None,
        "bias_regularizer": None,
        "kernel_constraint": None,
        "bias_constraint": None,
        "quantization_config": None,
    }
    layer = layers.Dense.from_config(keras_config)
    assert layer.name == "dense_9" and layer.units == 10
    assert layer.get_config()["activation"] == "softmax"


# ---- Activation layer -------------------------------------------------------------------


def test_activation_layer_values_shape_and_config():
    x = np.array([[-2.0, -0.5, 0.0, 1.5]], dtype=np.float32)
    relu = layers.Activation("relu")
    np.testing.assert_array_equal(np.asarray(relu(x)), np.maximum(x, 0))
    soft = layers.Activation("softmax")
    np.testing.assert_allclose(np.asarray(soft(x)), _softmax(x), rtol=1e-6)
    assert relu.compute_output_shape((None, 4)) == (None, 4)
    config = relu.get_config()
    assert set(config) == {"name", "trainable", "dtype", "activation"}
    assert config["activation"] == "relu"
    assert layers.Activation.from_config(config).get_config() == config
    assert relu.weights == []


def test_activation_layer_accepts_callable():
    layer = layers.Activation(npkeras.activations.tanh)
    x = np.linspace(-2, 2, 5, dtype=np.float32)[None]
    np.testing.assert_allclose(np.asarray(layer(x)), np.tanh(x), rtol=1e-6)
    assert layer.get_config()["activation"] == "tanh"
