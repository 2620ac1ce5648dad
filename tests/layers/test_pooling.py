"""Pooling layers: shapes, Keras defaults and configs, channels_first, global pooling, masks, errors."""

import numpy as np
import pytest
from keras_configs import FLOAT32_POLICY

import npkeras
from npkeras import layers, ops
from npkeras.autograd import GradientTape


def rand(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def blocks_2x2(x):
    """(b, h, w, c) with even h, w -> (b, h/2, w/2, 4, c): the pixels of each 2x2 tile."""
    b, h, w, c = x.shape
    return x.reshape(b, h // 2, 2, w // 2, 2, c).transpose(0, 1, 3, 2, 4, 5).reshape(b, h // 2, w // 2, 4, c)


# ---- windowed pooling -------------------------------------------------------------------


def test_max_pooling2d_defaults_and_values():
    layer = layers.MaxPooling2D()
    assert layer.pool_size == (2, 2) and layer.strides == (2, 2)
    assert layer.padding == "valid" and layer.data_format == "channels_last"
    x = rand((2, 6, 4, 3))
    y = layer(x)
    assert isinstance(y, npkeras.Tensor) and y.dtype == np.float32
    np.testing.assert_array_equal(np.asarray(y), blocks_2x2(x).max(axis=3))


def test_average_pooling2d_defaults_and_values():
    layer = layers.AveragePooling2D()
    assert layer.pool_size == (2, 2) and layer.strides == (2, 2)
    x = rand((2, 4, 6, 3))
    np.testing.assert_allclose(np.asarray(layer(x)), blocks_2x2(x).mean(axis=3), rtol=1e-6)


def test_pooling1d_defaults_and_values():
    x = rand((2, 7, 3))
    for cls, reduce in [(layers.MaxPooling1D, np.max), (layers.AveragePooling1D, np.mean)]:
        layer = cls()
        assert layer.pool_size == (2,) and layer.strides == (2,)
        y = np.asarray(layer(x))
        assert y.shape == (2, 3, 3)  # the 7th step is left over
        np.testing.assert_allclose(y, reduce(x[:, :6].reshape(2, 3, 2, 3), axis=2), rtol=1e-6)


def test_strides_default_to_the_pool_size_and_ints_become_tuples():
    layer = layers.MaxPooling2D(3)
    assert layer.pool_size == (3, 3) and layer.strides == (3, 3)
    layer = layers.AveragePooling2D((2, 3), strides=1)
    assert layer.pool_size == (2, 3) and layer.strides == (1, 1)
    assert layers.MaxPooling1D(4, strides=2).strides == (2,)


@pytest.mark.parametrize(
    "cls, kwargs, in_shape, out_shape",
    [
        (layers.MaxPooling2D, {}, (2, 26, 26, 32), (2, 13, 13, 32)),  # the notes' CNN
        (layers.MaxPooling2D, {}, (2, 11, 11, 64), (2, 5, 5, 64)),
        (layers.MaxPooling2D, {"padding": "same"}, (2, 11, 11, 64), (2, 6, 6, 64)),
        (layers.AveragePooling2D, {"pool_size": 3, "strides": 1}, (1, 5, 6, 2), (1, 3, 4, 2)),
        (layers.AveragePooling2D, {"pool_size": (2, 3), "padding": "same"}, (1, 5, 7, 2), (1, 3, 3, 2)),
        (layers.MaxPooling2D, {"pool_size": 2, "strides": 3}, (1, 7, 8, 1), (1, 2, 3, 1)),
        (layers.MaxPooling2D, {"data_format": "channels_first"}, (2, 3, 6, 5), (2, 3, 3, 2)),
        (layers.MaxPooling1D, {"pool_size": 3, "strides": 1}, (2, 7, 3), (2, 5, 3)),
        (layers.AveragePooling1D, {"padding": "same"}, (2, 7, 3), (2, 4, 3)),
        (layers.MaxPooling1D, {"data_format": "channels_first"}, (2, 3, 7), (2, 3, 3)),
    ],
)
def test_output_shapes(cls, kwargs, in_shape, out_shape):
    layer = cls(**kwargs)
    assert layer(rand(in_shape)).shape == out_shape
    assert layer.compute_output_shape(in_shape) == out_shape


def test_compute_output_shape_with_unknown_dimensions():
    assert layers.MaxPooling2D().compute_output_shape((None, 26, 26, 32)) == (None, 13, 13, 32)
    assert layers.MaxPooling2D().compute_output_shape((None, None, 9, 3)) == (None, None, 4, 3)
    assert layers.AveragePooling1D(3, padding="same").compute_output_shape((None, None, 2)) == (None, None, 2)
    cf = layers.MaxPooling2D(data_format="channels_first")
    assert cf.compute_output_shape((None, 3, None, 8)) == (None, 3, None, 4)


def test_same_average_pooling_layer_counts_only_real_pixels():
    x = rand((1, 5, 5, 2))
    y = np.asarray(layers.AveragePooling2D(3, strides=2, padding="same")(x))
    np.testing.assert_allclose(y[0, 0, 0], x[0, :2, :2].mean(axis=(0, 1)), rtol=1e-6)
    np.testing.assert_allclose(y[0, 1, 1], x[0, 1:4, 1:4].mean(axis=(0, 1)), rtol=1e-6)


@pytest.mark.parametrize(
    "cls, kwargs, cl_shape",
    [
        (layers.MaxPooling2D, {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 7, 6, 3)),
        (layers.AveragePooling2D, {"pool_size": (2, 3), "strides": 1}, (2, 5, 6, 3)),
        (layers.MaxPooling1D, {"pool_size": 3, "padding": "same"}, (2, 8, 3)),
        (layers.AveragePooling1D, {"pool_size": 2, "strides": 1}, (2, 8, 3)),
    ],
)
def test_channels_first_equals_channels_last_on_transposed_input(cls, kwargs, cl_shape):
    to_first = (0, len(cl_shape) - 1, *range(1, len(cl_shape) - 1))
    x = rand(cl_shape, seed=1)
    x_first = np.ascontiguousarray(x.transpose(to_first))
    xt = ops.convert_to_tensor(x_first)
    with GradientTape() as tape:
        tape.watch(xt)
        y_first = cls(data_format="channels_first", **kwargs)(xt)
        loss = ops.sum(y_first * y_first)
    y_last = np.asarray(cls(**kwargs)(x))
    np.testing.assert_allclose(np.asarray(y_first), y_last.transpose(to_first), rtol=1e-6)
    # gradient of sum(y^2) in channels_first equals the channels_last one transposed
    x_last = ops.convert_to_tensor(x)
    with GradientTape() as tape2:
        tape2.watch(x_last)
        loss_last = ops.sum(cls(**kwargs)(x_last) ** 2)
    g_first, g_last = tape.gradient(loss, xt), tape2.gradient(loss_last, x_last)
    np.testing.assert_allclose(np.asarray(g_first), np.asarray(g_last).transpose(to_first), rtol=1e-5)


def test_pooling_gradient_through_the_layer():
    x = ops.convert_to_tensor(np.array([[[[1.0], [5.0]], [[3.0], [2.0]]]], np.float32))  # (1, 2, 2, 1)
    with GradientTape() as tape:
        tape.watch(x)
        y = layers.MaxPooling2D()(x)
    np.testing.assert_array_equal(np.asarray(tape.gradient(y, x))[0, :, :, 0], [[0, 1], [0, 0]])


# ---- config -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cls, expected",
    [
        (layers.MaxPooling2D, {"name": "max_pooling2d", "pool_size": (2, 2), "strides": (2, 2)}),
        (layers.AveragePooling2D, {"name": "average_pooling2d", "pool_size": (2, 2), "strides": (2, 2)}),
        (layers.MaxPooling1D, {"name": "max_pooling1d", "pool_size": (2,), "strides": (2,)}),
        (layers.AveragePooling1D, {"name": "average_pooling1d", "pool_size": (2,), "strides": (2,)}),
    ],
)
def test_pooling_get_config_matches_keras(cls, expected):
    npkeras.clear_session()
    config = cls().get_config()
    assert list(config) == ["name", "trainable", "dtype", "pool_size", "padding", "strides", "data_format"]
    assert config == {
        **expected,
        "trainable": True,
        "dtype": FLOAT32_POLICY,
        "padding": "valid",
        "data_format": "channels_last",
    }


def test_pooling_from_config_round_trip():
    layer = layers.AveragePooling2D((2, 3), strides=(1, 2), padding="same", data_format="channels_first", name="p")
    config = layer.get_config()
    clone = layers.AveragePooling2D.from_config(config)
    assert clone.get_config() == config
    x = rand((2, 3, 5, 7))
    np.testing.assert_array_equal(np.asarray(clone(x)), np.asarray(layer(x)))


@pytest.mark.parametrize(
    "cls, name",
    [
        (layers.GlobalAveragePooling1D, "global_average_pooling1d"),
        (layers.GlobalAveragePooling2D, "global_average_pooling2d"),
        (layers.GlobalMaxPooling1D, "global_max_pooling1d"),
        (layers.GlobalMaxPooling2D, "global_max_pooling2d"),
    ],
)
def test_global_pooling_get_config_matches_keras(cls, name):
    npkeras.clear_session()
    config = cls().get_config()
    assert config == {
        "name": name,
        "trainable": True,
        "dtype": FLOAT32_POLICY,
        "data_format": "channels_last",
        "keepdims": False,
    }
    assert list(config) == ["name", "trainable", "dtype", "data_format", "keepdims"]
    clone = cls.from_config({**config, "keepdims": True})
    assert clone.keepdims is True


def test_pooling_layers_have_no_weights_and_are_built():
    for cls in (layers.MaxPooling2D, layers.AveragePooling1D, layers.GlobalMaxPooling2D):
        layer = cls()
        assert layer.built and layer.weights == [] and layer.count_params() == 0


# ---- global pooling ---------------------------------------------------------------------


@pytest.mark.parametrize("keepdims", [False, True])
def test_global_pooling_2d_values_and_keepdims(keepdims):
    x = rand((2, 4, 5, 3))
    for cls, reduce in [(layers.GlobalAveragePooling2D, np.mean), (layers.GlobalMaxPooling2D, np.max)]:
        layer = cls(keepdims=keepdims)
        y = np.asarray(layer(x))
        expected = reduce(x, axis=(1, 2), keepdims=keepdims)
        assert y.shape == ((2, 1, 1, 3) if keepdims else (2, 3))
        assert layer.compute_output_shape((None, 4, 5, 3)) == ((None, 1, 1, 3) if keepdims else (None, 3))
        np.testing.assert_allclose(y, expected, rtol=1e-6)


@pytest.mark.parametrize("keepdims", [False, True])
def test_global_pooling_channels_first(keepdims):
    x = rand((2, 3, 4, 5))
    layer = layers.GlobalAveragePooling2D(data_format="channels_first", keepdims=keepdims)
    y = np.asarray(layer(x))
    assert y.shape == ((2, 3, 1, 1) if keepdims else (2, 3))
    np.testing.assert_allclose(y, x.mean(axis=(2, 3), keepdims=keepdims), rtol=1e-6)
    y1 = np.asarray(layers.GlobalMaxPooling1D(data_format="channels_first", keepdims=keepdims)(x[:, :, 0]))
    np.testing.assert_array_equal(y1, x[:, :, 0].max(axis=2, keepdims=keepdims))


def test_global_pooling_1d_values():
    x = rand((2, 6, 3))
    np.testing.assert_allclose(np.asarray(layers.GlobalAveragePooling1D()(x)), x.mean(axis=1), rtol=1e-6)
    np.testing.assert_array_equal(np.asarray(layers.GlobalMaxPooling1D()(x)), x.max(axis=1))
    assert layers.GlobalAveragePooling1D(keepdims=True)(x).shape == (2, 1, 3)


def test_global_average_pooling_1d_mask_averages_unmasked_steps_only():
    x = rand((3, 5, 2))
    mask = np.array([[1, 1, 1, 0, 0], [1, 0, 1, 0, 1], [1, 1, 1, 1, 1]], dtype=bool)
    layer = layers.GlobalAveragePooling1D()
    y = np.asarray(layer(x, mask=mask))
    expected = np.stack([x[i, mask[i]].mean(axis=0) for i in range(3)])
    np.testing.assert_allclose(y, expected, rtol=1e-6)
    # masked steps do not matter at all
    x2 = x.copy()
    x2[~mask] = 1000.0
    np.testing.assert_allclose(np.asarray(layer(x2, mask=mask)), expected, rtol=1e-6)
    keep = np.asarray(layers.GlobalAveragePooling1D(keepdims=True)(x, mask=mask))
    np.testing.assert_allclose(keep, expected[:, None], rtol=1e-6)


def test_global_average_pooling_1d_mask_channels_first():
    x = rand((2, 3, 4))  # (batch, channels, steps)
    mask = np.array([[1, 0, 0, 1], [0, 1, 1, 1]], dtype=bool)
    y = np.asarray(layers.GlobalAveragePooling1D(data_format="channels_first")(x, mask=mask))
    expected = np.stack([x[i][:, mask[i]].mean(axis=1) for i in range(2)])
    np.testing.assert_allclose(y, expected, rtol=1e-6)


def test_global_average_pooling_1d_mask_gradient():
    x = ops.convert_to_tensor(rand((1, 4, 2)))
    mask = np.array([[1, 1, 0, 1]], dtype=bool)
    with GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(layers.GlobalAveragePooling1D()(x, mask=mask))
    g = np.asarray(tape.gradient(y, x))
    np.testing.assert_allclose(g[0], np.array([[1, 1], [1, 1], [0, 0], [1, 1]]) / 3, rtol=1e-6)


# ---- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cls, shape",
    [
        (layers.MaxPooling2D, (2, 6, 6)),
        (layers.AveragePooling2D, (2, 6, 6, 3, 1)),
        (layers.MaxPooling1D, (2, 6, 6, 3)),
        (layers.AveragePooling1D, (6, 3)),
        (layers.GlobalAveragePooling2D, (2, 6, 3)),
        (layers.GlobalMaxPooling2D, (2, 6, 6, 3, 1)),
        (layers.GlobalAveragePooling1D, (2, 6, 6, 3)),
        (layers.GlobalMaxPooling1D, (2, 6)),
    ],
)
def test_bad_input_rank_names_the_layer(cls, shape):
    layer = cls(name="the_pool")
    with pytest.raises(ValueError, match="the_pool") as err:
        layer(rand(shape))
    assert str(shape) in str(err.value)


