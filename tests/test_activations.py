"""Every activation in npkeras.activations against a NumPy reference of Keras 3's definition."""

import math

import numpy as np
import pytest

import npkeras
from npkeras import activations, layers, ops
from npkeras.autograd import gradient_check

X = np.array([-7.0, -3.0, -1.5, -0.5, -0.1, 0.2, 0.7, 1.5, 3.0, 6.5, 9.0])
X2 = np.array([[-2.0, -0.3, 0.4, 1.7], [3.0, 0.1, -1.1, 2.2], [10.0, -10.0, 0.5, 0.0]])

_erf = np.vectorize(math.erf)


def _softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _gelu_exact(x):
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def _gelu_tanh(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))


REFERENCES = {
    "relu": lambda x: np.maximum(x, 0.0),
    "relu6": lambda x: np.clip(x, 0.0, 6.0),
    "leaky_relu": lambda x: np.where(x > 0, x, 0.2 * x),
    "elu": lambda x: np.where(x > 0, x, np.expm1(x)),
    "gelu": _gelu_exact,
    "sigmoid": lambda x: 1.0 / (1.0 + np.exp(-x)),
    "tanh": np.tanh,
    "softmax": _softmax,
    "log_softmax": lambda x: np.log(_softmax(x)),
    "linear": lambda x: x,
    "hard_sigmoid": lambda x: np.clip(x + 3.0, 0.0, 6.0) / 6.0,  # Keras 3: relu6(x + 3) / 6
    "softsign": lambda x: x / (1.0 + np.abs(x)),
    "softplus": lambda x: np.log1p(np.exp(x)),
    "selu": lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * np.expm1(x)),
    "silu": lambda x: x / (1.0 + np.exp(-x)),
    "exponential": np.exp,
}


def _value(x):
    return np.asarray(x, dtype=np.float64)


