"""Conv1D and Conv2D: shapes, parameter counts, configs as in Keras 3, data formats, regularizers, errors."""

import numpy as np
import pytest
from keras_configs import FLOAT32_POLICY, GLOROT_UNIFORM, ZEROS

import npkeras
from npkeras import layers, ops, regularizers
from npkeras.autograd import GradientTape

# BaseConv.get_config in Keras 3 (keras/src/layers/convolutional/base_conv.py), after Layer's name/trainable/dtype
KERAS_CONV_KEYS = [
    "name",
    "trainable",
    "dtype",
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "data_format",
    "dilation_rate",
    "groups",
    "activation",
    "use_bias",
    "kernel_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "bias_regularizer",
    "activity_regularizer",
    "kernel_constraint",
    "bias_constraint",
]


def reference_conv(x, kernel, bias=None, strides=(1, 1), pads=((0, 0), (0, 0))):
    """x (b, h, w, c) cross-correlated with kernel (kh, kw, c, f) by explicit loops over output pixels."""
    x = np.pad(x.astype(np.float64), ((0, 0), *pads, (0, 0)))
    kh, kw, _, f = kernel.shape
    oh, ow = (x.shape[1] - kh) // strides[0] + 1, (x.shape[2] - kw) // strides[1] + 1
    y = np.zeros((x.shape[0], oh, ow, f))
    for r in range(oh):
        for q in range(ow):
            patch = x[:, r * strides[0] : r * strides[0] + kh, q * strides[1] : q * strides[1] + kw]
            y[:, r, q] = np.tensordot(patch, kernel, axes=3)
    return y if bias is None else y + bias


def built(layer, x_shape, seed=0):
    """Build `layer` for `x_shape` and give it known random weights."""
    layer.build(x_shape)
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.standard_normal(w.shape).astype(np.float32) for w in layer.weights])
    return layer


def rand(shape, seed=1):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


