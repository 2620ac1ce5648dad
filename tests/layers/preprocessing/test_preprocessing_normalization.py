"""Normalization (npkeras/layers/preprocessing/normalization.py): adapt as Keras computes it, given statistics,
invert, its weights, errors and config."""

import json

import numpy as np
import pytest

import npkeras as keras
from npkeras.layers import Normalization
from tests.layers.keras_reference import FIXTURES

with np.load(FIXTURES / "image_preprocessing_adapt.npz", allow_pickle=False) as _file:
    _ARRAYS = dict(_file)
ADAPT = {str(n): {k[len(n) + 1 :]: v for k, v in _ARRAYS.items() if k.startswith(f"{n}_")} for n in _ARRAYS["cases"]}


@pytest.mark.parametrize("case", sorted(ADAPT))
def test_adapt_matches_keras_tensorflow(case):
    ref = ADAPT[case]
    config = json.loads(str(ref["config"]))
    layer = Normalization(**config["kwargs"])
    data = ref["x"]
    layer.adapt(data if config["n_batches"] is None else list(np.array_split(data, config["n_batches"])))
    for i, w in enumerate(layer.get_weights()):
        np.testing.assert_allclose(w, ref[f"w{i}"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.asarray(layer(data)), ref["y"], rtol=1e-5, atol=1e-5)
    ours = json.loads(json.dumps(keras.layers.serialize(layer)))["config"]
    theirs = config["serialized"]["config"]
    assert {k: v for k, v in ours.items() if k != "name"} == {k: v for k, v in theirs.items() if k != "name"}


def test_adapt_by_hand_and_from_every_kind_of_data():
    data = np.array([[1.0, 10.0], [3.0, 10.0], [5.0, 40.0], [7.0, 40.0]], np.float32)
    expected_mean, expected_var = [4.0, 25.0], [5.0, 225.0]

    class Batches(keras.utils.PyDataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return data[2 * i : 2 * i + 2], np.zeros(2)  # (x, y): only x is used

    sources = [
        data,
        keras.ops.convert_to_tensor(data),
        [data[:1], data[1:]],
        (b for b in (data[:3], data[3:])),
        Batches(),
    ]
    for source in sources:
        layer = Normalization()
        layer.adapt(source)
        mean, variance, count = layer.get_weights()
        np.testing.assert_allclose(mean, expected_mean, rtol=1e-6)
        np.testing.assert_allclose(variance, expected_var, rtol=1e-6)
        assert count.dtype == np.int64 and count == 0  # Keras keeps it for old files and never counts
    np.testing.assert_allclose(np.asarray(layer(np.array([[4.0, 40.0]]))), [[0.0, 1.0]], atol=1e-6)


def test_weights_are_keras_named_non_trainable_and_excluded_from_gradients():
    layer = Normalization(axis=(1, 2))
    layer.build((None, 3, 2))
    assert [w.name for w in layer.weights] == ["mean", "variance", "count"]
    assert [w.shape for w in layer.weights] == [(3, 2), (3, 2), ()]
    assert layer.trainable_weights == []
    np.testing.assert_array_equal(layer.get_weights()[1], np.ones((3, 2)))


def test_given_statistics_invert_and_the_epsilon_floor():
    x = np.array([[1.0, 2.0, 3.0]], np.float32)
    layer = Normalization(mean=[1.0, 0.0, 3.0], variance=[4.0, 1.0, 0.0])
    y = np.asarray(layer(x))
    np.testing.assert_allclose(y, [[0.0, 2.0, 0.0]])
    assert layer.weights == []
    back = Normalization(mean=[1.0, 0.0, 3.0], variance=[4.0, 1.0, 0.0], invert=True)
    np.testing.assert_allclose(np.asarray(back(np.array([[0.0, 2.0, 5.0]], np.float32))), [[1.0, 2.0, 3.0 + 5e-7]])


def test_adapt_after_build_checks_the_kept_axes_and_given_statistics_cannot_adapt():
    layer = Normalization()
    layer.build((None, 3))
    with pytest.raises(ValueError, match="incompatible shape"):
        layer.adapt(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="cannot change"):
        Normalization(mean=0.0, variance=1.0).adapt(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="empty iterable"):
        Normalization().adapt([])


def test_bad_arguments_get_keras_errors():
    with pytest.raises(ValueError, match="both `mean` and `variance` must be set"):
        Normalization(mean=1.0)
    with pytest.raises(ValueError, match="must have the same shape"):
        Normalization(mean=[1.0, 2.0], variance=[1.0])
    with pytest.raises(ValueError, match="less than or equal to the number of axes"):
        Normalization(mean=[[1.0]], variance=[[1.0]])
    with pytest.raises(ValueError, match=r"range \[-ndim, ndim\)"):
        Normalization(axis=3)(np.zeros((2, 3)))
    with pytest.raises(TypeError, match="Unsupported data type"):
        Normalization().adapt(3.0)


def test_config_round_trip():
    layer = Normalization(axis=(1, 2), mean=[1.0, 2.0], variance=[3.0, 4.0], invert=True, name="norm")
    config = layer.get_config()
    assert config["axis"] == (1, 2) and config["mean"] == [1.0, 2.0] and config["invert"] is True
    assert Normalization.from_config(config).get_config() == config
    assert Normalization().get_config()["mean"] is None