def test_every_activation_name_is_covered():
    names = set(activations._TABLE)
    assert names == set(REFERENCES), f"untested activations: {names - set(REFERENCES)}"


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_activation_by_name_matches_reference(name):
    fn = activations.get(name)
    assert fn is getattr(activations, name)
    np.testing.assert_allclose(_value(fn(X2)), REFERENCES[name](X2), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_activation_keeps_float32(name):
    x = X2.astype(np.float32)
    out = getattr(activations, name)(x)
    assert np.asarray(out).dtype == np.float32
    np.testing.assert_allclose(np.asarray(out), REFERENCES[name](X2), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_activation_serialize_round_trip(name):
    assert activations.serialize(activations.get(name)) == name


# ---- relu and its arguments -------------------------------------------------------------


def test_relu_default():
    np.testing.assert_array_equal(_value(activations.relu(X)), np.maximum(X, 0))


def test_relu_negative_slope():
    np.testing.assert_allclose(_value(activations.relu(X, negative_slope=0.1)), np.where(X > 0, X, 0.1 * X))


def test_relu_max_value():
    np.testing.assert_allclose(_value(activations.relu(X, max_value=2.5)), np.clip(X, 0, 2.5))


def test_relu_threshold():
    np.testing.assert_allclose(_value(activations.relu(X, threshold=1.0)), np.where(X > 1.0, X, 0.0))


def test_relu_all_arguments_match_keras():
    """Measured with keras 3.13.2: relu([-3,-1,.5,2,5], negative_slope=.1, max_value=4, threshold=1)."""
    x = np.array([-3.0, -1.0, 0.5, 2.0, 5.0])
    got = _value(activations.relu(x, negative_slope=0.1, max_value=4.0, threshold=1.0))
    np.testing.assert_allclose(got, [-0.4, -0.2, -0.05, 2.0, 4.0], rtol=1e-7)


def test_leaky_relu_default_slope_is_point_two():
    np.testing.assert_allclose(_value(activations.leaky_relu(X)), np.where(X > 0, X, 0.2 * X))
    np.testing.assert_allclose(_value(activations.leaky_relu(X, negative_slope=0.01)), np.where(X > 0, X, 0.01 * X))


def test_relu6():
    np.testing.assert_array_equal(_value(activations.relu6(X)), np.clip(X, 0, 6))


# ---- elu, gelu --------------------------------------------------------------------------


def test_elu_alpha():
    np.testing.assert_allclose(_value(activations.elu(X)), np.where(X > 0, X, np.expm1(X)), rtol=1e-7)
    np.testing.assert_allclose(_value(activations.elu(X, alpha=0.5)), np.where(X > 0, X, 0.5 * np.expm1(X)), rtol=1e-7)


def test_gelu_exact_against_math_erf():
    x = np.linspace(-6, 6, 241)
    np.testing.assert_allclose(_value(activations.gelu(x)), _gelu_exact(x), rtol=0, atol=1e-6)
    np.testing.assert_allclose(_value(activations.gelu(x, approximate=False)), _gelu_exact(x), rtol=0, atol=1e-6)


def test_gelu_keras_measured_values():
    np.testing.assert_allclose(
        _value(activations.gelu(np.array([-1.0, 0.5, 2.0]))), [-0.15865526, 0.34573123, 1.95449973], atol=1e-6
    )


def test_gelu_approximate_tanh_form():
    x = np.linspace(-6, 6, 241)
    np.testing.assert_allclose(_value(activations.gelu(x, approximate=True)), _gelu_tanh(x), rtol=1e-7, atol=1e-12)
    assert np.abs(_gelu_tanh(x) - _gelu_exact(x)).max() > 1e-4  # the two forms really differ


def test_ops_gelu_defaults_to_approximate_like_keras_ops():
    x = np.linspace(-3, 3, 13)
    np.testing.assert_allclose(_value(ops.gelu(x)), _gelu_tanh(x), rtol=1e-7, atol=1e-12)


# ---- softmax, sigmoid, tanh, linear -----------------------------------------------------


def test_softmax_rows_sum_to_one_and_are_stable():
    out = _value(activations.softmax(np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]])))
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out.sum(axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(out[0], [1.0, 0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(out[1], _softmax(np.array([1.0, 2.0, 3.0])), rtol=1e-12)


def test_softmax_axis():
    np.testing.assert_allclose(_value(activations.softmax(X2, axis=0)), _softmax(X2, axis=0), rtol=1e-7)


def test_sigmoid_saturates_without_overflow():
    with np.errstate(over="raise"):
        out = _value(activations.sigmoid(np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])))
    np.testing.assert_allclose(out, [0.0, 1 / (1 + np.exp(50.0)), 0.5, 1 / (1 + np.exp(-50.0)), 1.0], atol=1e-15)
    x = np.linspace(-20, 20, 81)
    np.testing.assert_allclose(_value(activations.sigmoid(x)), 1 / (1 + np.exp(-x)), rtol=1e-6)


def test_tanh_and_linear():
    np.testing.assert_allclose(_value(activations.tanh(X)), np.tanh(X), rtol=1e-7)
    np.testing.assert_array_equal(_value(activations.linear(X)), X)


# ---- get --------------------------------------------------------------------------------


def test_get_none_is_linear_and_callables_pass_through():
    assert activations.get(None) is activations.linear

    def custom(x):
        return x * 2

    assert activations.get(custom) is custom


def test_unknown_activation_lists_valid_names():
    with pytest.raises(ValueError) as info:
        activations.get("relux")
    message = str(info.value)
    assert "Could not interpret activation function identifier" in message
    assert "relux" in message
    for name in REFERENCES:
        assert name in message


# ---- gradients --------------------------------------------------------------------------

XG = np.array([[-2.3, -0.7, 0.4, 1.9], [0.6, -1.4, 2.7, -0.2]])  # away from 0, the thresholds and the caps


@pytest.mark.parametrize(
    "fn",
    [
        activations.relu,
        activations.relu6,
        activations.leaky_relu,
        activations.elu,
        lambda x: activations.elu(x, alpha=0.5),
        activations.gelu,
        lambda x: activations.gelu(x, approximate=True),
        activations.sigmoid,
        activations.tanh,
        activations.softmax,
        lambda x: activations.softmax(x, axis=0),
        activations.log_softmax,
        lambda x: activations.relu(x, negative_slope=0.1, max_value=2.0, threshold=0.5),
    ],
)
def test_activation_gradients(fn):
    assert gradient_check(fn, XG)


@npkeras.saving.register_keras_serializable(package="test_activations")
def doubled_relu(x):
    return ops.relu(x) * 2.0


def test_a_registered_activation_function_saves_as_keras_writes_it_and_loads(tmp_path):
    model = npkeras.Sequential([npkeras.Input((3,)), layers.Dense(2, activation=doubled_relu)])
    config = model.layers[0].get_config()["activation"]
    assert config == {
        "module": "builtins",
        "class_name": "function",
        "config": "test_activations>doubled_relu",
        "registered_name": "function",
    }  # fmt: skip - as Keras 3.15 writes it
    model.save(tmp_path / "m.keras")
    loaded = npkeras.models.load_model(tmp_path / "m.keras")
    assert loaded.layers[0].activation is doubled_relu
    x = np.linspace(-1, 1, 6, dtype="float32").reshape(2, 3)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert activations.get("test_activations>doubled_relu") is doubled_relu


def test_an_unregistered_activation_function_saves_by_name_as_keras_writes_it_and_loads_from_custom_objects():
    def tripled(x):
        return x * 3.0

    config = layers.Activation(tripled).get_config()
    assert config["activation"] == {
        "module": "builtins",
        "class_name": "function",
        "config": "tripled",
        "registered_name": "function",
    }  # fmt: skip - as Keras 3.15 writes it
    with npkeras.utils.custom_object_scope({"tripled": tripled}):
        assert layers.Activation.from_config(config).activation is tripled
    with pytest.raises(ValueError, match="Could not interpret activation function identifier: 'tripled'"):
        layers.Activation.from_config(config)
    with pytest.raises(ValueError, match="named Python functions can be saved"):
        layers.Dense(2, activation=lambda x: x * 3.0).get_config()