# ---- shapes and values ------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, in_shape, out_shape",
    [
        ({"filters": 32, "kernel_size": (3, 3)}, (2, 28, 28, 1), (2, 26, 26, 32)),
        ({"filters": 4, "kernel_size": 3, "padding": "same"}, (2, 7, 6, 3), (2, 7, 6, 4)),
        ({"filters": 4, "kernel_size": 3, "strides": 2}, (1, 7, 8, 2), (1, 3, 3, 4)),
        ({"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}, (1, 7, 8, 2), (1, 4, 4, 4)),
        ({"filters": 3, "kernel_size": (2, 3), "dilation_rate": 2}, (1, 6, 7, 1), (1, 4, 3, 3)),
        ({"filters": 5, "kernel_size": 1}, (3, 4, 4, 2), (3, 4, 4, 5)),
        ({"filters": 2, "kernel_size": 3, "data_format": "channels_first"}, (2, 3, 7, 6), (2, 2, 5, 4)),
    ],
)
def test_conv2d_output_shape(kwargs, in_shape, out_shape):
    layer = layers.Conv2D(**kwargs)
    y = layer(rand(in_shape))
    assert y.shape == out_shape
    assert layer.compute_output_shape(in_shape) == out_shape


@pytest.mark.parametrize(
    "kwargs, in_shape, out_shape",
    [
        ({"filters": 4, "kernel_size": 3}, (2, 10, 3), (2, 8, 4)),
        ({"filters": 4, "kernel_size": 3, "padding": "causal"}, (2, 10, 3), (2, 10, 4)),
        ({"filters": 4, "kernel_size": 3, "padding": "same", "strides": 3}, (2, 10, 3), (2, 4, 4)),
        ({"filters": 4, "kernel_size": 2, "dilation_rate": 3}, (2, 10, 3), (2, 7, 4)),
        ({"filters": 4, "kernel_size": 3, "data_format": "channels_first"}, (2, 3, 10), (2, 4, 8)),
    ],
)
def test_conv1d_output_shape(kwargs, in_shape, out_shape):
    layer = layers.Conv1D(**kwargs)
    assert layer(rand(in_shape)).shape == out_shape
    assert layer.compute_output_shape(in_shape) == out_shape


def test_compute_output_shape_with_unknown_dimensions():
    assert layers.Conv2D(4, 3).compute_output_shape((None, 28, 28, 1)) == (None, 26, 26, 4)
    assert layers.Conv2D(4, 3).compute_output_shape((None, None, 9, 3)) == (None, None, 7, 4)
    assert layers.Conv2D(4, 3, strides=2, padding="same").compute_output_shape((None, None, None, 3)) == (
        None,
        None,
        None,
        4,
    )
    assert layers.Conv2D(4, 3, data_format="channels_first").compute_output_shape((None, 3, None, 9)) == (
        None,
        4,
        None,
        7,
    )
    assert layers.Conv1D(8, 5, padding="causal").compute_output_shape((None, None, 2)) == (None, None, 8)
    assert layers.Conv1D(8, 5).compute_output_shape((4, 12, 2)) == (4, 8, 8)


def test_conv2d_values_with_bias_and_default_linear_activation():
    layer = built(layers.Conv2D(3, (2, 3), strides=(1, 2), padding="same"), (2, 5, 6, 2))
    kernel, bias = layer.get_weights()
    x = rand((2, 5, 6, 2))
    y = layer(x)
    assert y.dtype == np.float32
    # same: rows need (0, 1) padding (out 5), columns (0, 1) (out 3, total 2*2 + 3 - 6 = 1)
    expected = reference_conv(x, kernel, bias, strides=(1, 2), pads=((0, 1), (0, 1)))
    np.testing.assert_allclose(np.asarray(y), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("activation, fn", [("relu", lambda z: np.maximum(z, 0)), ("tanh", np.tanh)])
def test_conv2d_activation_is_applied(activation, fn):
    layer = built(layers.Conv2D(4, 3, activation=activation), (2, 6, 6, 3), seed=2)
    layer.set_weights([w * 0.2 for w in layer.get_weights()])  # keep tanh off its flat tails
    kernel, bias = layer.get_weights()
    x = rand((2, 6, 6, 3), seed=3)
    y = np.asarray(layer(x))
    np.testing.assert_allclose(y, fn(reference_conv(x, kernel, bias)), rtol=1e-5, atol=1e-5)
    if activation == "tanh":
        assert (y < 0).any() and np.abs(y).max() < 1


def test_conv1d_causal_values():
    layer = built(layers.Conv1D(2, 3, padding="causal", use_bias=False), (1, 6, 1), seed=4)
    (kernel,) = layer.get_weights()
    x = np.arange(1, 7, dtype=np.float32).reshape(1, 6, 1)
    y = np.asarray(layer(x))[0]
    padded = np.concatenate([[0.0, 0.0], x[0, :, 0]])
    expected = np.array([[padded[t : t + 3] @ kernel[:, 0, o] for o in range(2)] for t in range(6)])
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-5)


def test_integer_input_is_cast_to_the_kernel_dtype():
    layer = built(layers.Conv2D(2, 2), (1, 3, 3, 1))
    kernel, bias = layer.get_weights()
    x = np.arange(9).reshape(1, 3, 3, 1)
    y = layer(x)
    assert y.dtype == np.float32
    np.testing.assert_allclose(np.asarray(y), reference_conv(x, kernel, bias), rtol=1e-5)


# ---- parameters -------------------------------------------------------------------------


def test_parameter_counts_of_the_notes_cnn():
    first, second = layers.Conv2D(32, (3, 3), activation="relu"), layers.Conv2D(64, (3, 3), activation="relu")
    model = npkeras.Sequential(
        [npkeras.Input((28, 28, 1)), first, layers.MaxPooling2D((2, 2)), second, layers.MaxPooling2D((2, 2))]
    )
    assert first.count_params() == 320  # 3 * 3 * 1 * 32 + 32
    assert second.count_params() == 18_496  # 3 * 3 * 32 * 64 + 64
    assert model.output_shape == (None, 5, 5, 64)
    assert [w.shape for w in second.weights] == [(3, 3, 32, 64), (64,)]
    assert [w.name for w in second.weights] == ["kernel", "bias"]


def test_weights_without_bias_and_initial_values():
    layer = layers.Conv1D(6, 4, use_bias=False)
    layer.build((None, 10, 3))
    assert layer.bias is None and len(layer.weights) == 1
    assert layer.count_params() == 4 * 3 * 6
    conv2d = layers.Conv2D(8, 3)
    conv2d.build((None, 5, 5, 2))
    kernel, bias = conv2d.get_weights()
    limit = np.sqrt(6 / (3 * 3 * 2 + 3 * 3 * 8))  # glorot_uniform with receptive field fan-in/out
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.5 * limit
    np.testing.assert_array_equal(bias, np.zeros(8))


# ---- config -----------------------------------------------------------------------------


def test_conv2d_get_config_matches_keras():
    npkeras.clear_session()
    config = layers.Conv2D(16, 3).get_config()
    assert list(config) == KERAS_CONV_KEYS
    assert config == {
        "name": "conv2d",
        "trainable": True,
        "dtype": FLOAT32_POLICY,
        "filters": 16,
        "kernel_size": (3, 3),
        "strides": (1, 1),
        "padding": "valid",
        "data_format": "channels_last",
        "dilation_rate": (1, 1),
        "groups": 1,
        "activation": "linear",
        "use_bias": True,
        "kernel_initializer": GLOROT_UNIFORM,
        "bias_initializer": ZEROS,
        "kernel_regularizer": None,
        "bias_regularizer": None,
        "activity_regularizer": None,
        "kernel_constraint": None,
        "bias_constraint": None,
    }


def test_conv1d_get_config_values():
    npkeras.clear_session()
    config = layers.Conv1D(
        8, 5, strides=2, padding="CAUSAL", activation="relu", use_bias=False, kernel_regularizer="l2"
    ).get_config()
    assert list(config) == KERAS_CONV_KEYS
    assert config["name"] == "conv1d"
    assert config["kernel_size"] == (5,) and config["strides"] == (2,) and config["dilation_rate"] == (1,)
    assert config["padding"] == "causal"
    assert config["activation"] == "relu" and config["use_bias"] is False
    assert config["kernel_regularizer"] == {
        "module": "keras.regularizers",
        "class_name": "L2",
        "config": {"l2": 0.01},
        "registered_name": None,
    }


def test_from_config_round_trip():
    layer = layers.Conv2D(
        5,
        (2, 3),
        strides=(2, 1),
        padding="same",
        activation="tanh",
        kernel_regularizer=regularizers.L2(0.02),
        data_format="channels_first",
        name="features",
    )
    config = layer.get_config()
    clone = layers.Conv2D.from_config(config)
    assert clone.get_config() == config
    assert clone.name == "features" and clone.kernel_size == (2, 3) and clone.strides == (2, 1)
    x = rand((2, 3, 5, 6))
    layer(x)
    clone(x)
    clone.set_weights(layer.get_weights())
    np.testing.assert_array_equal(np.asarray(clone(x)), np.asarray(layer(x)))
    assert float(clone.losses[0]) == pytest.approx(float(layer.losses[0]))


# ---- data formats -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "cls, kwargs, cl_shape",
    [
        (layers.Conv2D, {"kernel_size": 3}, (2, 6, 7, 3)),
        (layers.Conv2D, {"kernel_size": (2, 3), "strides": 2, "padding": "same"}, (2, 7, 6, 3)),
        (layers.Conv2D, {"kernel_size": 1, "activation": "relu"}, (2, 4, 5, 3)),
        (layers.Conv1D, {"kernel_size": 3, "padding": "causal", "dilation_rate": 2}, (2, 9, 3)),
    ],
)
def test_channels_first_equals_channels_last_on_transposed_input(cls, kwargs, cl_shape):
    last = built(cls(4, data_format="channels_last", **kwargs), cl_shape, seed=5)
    first = cls(4, data_format="channels_first", **kwargs)
    to_first = (0, len(cl_shape) - 1, *range(1, len(cl_shape) - 1))
    first.build(tuple(cl_shape[i] for i in to_first))
    first.set_weights(last.get_weights())  # the kernel layout is the same in both formats
    x = rand(cl_shape, seed=6)
    x_first = np.ascontiguousarray(x.transpose(to_first))
    xt, xt_first = ops.convert_to_tensor(x), ops.convert_to_tensor(x_first)
    with GradientTape(persistent=True) as tape:
        tape.watch([xt, xt_first])
        y_last, y_first = last(xt), first(xt_first)
        loss_last, loss_first = ops.sum(y_last * y_last), ops.sum(y_first * y_first)
    np.testing.assert_allclose(np.asarray(y_first), np.asarray(y_last).transpose(to_first), rtol=1e-5, atol=1e-6)
    g_last = tape.gradient(loss_last, [xt, last.kernel])
    g_first = tape.gradient(loss_first, [xt_first, first.kernel])
    np.testing.assert_allclose(np.asarray(g_first[0]), np.asarray(g_last[0]).transpose(to_first), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(np.asarray(g_first[1]), np.asarray(g_last[1]), rtol=1e-4, atol=1e-4)


# ---- regularizers -----------------------------------------------------------------------


def test_kernel_regularizer_adds_l2_sum_of_squares_to_losses():
    layer = built(layers.Conv2D(4, 3, kernel_regularizer=regularizers.l2(0.03)), (1, 5, 5, 2), seed=7)
    kernel = layer.get_weights()[0].astype(np.float64)
    (penalty,) = layer.losses
    assert float(penalty) == pytest.approx(0.03 * np.sum(kernel**2), rel=1e-6)
    both = built(
        layers.Conv2D(4, 3, kernel_regularizer="l2", bias_regularizer=regularizers.l1(0.5)), (1, 5, 5, 2), seed=8
    )
    kernel, bias = both.get_weights()
    assert sorted(float(p) for p in both.losses) == pytest.approx(
        sorted([0.01 * np.sum(kernel.astype(np.float64) ** 2), 0.5 * np.abs(bias).sum()]), rel=1e-6
    )


def test_kernel_regularizer_enters_the_fit_and_evaluate_loss():
    x = rand((8, 6, 6, 1), seed=9)
    y = rand((8, 2), seed=10)

    def model(regularizer):
        npkeras.utils.set_random_seed(0)
        conv = layers.Conv2D(2, 3, kernel_regularizer=regularizer)
        m = npkeras.Sequential([npkeras.Input((6, 6, 1)), conv, layers.GlobalAveragePooling2D()])
        m.compile(optimizer=npkeras.optimizers.SGD(learning_rate=0.0), loss="mse")
        return m, conv

    plain, _ = model(None)
    regularized, conv = model(regularizers.L2(0.1))
    regularized.set_weights(plain.get_weights())
    penalty = 0.1 * np.sum(conv.get_weights()[0].astype(np.float64) ** 2)
    assert penalty > 0.01
    base = plain.evaluate(x, y, batch_size=8, verbose=0)
    assert regularized.evaluate(x, y, batch_size=8, verbose=0) == pytest.approx(base + penalty, rel=1e-5)
    fit_plain = plain.fit(x, y, batch_size=8, epochs=1, verbose=0).history["loss"][0]
    fit_reg = regularized.fit(x, y, batch_size=8, epochs=1, verbose=0).history["loss"][0]
    assert fit_plain == pytest.approx(base, rel=1e-5)
    assert fit_reg == pytest.approx(base + penalty, rel=1e-5)


# ---- errors -----------------------------------------------------------------------------


def raises_naming(make_layer, name, x=None):
    """Making the layer (and calling it on `x` if given) raises a ValueError naming `name`; its message."""
    with pytest.raises(ValueError) as err:
        layer = make_layer()
        if x is not None:
            layer(x)
    assert name in str(err.value), str(err.value)
    return str(err.value)


def test_rank_3_batch_into_conv2d():
    message = raises_naming(lambda: layers.Conv2D(4, 3, name="c2d"), "c2d", rand((2, 5, 5)))
    assert "(2, 5, 5)" in message


def test_rank_3_batch_into_a_built_conv2d():
    layer = layers.Conv2D(4, 3, name="built_c2d")
    layer(rand((1, 5, 5, 2)))
    raises_naming(lambda: layer, "built_c2d", rand((5, 5, 2)))


def test_rank_4_batch_into_conv1d():
    raises_naming(lambda: layers.Conv1D(4, 3, name="c1d"), "c1d", rand((1, 5, 5, 2)))


def test_channels_that_differ_from_the_built_kernel():
    layer = layers.Conv2D(4, 3, name="channels")
    layer(rand((1, 5, 5, 2)))
    message = raises_naming(lambda: layer, "channels", rand((1, 5, 5, 3)))
    assert "2" in message and "(1, 5, 5, 3)" in message


@pytest.mark.parametrize(
    "kwargs, shape",
    [
        ({"kernel_size": 3}, (1, 2, 2, 1)),
        ({"kernel_size": (2, 5)}, (1, 4, 4, 1)),
        ({"kernel_size": 3, "dilation_rate": 2}, (1, 4, 4, 1)),  # span 5
        ({"kernel_size": 3, "data_format": "channels_first"}, (1, 1, 9, 2)),
    ],
)
def test_kernel_larger_than_the_input(kwargs, shape):
    raises_naming(lambda: layers.Conv2D(4, name="too_big", **kwargs), "too_big", rand(shape))


def test_kernel_larger_than_the_input_is_fine_with_same_padding():
    assert layers.Conv2D(4, 5, padding="same")(rand((1, 2, 2, 1))).shape == (1, 2, 2, 4)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"filters": 4, "kernel_size": 3, "strides": 0},
        {"filters": 4, "kernel_size": 3, "strides": -1},
        {"filters": 4, "kernel_size": 3, "strides": (1, 0)},
        {"filters": 4, "kernel_size": 3, "strides": 2, "dilation_rate": 2},
        {"filters": 4, "kernel_size": 3, "strides": (1, 2), "dilation_rate": (2, 1)},
        {"filters": 4, "kernel_size": 3, "padding": "causal"},
        {"filters": 4, "kernel_size": 3, "padding": "full"},
        {"filters": 0, "kernel_size": 3},
        {"filters": -2, "kernel_size": 3},
        {"filters": 4, "kernel_size": 0},
        {"filters": 4, "kernel_size": (3, 3, 3)},
        {"filters": 4, "kernel_size": 3, "dilation_rate": 0},
        {"filters": 4, "kernel_size": 3, "data_format": "channels_middle"},
        {"filters": 4, "kernel_size": 3, "groups": 2},
    ],
)
def test_bad_arguments_name_the_layer(kwargs):
    raises_naming(lambda: layers.Conv2D(name="bad_conv", **kwargs), "bad_conv")