@pytest.mark.parametrize(
    "cls, kwargs, shape",
    [
        (layers.MaxPooling2D, {"pool_size": 3}, (1, 2, 5, 1)),
        (layers.AveragePooling2D, {"pool_size": (2, 6)}, (1, 4, 5, 1)),
        (layers.MaxPooling1D, {"pool_size": 4}, (2, 3, 2)),
        (layers.MaxPooling2D, {"pool_size": 3, "data_format": "channels_first"}, (1, 5, 2, 5)),
    ],
)
def test_pool_larger_than_the_input_names_the_layer(cls, kwargs, shape):
    with pytest.raises(ValueError, match="big_pool"):
        cls(name="big_pool", **kwargs)(rand(shape))


def test_pool_larger_than_the_input_is_fine_with_same_padding():
    y = layers.MaxPooling2D(3, padding="same")(rand((1, 2, 2, 1)))
    assert y.shape == (1, 1, 1, 1)


@pytest.mark.parametrize(
    "cls, kwargs",
    [
        (layers.MaxPooling2D, {"pool_size": 0}),
        (layers.MaxPooling2D, {"pool_size": (2, 2, 2)}),
        (layers.AveragePooling2D, {"strides": 0}),
        (layers.AveragePooling1D, {"strides": -1}),
        (layers.MaxPooling2D, {"padding": "causal"}),
        (layers.MaxPooling1D, {"padding": "full"}),
        (layers.MaxPooling2D, {"data_format": "nhwc"}),
        (layers.GlobalMaxPooling2D, {"data_format": "nhwc"}),
    ],
)
def test_bad_arguments_name_the_layer(cls, kwargs):
    with pytest.raises(ValueError, match="odd_pool"):
        cls(name="odd_pool", **kwargs)


