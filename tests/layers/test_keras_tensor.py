"""KerasTensor: Keras's repr, its automatic names and its sparse / ragged attributes."""

import npkeras
from npkeras import layers


def test_repr_names_and_flags_as_keras_prints_them():
    npkeras.utils.clear_session()
    named = npkeras.Input((3,), name="features")
    assert repr(named) == "<KerasTensor shape=(None, 3), dtype=float32, sparse=False, ragged=False, name=features>"
    x = layers.Embedding(4, 2, mask_zero=True)(npkeras.Input((None,), dtype="int32"))
    assert (x.name, x._keras_mask.name) == ("keras_tensor", "keras_tensor_1")  # unnamed ones numbered in turn
    assert repr(x._keras_mask) == (
        "<KerasTensor shape=(None, None), dtype=bool, sparse=False, ragged=False, name=keras_tensor_1>"
    )
    assert (x.sparse, x.ragged) == (False, False)