def test_conv1d_accepts_causal_and_names_itself_on_bad_padding():
    assert layers.Conv1D(2, 3, padding="causal").padding == "causal"
    raises_naming(lambda: layers.Conv1D(2, 3, padding="full", name="bad_conv1d"), "bad_conv1d")


@pytest.mark.parametrize("kernel_size", [None, 3.0])
def test_kernel_size_that_is_no_int_or_tuple_names_the_layer(kernel_size):
    raises_naming(lambda: layers.Conv2D(4, kernel_size, name="no_kernel"), "no_kernel")


def test_activation_reassigned_after_construction_is_used():
    x = np.random.default_rng(0).standard_normal((2, 8, 8, 1)).astype("float32")
    model = npkeras.Sequential(
        [npkeras.Input((8, 8, 1)), layers.Conv2D(4, 3, activation="relu"), layers.MaxPooling2D(), layers.Flatten()]
    )
    assert model.predict_on_batch(x).min() >= 0
    model.layers[0].activation = None  # e.g. to look at pre-activation feature maps
    assert model.predict_on_batch(x).min() < 0
    conv = layers.Conv2D(4, 3, activation="relu")
    conv(x)
    conv.activation = None
    assert np.asarray(conv(x)).min() < 0


def test_empty_batch_gives_an_empty_output():
    assert layers.Conv1D(3, 3, padding="causal", strides=2)(np.zeros((0, 7, 2), "float32")).shape == (0, 4, 3)
    model = npkeras.Sequential(
        [npkeras.Input((8, 8, 2)), layers.Conv2D(3, 3, activation="relu"), layers.MaxPooling2D()]
    )
    assert model.predict_on_batch(np.zeros((0, 8, 8, 2), "float32")).shape == (0, 3, 3, 3)