def test_integer_inputs_pool_in_the_layers_float_dtype():
    x = np.arange(2 * 5 * 5 * 1, dtype=np.int32).reshape(2, 5, 5, 1)
    avg = np.asarray(layers.AveragePooling2D(2)(x))
    assert avg.dtype == np.float32 and avg[0, 0, 0, 0] == (0 + 1 + 5 + 6) / 4
    peak = np.asarray(layers.MaxPooling2D(2, padding="same")(x))
    assert peak.dtype == np.float32 and peak[0, -1, -1, 0] == 24


# ---- 3-D pooling ----------------------------------------------------------------------------


def test_3d_pooling_shapes_defaults_and_aliases_as_keras():
    assert layers.MaxPool3D is layers.MaxPooling3D and layers.AvgPool3D is layers.AveragePooling3D
    assert layers.GlobalAvgPool3D is layers.GlobalAveragePooling3D
    assert layers.GlobalMaxPool3D is layers.GlobalMaxPooling3D
    assert layers.MaxPooling3D().get_config()["pool_size"] == (2, 2, 2)
    # Keras 3.15.1 gives these shapes
    assert layers.MaxPooling3D().compute_output_shape((None, 6, 6, 6, 4)) == (None, 3, 3, 3, 4)
    same = layers.AveragePooling3D(pool_size=3, strides=2, padding="same")
    assert same.compute_output_shape((None, 6, 6, 6, 3)) == (None, 3, 3, 3, 3)
    assert layers.GlobalMaxPooling3D().compute_output_shape((None, 3, 3, 3, 3)) == (None, 3)
    assert layers.GlobalAveragePooling3D(keepdims=True).compute_output_shape((None, 3, 3, 3, 3)) == (None, 1, 1, 1, 3)


def test_3d_pooling_values():
    x = np.arange(2 * 4 * 4 * 4 * 1, dtype=np.float32).reshape(2, 4, 4, 4, 1)
    peak = np.asarray(layers.MaxPooling3D()(x))
    avg = np.asarray(layers.AveragePooling3D()(x))
    assert peak.shape == avg.shape == (2, 2, 2, 2, 1)
    # the first 2x2x2 block holds 0, 1, 4, 5, 16, 17, 20, 21
    assert peak[0, 0, 0, 0, 0] == 21 and avg[0, 0, 0, 0, 0] == np.mean([0, 1, 4, 5, 16, 17, 20, 21])
    np.testing.assert_allclose(np.asarray(layers.GlobalAveragePooling3D()(x)), x.mean(axis=(1, 2, 3)))
    np.testing.assert_array_equal(np.asarray(layers.GlobalMaxPooling3D()(x)), x.max(axis=(1, 2, 3)))
    first = layers.MaxPooling3D(data_format="channels_first")(np.transpose(x, (0, 4, 1, 2, 3)))
    np.testing.assert_array_equal(np.asarray(first), np.transpose(peak, (0, 4, 1, 2, 3)))
