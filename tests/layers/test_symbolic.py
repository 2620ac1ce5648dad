"""Symbolic calls: output shapes inferred from probes, unknown lengths staying unknown."""

import numpy as np

import npkeras
from npkeras import layers


def test_an_unknown_length_is_probed_long_enough_for_kernels_and_stays_unknown():
    inputs = npkeras.Input((None, 10))
    conv = layers.Conv1D(3, 5)(inputs)
    pooled = layers.MaxPooling1D(2)(conv)
    strided = layers.Conv1D(4, 3, strides=2)(pooled)
    assert conv.shape == (None, None, 3) and pooled.shape == (None, None, 3) and strided.shape == (None, None, 4)
    model = npkeras.Model(inputs, layers.GlobalMaxPooling1D()(strided))
    assert model.predict(np.ones((2, 40, 10)), verbose=0).shape == (2, 4)


def test_unknown_steps_through_embedding_and_lstm():
    ids = npkeras.Input((None,), dtype="int32")
    sequences = layers.LSTM(6, return_sequences=True)(layers.Embedding(20, 4)(ids))
    assert sequences.shape == (None, None, 6)
    assert layers.Dense(2)(sequences).shape == (None, None, 2)


class BatchSizedState(layers.Layer):
    """Reads the static batch size of its input, as a custom RNN making its zero state does."""

    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(1)

    def call(self, inputs):
        state = npkeras.ops.zeros((inputs.shape[0], inputs.shape[2]))
        return self.dense(inputs + state[:, None, :])


def test_a_static_batch_size_from_batch_shape_is_kept_through_the_layers():
    inputs = npkeras.Input(batch_shape=(16, 10, 5))
    conv = layers.Conv1D(32, 3)(inputs)
    outputs = BatchSizedState()(conv)
    assert conv.shape == (16, 8, 32) and outputs.shape == (16, 8, 1)  # Keras 3's shapes (None before)
    assert npkeras.Model(inputs, outputs).output.shape == (16, 8, 1)


class MaskReader(layers.Layer):
    """Records the mask its call receives, as masking-aware custom layers in Keras's guides read it."""

    def call(self, inputs, mask=None):
        self.masks_seen = [*getattr(self, "masks_seen", []), None if mask is None else np.asarray(mask).shape]
        return inputs


def test_masks_travel_on_symbolic_tensors_and_reach_a_custom_layer_while_the_model_is_built():
    ids = npkeras.Input((7,))
    embedded = layers.Embedding(10, 3, mask_zero=True)(ids)
    assert embedded._keras_mask.shape == (None, 7) and embedded._keras_mask.dtype == "bool"
    reader = MaskReader()
    reader.supports_masking = True
    read = reader(embedded)
    assert reader.masks_seen == [(1, 7)]  # the probe's batch of 1
    assert read._keras_mask.shape == (None, 7)
    assert layers.LSTM(4)(read)._keras_mask is None  # consumed
    assert npkeras.Input((5, 2))._keras_mask is None


def test_an_unknown_length_mask_stays_unknown():
    masked = layers.Masking()(npkeras.Input((None, 4)))
    assert masked._keras_mask.shape == (None, None)


class TimeHalves(layers.Layer):
    """Splits the steps in two and its mask with them: a layer with its own compute_mask, as Keras's guide writes."""

    def call(self, inputs):
        half = inputs.shape[1] // 2
        return [inputs[:, :half], inputs[:, half:]]

    def compute_mask(self, inputs, mask=None):
        half = inputs.shape[1] // 2
        return None if mask is None else [mask[:, :half], mask[:, half:]]


def test_a_layer_with_its_own_compute_mask_sets_its_outputs_masks_without_supports_masking():
    steps = np.array([[[1.0], [1.0], [0.0], [0.0]], [[1.0], [0.0], [1.0], [1.0]]])
    first, second = TimeHalves()(layers.Masking()(steps))
    np.testing.assert_array_equal(first._keras_mask, [[True, True], [True, False]])
    np.testing.assert_array_equal(second._keras_mask, [[False, False], [True, True]])


class MaskedShare(layers.Layer):
    """Each step's share of the masked sum: 0 / 0 on the all-zero probe."""

    def call(self, inputs, mask=None):
        weights = npkeras.ops.expand_dims(npkeras.ops.cast(mask, "float32"), -1)
        return inputs * weights / npkeras.ops.sum(inputs * weights, axis=1, keepdims=True)


def test_probing_zeros_while_building_raises_no_numeric_warning(recwarn):
    ids = npkeras.Input((None,), dtype="int32")
    npkeras.Model(ids, MaskedShare()(layers.Embedding(5, 2, mask_zero=True)(ids)))
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