def test_filters_may_be_a_numpy_integer():
    layer = layers.Conv2D(np.int64(8), 3)
    assert layer.filters == 8 and type(layer.get_config()["filters"]) is int


# ---- convolution_op: subclasses that convolve with a transformed kernel -----------------------


class WeightStandardizedConv2D(layers.Conv2D):
    """The keras-io weight-standardization pattern: `call` convolves with the standardized kernel, adds the bias."""

    def call(self, inputs):
        mean, var = ops.moments(self.kernel, axes=[0, 1, 2], keepdims=True)
        return self.convolution_op(inputs, (self.kernel - mean) / ops.sqrt(var + 1e-10)) + self.bias


def test_weight_standardized_subclass_convolves_with_the_standardized_kernel():
    layer = built(WeightStandardizedConv2D(3, 2, padding="same"), (2, 5, 4, 2))
    x = rand((2, 5, 4, 2))
    kernel, bias = (np.asarray(w, dtype=np.float64) for w in layer.get_weights())
    standardized = (kernel - kernel.mean(axis=(0, 1, 2))) / np.sqrt(kernel.var(axis=(0, 1, 2)) + 1e-10)
    expected = reference_conv(x, standardized, bias, pads=((0, 1), (0, 1)))
    np.testing.assert_allclose(np.asarray(layer(x)), expected, rtol=1e-4, atol=1e-4)
    # the standardization is part of the graph: scaling the kernel changes nothing, so its gradient is orthogonal
    with GradientTape() as tape:
        loss = ops.sum(layer(x) * rand((2, 5, 4, 3), seed=2))
    grad_kernel, grad_bias = tape.gradient(loss, [layer.kernel, layer.bias])
    per_filter = np.sum(np.asarray(grad_kernel, dtype=np.float64) * kernel, axis=(0, 1, 2))
    np.testing.assert_allclose(per_filter, 0, atol=1e-3)
    assert np.abs(np.asarray(grad_bias)).min() > 0


