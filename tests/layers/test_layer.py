"""The Layer base: naming, add_weight, weight tracking, trainable, sublayers, input checks."""

import math
import threading
import warnings

import numpy as np
import pytest

import npkeras
from npkeras import layers, ops
from npkeras.autograd import GradientTape


class Linear(layers.Layer):
    """The Keras guide's custom layer: weights created in build, math in call with ops."""

    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal", name="w")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", name="b")
        self.scale = self.add_weight(shape=(), initializer="ones", trainable=False, name="scale")

    def call(self, inputs):
        return ops.matmul(inputs, self.w) * self.scale + self.b


class Block(layers.Layer):
    """Sublayers assigned as attributes (and in a list) are tracked in assignment order."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.first = layers.Dense(4, activation="relu", name="first")
        self.second = layers.Dense(2, name="second")
        self.extras = [layers.Dense(2, name="extra")]

    def call(self, inputs):
        return self.second(self.first(inputs))


def _same_objects(got, want):
    return len(got) == len(want) and all(a is b for a, b in zip(got, want))


# ---- naming -----------------------------------------------------------------------------


def test_auto_names_follow_keras_counters_after_clear_session():
    npkeras.clear_session()
    names = [layers.Dense(1).name, layers.Dense(1).name, layers.Flatten().name, layers.Dense(1).name]
    assert names == ["dense", "dense_1", "flatten", "dense_2"]
    npkeras.clear_session()
    assert layers.Dense(1).name == "dense"
    assert layers.Flatten().name == "flatten"


def test_custom_layer_auto_name_is_snake_case():
    npkeras.clear_session()
    assert Linear().name == "linear"
    assert Linear().name == "linear_1"
    assert Block(name="custom").name == "custom"


def test_explicit_name_does_not_consume_a_counter():
    npkeras.clear_session()
    assert layers.Dense(1, name="head").name == "head"
    assert layers.Dense(1).name == "dense"


def test_variable_paths_include_layer_name():
    layer = layers.Dense(2, name="proj")
    layer.build((None, 3))
    assert [w.name for w in layer.weights] == ["kernel", "bias"]
    assert [w.path for w in layer.weights] == ["proj/kernel", "proj/bias"]


# ---- add_weight -------------------------------------------------------------------------


def test_add_weight_default_initializer_is_glorot_uniform_for_floats():
    layer = layers.Layer()
    w = layer.add_weight(shape=(200, 300))
    values = np.asarray(w)
    assert w.dtype == np.float32
    limit = math.sqrt(6 / (200 + 300))
    assert np.abs(values).max() <= limit
    assert np.abs(values).max() > 0.95 * limit
    np.testing.assert_allclose(values.var(), limit**2 / 3, rtol=0.05)
    assert w.trainable
    assert _same_objects(layer.weights, [w])


def test_add_weight_default_initializer_is_zeros_for_integers():
    layer = layers.Layer()
    w = layer.add_weight(shape=(3, 2), dtype="int32", trainable=False)
    assert w.dtype == np.int32
    np.testing.assert_array_equal(np.asarray(w), np.zeros((3, 2)))


def test_add_weight_with_named_and_instance_initializers():
    layer = layers.Layer()
    ones = layer.add_weight(shape=(2,), initializer="ones")
    const = layer.add_weight(shape=(2, 2), initializer=npkeras.initializers.Constant(2.5))
    np.testing.assert_array_equal(np.asarray(ones), [1, 1])
    np.testing.assert_array_equal(np.asarray(const), np.full((2, 2), 2.5))


# ---- trainable --------------------------------------------------------------------------


def test_trainable_false_moves_weights_to_non_trainable():
    layer = layers.Dense(3)
    layer.build((None, 4))
    assert _same_objects(layer.trainable_weights, [layer.kernel, layer.bias])
    assert layer.non_trainable_weights == []
    layer.trainable = False
    assert layer.trainable_weights == []
    assert _same_objects(layer.non_trainable_weights, [layer.kernel, layer.bias])
    assert _same_objects(layer.weights, [layer.kernel, layer.bias])
    layer.trainable = True
    assert _same_objects(layer.trainable_weights, [layer.kernel, layer.bias])


def test_trainable_false_in_constructor():
    layer = layers.Dense(3, trainable=False)
    layer.build((None, 2))
    assert layer.trainable_weights == []
    assert len(layer.non_trainable_weights) == 2
    assert layer.get_config()["trainable"] is False


# ---- custom layers ----------------------------------------------------------------------


def test_custom_layer_builds_on_first_call_and_computes_with_ops():
    layer = Linear(3)
    assert not layer.built
    x = np.random.default_rng(0).standard_normal((4, 5)).astype(np.float32)
    out = layer(x)
    assert layer.built
    assert out.shape == (4, 3)
    np.testing.assert_allclose(np.asarray(out), x @ np.asarray(layer.w) + np.asarray(layer.b), rtol=1e-5, atol=1e-6)
    assert np.std(np.asarray(layer.w)) == pytest.approx(0.05, rel=0.5)  # random_normal default stddev


def test_custom_layer_weights_tracked_in_creation_order():
    layer = Linear(3)
    layer(np.zeros((1, 5), dtype=np.float32))
    assert _same_objects(layer.weights, [layer.w, layer.b, layer.scale])
    assert [w.name for w in layer.weights] == ["w", "b", "scale"]
    assert _same_objects(layer.trainable_weights, [layer.w, layer.b])
    assert _same_objects(layer.non_trainable_weights, [layer.scale])
    assert layer.count_params() == 5 * 3 + 3 + 1
    assert [w.shape for w in layer.get_weights()] == [(5, 3), (3,), ()]


def test_custom_layer_gradients_reach_its_weights():
    layer = Linear(2)
    x = np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32)
    layer(x)
    layer.scale.assign(2.0)
    with GradientTape() as tape:
        loss = ops.sum(layer(x))
    grad_w, grad_b = tape.gradient(loss, [layer.w, layer.b])
    np.testing.assert_allclose(np.asarray(grad_w), 2.0 * np.tile(x.sum(axis=0)[:, None], (1, 2)))
    np.testing.assert_allclose(np.asarray(grad_b), [2.0, 2.0])


def test_attribute_sublayers_are_tracked():
    block = Block()
    assert _same_objects(block.layers, [block.first, block.second, block.extras[0]])
    x = np.ones((3, 5), dtype=np.float32)
    out = block(x)
    assert out.shape == (3, 2)
    expected = [block.first.kernel, block.first.bias, block.second.kernel, block.second.bias]
    assert _same_objects(block.weights, expected)  # the unused extra layer is unbuilt: no weights
    assert _same_objects(block.trainable_weights, expected)
    assert block.count_params() == (5 * 4 + 4) + (4 * 2 + 2)
    block.trainable = False
    assert block.trainable_weights == []
    assert _same_objects(block.non_trainable_weights, expected)


def test_weights_follow_sublayers_added_or_frozen_after_they_were_asked_for():
    block = Block()
    block(np.ones((3, 5), dtype=np.float32))
    before = block.weights
    block.third = npkeras.layers.Dense(1)
    block.third.build((None, 2))
    assert _same_objects(block.weights, before + [block.third.kernel, block.third.bias])
    block.second.trainable = False
    assert _same_objects(block.trainable_weights, [block.first.kernel, block.first.bias, block.third.kernel,
                                                   block.third.bias])  # fmt: skip
    model = npkeras.Sequential([npkeras.Input((5,)), npkeras.layers.Dense(4)])
    assert len(model.weights) == 2
    model.add(npkeras.layers.Dense(1))
    assert len(model.weights) == 4
    model.pop()
    assert len(model.weights) == 2


def test_nested_layer_set_weights_in_tracking_order():
    block = Block()
    block(np.ones((1, 3), dtype=np.float32))
    new = [np.full(w.shape, i, dtype=np.float32) for i, w in enumerate(block.weights)]
    block.set_weights(new)
    np.testing.assert_array_equal(np.asarray(block.first.bias), np.full(4, 1))
    np.testing.assert_array_equal(np.asarray(block.second.kernel), np.full((4, 2), 2))


def test_count_params_dense():
    layer = layers.Dense(3)
    layer(np.zeros((2, 4), dtype=np.float32))
    assert layer.count_params() == 15
    assert layers.Dense(3, use_bias=False).count_params() == 0  # unbuilt: nothing yet


# ---- inputs -----------------------------------------------------------------------------


def test_string_input_raises_type_error_naming_layer():
    layer = layers.Dense(2, name="text_dense")
    with pytest.raises(TypeError, match="text_dense"):
        layer(np.array([["a", "b"]]))
    with pytest.raises(TypeError, match="text_dense"):
        layer(np.array([[object(), object()]]))


def test_layer_accepts_float64_and_int_arrays():
    layer = layers.Dense(2, kernel_initializer="ones")
    out = layer(np.array([[1.0, 2.0, 3.0]]))
    np.testing.assert_allclose(np.asarray(out), [[6.0, 6.0]])
    assert out.dtype == np.float32  # float64 data becomes floatx
    np.testing.assert_allclose(np.asarray(layer(np.array([[1, 1, 1]]))), [[3.0, 3.0]])


def test_layer_output_behaves_like_numpy():
    out = layers.Dense(2)(np.ones((3, 4), dtype=np.float32))
    arr = np.asarray(out)
    assert isinstance(arr, np.ndarray)
    assert arr.shape == (3, 2)


def test_unknown_constructor_keyword_raises_type_error():
    with pytest.raises(TypeError, match="unit"):
        layers.Dense(3, unit=4)


def test_nested_layers_inherit_training_from_the_outer_call():
    class Net(npkeras.Model):
        def __init__(self):
            super().__init__()
            self.dense = npkeras.layers.Dense(8)
            self.drop = npkeras.layers.Dropout(0.5)

        def call(self, x, training=False):
            return self.drop(self.dense(x))

    net = Net()
    x = np.ones((4, 3), "float32")
    assert np.array_equal(np.asarray(net(x)), np.asarray(net(x)))  # inference: no dropout
    trained = np.asarray(net(x, training=True))
    assert (trained == 0).any() and not np.array_equal(trained, np.asarray(net(x)))


def test_add_loss_losses_reset_at_each_outermost_call():
    class Penalised(npkeras.layers.Layer):
        def call(self, x):
            self.add_loss(npkeras.ops.sum(x))
            return x

    model = npkeras.Sequential([npkeras.Input((2,)), Penalised()])
    for _ in range(3):
        model(np.ones((1, 2), "float32"))
    assert len(model.losses) == 1


def test_freezing_a_layer_freezes_its_weights():
    layer = npkeras.layers.Dense(2)
    layer.build((None, 3))
    layer.trainable = False
    assert layer.trainable_weights == [] and all(not w.trainable for w in layer.weights)
    with npkeras.GradientTape() as tape:
        out = npkeras.ops.sum(layer(np.ones((1, 3), "float32")))
    assert tape.gradient(out, layer.kernel) is None
    layer.trainable = True
    assert len(layer.trainable_weights) == 2


def test_integer_inputs_compute_in_float32():
    layer = npkeras.layers.Dense(2)
    out = layer(np.array([[0, 1], [1, 0]]))
    assert out.dtype == np.float32


class ShapeRecorder(layers.Layer):
    """Records what build and call receive."""

    def build(self, input_shape):
        self.built_with = input_shape

    def call(self, inputs):
        self.called_with = inputs
        return inputs["a"] + inputs["b"] if isinstance(inputs, dict) else inputs[0] * inputs[1]


def test_a_dict_of_arrays_is_converted_and_builds_with_a_dict_of_shapes():
    layer = ShapeRecorder()
    out = layer({"a": np.ones((2, 3)), "b": np.full((2, 3), 2.0)})
    assert layer.built_with == {"a": (2, 3), "b": (2, 3)}
    assert all(isinstance(v, npkeras.Tensor) and v.dtype == np.float32 for v in layer.called_with.values())
    np.testing.assert_array_equal(out.numpy(), np.full((2, 3), 3.0, "float32"))


def test_arrays_inside_lists_and_tuples_become_tensors_and_build_with_a_list_of_shapes():
    layer = ShapeRecorder()
    layer((np.ones((2, 3)), ops.convert_to_tensor(np.full((2, 3), 4.0))))
    assert layer.built_with == [(2, 3), (2, 3)]
    assert isinstance(layer.called_with, tuple) and all(isinstance(v, npkeras.Tensor) for v in layer.called_with)


def test_a_list_of_plain_numbers_is_one_array():
    out = layers.Dense(2, kernel_initializer="ones")([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(out.numpy(), [[3.0, 3.0], [7.0, 7.0]])


def test_extra_positional_arrays_are_converted():
    class Pair(layers.Layer):
        def call(self, first, second):
            return first - second

    out = Pair()(np.ones((2, 2)), np.full((2, 2), 3.0))
    assert isinstance(out, npkeras.Tensor) and out.dtype == np.float32
    np.testing.assert_array_equal(out.numpy(), np.full((2, 2), -2.0))


class Difference(layers.Layer):
    def call(self, logits, targets=None):
        return logits if targets is None else logits - targets


def test_the_inputs_may_be_given_by_the_name_call_gives_them():
    """As in Keras, the first argument of call() may come as a keyword: `layer(logits=x, targets=y)`."""
    out = Difference()(logits=np.full((2, 2), 5.0), targets=np.ones((2, 2)))
    np.testing.assert_array_equal(np.asarray(out), np.full((2, 2), 4.0))
    x = npkeras.Input((3,))
    y = npkeras.Input((3,))
    model = npkeras.Model([x, y], Difference()(targets=y, logits=x))
    np.testing.assert_array_equal(model.predict([np.full((1, 3), 2.0), np.ones((1, 3))], verbose=0), [[1.0] * 3])


def test_a_call_without_inputs_names_the_argument_call_expects():
    with pytest.raises(TypeError, match=r'Layer "diff" \(Difference\) was called without inputs.*`logits=`'):
        Difference(name="diff")(targets=np.ones((2, 2)))


def test_add_loss_values_of_one_thread_survive_calls_in_another():
    class Penalty(layers.Layer):
        def call(self, inputs):
            self.add_loss(ops.sum(inputs))
            return inputs

    layer = Penalty()
    layer(np.ones((1, 2)))
    worker = threading.Thread(target=lambda: layer(np.full((1, 2), 5.0)))
    worker.start()
    worker.join()
    assert [float(loss) for loss in layer.losses] == [2.0]


@pytest.mark.parametrize(
    "layer, expected",
    [
        (layers.Lambda(lambda t: t * 2), [[400.0, 2.0, 4.0]]),  # uint8 arithmetic would wrap 400 to 144
        (layers.Activation("sigmoid"), [[1.0, 0.7310586, 0.8807971]]),  # not uint8 zeros
    ],
)
def test_integer_arrays_are_computed_in_the_layers_float_dtype(layer, expected):
    out = layer(np.array([[200, 1, 2]], dtype=np.uint8))
    assert out.dtype == np.float32
    np.testing.assert_allclose(np.asarray(out), expected, rtol=1e-6)


def test_a_float64_layer_computes_float32_and_int_arrays_in_float64():
    layer = layers.Dense(1, kernel_initializer="ones", dtype="float64")
    assert layer(np.ones((1, 2), dtype=np.float32)).dtype == np.float64
    assert layer(np.ones((1, 2), dtype=np.int8)).dtype == np.float64


def test_running_out_of_memory_names_the_layer_and_the_batch():
    model = npkeras.Sequential([npkeras.Input((4,)), layers.Dense(3)])
    huge = layers.Lambda(lambda t: t + npkeras.ops.ones((t.shape[0], 10**6, 10**7)), output_shape=(3,), name="huge")
    model.add(huge)
    with pytest.raises(MemoryError, match=r'Layer "huge" \(Lambda\) ran out of memory on a batch of size 64 .*'
                                          r"Try a smaller batch_size"):  # fmt: skip
        model.predict(np.ones((64, 4)), batch_size=64, verbose=0)


def test_input_and_output_are_those_of_the_first_symbolic_call():
    dense = npkeras.layers.Dense(2)
    with pytest.raises(AttributeError, match="The layer dense has never been called and thus has no defined output"):
        _ = dense.output
    a, b = npkeras.Input((3,), name="a"), npkeras.Input((3,), name="b")
    first = dense(a)
    dense(b)
    assert dense.input is a and dense.output is first  # the first call, as Keras's layer.input/output
    joined = npkeras.layers.Concatenate()([a, b])
    assert joined._keras_history[0].input == [a, b]


class Doubling(layers.Layer):
    def call(self, inputs):
        return inputs * 2.0


def test_any_layer_takes_an_activity_regularizer_whose_penalty_is_divided_by_the_batch_size():
    x = np.random.default_rng(0).normal(size=(16, 4)).astype("float32")
    layer = Doubling(activity_regularizer="l2")
    layer(x)
    assert [float(loss) for loss in layer.losses] == pytest.approx([0.01 * np.sum((2 * x) ** 2) / 16])
    config = layer.get_config()
    assert config["activity_regularizer"]["class_name"] == "L2"
    assert Doubling.from_config(config).activity_regularizer.l2 == pytest.approx(0.01)


def test_the_activity_regularizer_covers_every_output_of_a_layer_as_in_keras():
    """A GRU with return_state gets one penalty for its output and one for its state (Keras 3.15: 0.8848453 each)."""
    gru = layers.GRU(
        3,
        return_state=True,
        activity_regularizer=npkeras.regularizers.L2(1.0),
        kernel_initializer="ones",
        recurrent_initializer="ones",
    )
    output, state = gru(np.full((2, 5, 4), 0.1, "float32"))
    expected = float(np.sum(np.asarray(output) ** 2)) / 2
    assert [float(loss) for loss in gru.losses] == pytest.approx([expected, expected])
    assert expected == pytest.approx(0.8848453, rel=1e-5)


@pytest.mark.parametrize("kwargs", [{"input_shape": (4,)}, {"input_dim": 4}])
def test_an_input_shape_argument_warns_as_in_keras_and_still_shapes_the_sequential(kwargs):
    with pytest.warns(UserWarning, match=r"Do not pass an `input_shape`/`input_dim` argument to a layer"):
        dense = layers.Dense(2, **kwargs)
    model = npkeras.Sequential([dense])
    assert model.output_shape == (None, 2)
    assert model.count_params() == 10


def test_a_layer_without_an_input_shape_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        layers.Dense(2)


class _MaskedSoftmaxOverTime(layers.Layer):
    """Reads the mask in `call` but does not declare it passes the mask on (no supports_masking, no compute_mask)."""

    def call(self, inputs, mask=None):
        weights = ops.expand_dims(ops.cast(mask, "float32"), -1)
        return ops.exp(inputs) * weights


def test_a_layer_that_does_not_support_masking_warns_that_it_destroys_the_mask_as_keras_does():
    x = layers.Embedding(5, 2, mask_zero=True)(np.array([[1, 2, 0]]))
    layer = _MaskedSoftmaxOverTime(name="softmax_over_time")
    with pytest.warns(UserWarning) as record:
        y = layer(x)
    assert str(record[0].message) == (
        "Layer 'softmax_over_time' (of type _MaskedSoftmaxOverTime) was passed an input with a mask attached to it. "
        "However, this layer does not support masking and will therefore destroy the mask information. "
        "Downstream layers will not see the mask."
    )
    assert y._keras_mask is None
    np.testing.assert_array_equal(np.asarray(y)[0, 2], [0.0, 0.0])  # the mask reached `call`
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        layer(np.ones((1, 3, 2), "float32"))  # no mask, no warning
        kept = layers.Activation("relu")(x)  # a layer that supports masking passes it on silently
    np.testing.assert_array_equal(kept._keras_mask, [[True, True, False]])


def test_build_records_the_shape_it_was_given_and_a_call_records_it_batch_free():
    explicit = Linear(2)
    explicit.build((8,))  # as Keras records it: (8,), where the batch axis used to be dropped to (None,)
    assert explicit.get_build_config() == {"input_shape": [8]}
    called = Linear(2)
    called(np.zeros((16, 8), "float32"))
    assert called.get_build_config() == {"input_shape": [None, 8]}


def test_build_from_config_builds_from_json_shapes():
    layer = Linear(2)
    layer.build_from_config({"input_shape": [None, 5]})  # JSON lists, as a .keras file holds them
    assert layer.built and layer.w.shape == (5, 2)

    class Pair(layers.Layer):
        def build(self, left_shape, right_shape):
            self.shapes = (left_shape, right_shape)

    pair = Pair()
    pair.build_from_config({"shapes_dict": {"left_shape": [None, 2], "right_shape": [[None, 3], [None, 4]]}})
    assert pair.shapes == ((None, 2), [(None, 3), (None, 4)])


def test_own_variables_are_saved_by_index_trainable_first_and_loaded_back():
    layer = Linear(2)
    layer.build((None, 3))
    store = {}
    layer.save_own_variables(store)
    assert list(store) == ["0", "1", "2"] and store["2"].shape == ()  # w, b, then the non-trainable scale
    fresh = Linear(2)
    fresh.build((None, 3))
    fresh.load_own_variables({"0": np.full((3, 2), 0.5), "1": np.ones(2), "2": np.array(3.0)})
    np.testing.assert_array_equal(fresh.w.numpy(), np.full((3, 2), 0.5))
    assert float(fresh.scale.numpy()) == 3.0


def test_load_own_variables_refuses_a_wrong_count_as_keras_does():
    layer = Linear(2, name="lin")
    layer.build((None, 3))
    with pytest.raises(ValueError, match=r"Layer 'lin' expected 3 variables, but received 1 variables during loading"):
        layer.load_own_variables({"0": np.zeros((3, 2))})
    with pytest.raises(ValueError, match=r"Layer 'never' was never built and thus it doesn't have any variables"):
        Linear(2, name="never").load_own_variables({"0": np.zeros(1)})
