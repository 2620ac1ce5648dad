"""TensorAnnotation: values attached to tensors from outside, dropped with their tensor."""

import gc

import numpy as np

import npkeras
from npkeras.autograd.annotations import TensorAnnotation
from npkeras.autograd.tensor import Tensor


def test_a_value_lives_as_long_as_its_tensor():
    notes = TensorAnnotation("note")
    t, other = Tensor(np.zeros(2)), Tensor(np.zeros(2))
    notes.set(t, "hello")
    assert notes.get(t) == "hello" and notes.get(other) is None
    del t
    gc.collect()
    assert len(notes) == 0


def test_setting_none_removes_and_setting_again_replaces():
    notes = TensorAnnotation("note")
    t = Tensor(np.zeros(2))
    notes.set(t, 1)
    notes.set(t, 2)
    assert notes.get(t) == 2 and len(notes) == 1
    notes.set(t, None)
    assert notes.get(t) is None and len(notes) == 0


def test_masks_read_as_keras_mask_and_softmax_outputs_know_their_logits():
    out = npkeras.layers.Embedding(5, 2, mask_zero=True)(np.array([[0, 3]]))
    np.testing.assert_array_equal(out._keras_mask, [[False, True]])
    logits = Tensor(np.array([[1.0, 2.0]], "float32"))
    assert npkeras.ops.activation.logits_of(npkeras.ops.softmax(logits)) is logits
    assert npkeras.ops.activation.logits_of(npkeras.ops.tanh(logits)) is None