def test_weight_standardized_subclass_trains_in_a_model():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((16, 6, 6, 1)).astype(np.float32)
    y = x.mean(axis=(1, 2, 3), keepdims=False)[:, None]
    model = npkeras.Sequential(
        [npkeras.Input((6, 6, 1)), WeightStandardizedConv2D(4, 3), layers.Flatten(), layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mse")
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=10, verbose=0)
    assert model.evaluate(x, y, verbose=0) < before


def test_an_overridden_convolution_op_is_what_the_base_call_uses():
    class DoubledKernelConv1D(layers.Conv1D):
        def convolution_op(self, inputs, kernel):
            return super().convolution_op(inputs, kernel * 2.0)

    layer = built(DoubledKernelConv1D(2, 3, activation="relu"), (2, 6, 3))
    plain = built(layers.Conv1D(2, 3, activation="relu"), (2, 6, 3))
    kernel, bias = layer.get_weights()
    plain.set_weights([kernel * 2, bias])
    x = rand((2, 6, 3))
    np.testing.assert_allclose(np.asarray(layer(x)), np.asarray(plain(x)), rtol=1e-5, atol=1e-6)


def test_convolution_op_follows_the_layers_geometry_and_data_format():
    layer = built(layers.Conv2D(2, 3, strides=2, padding="same", data_format="channels_first"), (1, 3, 7, 6))
    x = rand((1, 3, 7, 6))
    kernel = rand((3, 3, 3, 2), seed=3)
    y = np.asarray(layer.convolution_op(x, kernel))
    expected = np.asarray(ops.conv(np.transpose(x, (0, 2, 3, 1)), kernel, 2, "same"))
    np.testing.assert_allclose(y, np.transpose(expected, (0, 3, 1, 2)), rtol=1e-6)


# ---- Conv3D --------------------------------------------------------------------------------


def test_conv3d_shapes_and_parameter_count_as_keras():
    layer = layers.Conv3D(4, 3, padding="same")  # Keras 3.15.1: (None, 6, 6, 6, 4), 220 parameters
    assert layer.compute_output_shape((None, 6, 6, 6, 2)) == (None, 6, 6, 6, 4)
    assert layer(np.zeros((1, 6, 6, 6, 2), dtype=np.float32)).shape == (1, 6, 6, 6, 4)
    assert layer.count_params() == 220 and layer.kernel.shape == (3, 3, 3, 2, 4)
    assert layers.Convolution3D is layers.Conv3D
    strided = layers.Conv3D(2, (2, 3, 1), strides=(2, 1, 3))
    assert strided.compute_output_shape((None, 5, 4, 6, 1)) == (None, 2, 2, 2, 2)


def test_conv3d_values_equal_the_sum_of_2d_convolutions_over_depth_taps():
    layer = built(layers.Conv3D(3, (2, 2, 2), activation="relu"), (2, 3, 4, 5, 2))
    kernel, bias = layer.get_weights()
    x = rand((2, 3, 4, 5, 2))
    expected = np.zeros((2, 2, 3, 4, 3))
    for d in range(2):
        for t in range(2):
            expected[:, d] += reference_conv(x[:, d + t], kernel[t])
    np.testing.assert_allclose(np.asarray(layer(x)), np.maximum(expected + bias, 0), rtol=1e-4, atol=1e-5)


def test_conv3d_channels_first_and_config_round_trip():
    x = rand((2, 4, 4, 4, 3))
    last = built(layers.Conv3D(2, 2, padding="same"), x.shape)
    first = layers.Conv3D(2, 2, padding="same", data_format="channels_first")
    first.build((2, 3, 4, 4, 4))
    first.set_weights(last.get_weights())
    y_first = np.asarray(first(np.transpose(x, (0, 4, 1, 2, 3))))
    np.testing.assert_allclose(y_first, np.transpose(np.asarray(last(x)), (0, 4, 1, 2, 3)), rtol=1e-5, atol=1e-6)
    config = last.get_config()
    assert config["kernel_size"] == (2, 2, 2)
    assert layers.Conv3D.from_config(config).get_config() == config


def test_a_model_does_not_fuse_away_an_overridden_convolution_op():
    class NegatedKernelConv2D(layers.Conv2D):
        def convolution_op(self, inputs, kernel):
            return super().convolution_op(inputs, -kernel)

    x = rand((2, 6, 6, 2))
    model = npkeras.Sequential(
        [npkeras.Input((6, 6, 2)), NegatedKernelConv2D(3, 3, activation="relu"), layers.MaxPooling2D(2)]
    )
    kernel, bias = model.get_weights()
    bias = rand(bias.shape, seed=4)
    model.set_weights([kernel, bias])
    conv = np.maximum(reference_conv(x, -kernel, bias), 0)  # (2, 4, 4, 3)
    expected = conv.reshape(2, 2, 2, 2, 2, 3).max(axis=(2, 4))
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-4, atol=1e-5)
