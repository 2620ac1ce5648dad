"""timeseries_dataset_from_array: Keras-TensorFlow's windows and targets, hand-built windows, shuffle, errors."""

import numpy as np
import pytest

import npkeras as keras
from tests.utils.data_utils_reference import as_parts, load, reference_batches

CASES, ARRAYS = load()
SERIES = np.arange(40, dtype="float32").reshape(20, 2)  # as make_data_utils_reference.py
TARGETS = np.arange(100, 120)


@pytest.mark.parametrize("case", sorted(c for c in CASES if c.startswith("ts_")))
def test_matches_keras_tensorflow(case):
    info = CASES[case]
    kwargs = dict(info["kwargs"])
    targets = TARGETS if kwargs.pop("targets") else None
    ds = keras.utils.timeseries_dataset_from_array(SERIES, targets, **kwargs)
    assert len(ds) == info["num_batches"]
    for got, want in zip((as_parts(b) for b in ds), reference_batches(ARRAYS, case, info["num_batches"])):
        assert len(got) == len(want)
        for g, w in zip(got, want):
            assert g.shape == w.shape
            np.testing.assert_array_equal(g, w)


def test_windows_by_hand():
    data = np.arange(10)
    ds = keras.utils.timeseries_dataset_from_array(data, data * 10, sequence_length=3, sampling_rate=2, batch_size=2)
    # windows start at 0..5 (10 - (3 - 1) * 2 = 6 of them): [p, p + 2, p + 4], target data[p] * 10
    x = np.concatenate([b[0] for b in ds])
    y = np.concatenate([b[1] for b in ds])
    np.testing.assert_array_equal(x, [[p, p + 2, p + 4] for p in range(6)])
    np.testing.assert_array_equal(y, [p * 10 for p in range(6)])
    assert len(ds) == 3


def test_targets_cap_the_window_count_and_start_end():
    data = np.arange(20)
    ds = keras.utils.timeseries_dataset_from_array(data, np.arange(5), sequence_length=4, batch_size=None)
    assert len(ds) == 5 and list(ds[4][0]) == [4, 5, 6, 7] and ds[4][1] == 4
    ds = keras.utils.timeseries_dataset_from_array(data, data, 3, start_index=5, end_index=12, batch_size=100)
    x, y = ds[0]
    np.testing.assert_array_equal(x[:, 0], np.arange(5, 10))
    np.testing.assert_array_equal(y, np.arange(5, 10))
    assert x.max() == 11


def test_shuffle_permutes_whole_windows_reproducibly():
    data = np.arange(30)
    kwargs = {"sequence_length": 4, "batch_size": 7, "shuffle": True, "seed": 3}
    a = np.concatenate([b[0] for b in keras.utils.timeseries_dataset_from_array(data, data, **kwargs)])
    b = np.concatenate([b[0] for b in keras.utils.timeseries_dataset_from_array(data, data, **kwargs)])
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a[:, 0], np.sort(a[:, 0]))
    np.testing.assert_array_equal(np.sort(a[:, 0]), np.arange(27))
    np.testing.assert_array_equal(a - a[:, :1], np.tile(np.arange(4), (27, 1)))  # windows stay whole


def test_bad_arguments():
    data = np.arange(10)
    with pytest.raises(ValueError, match="`sampling_rate` must be higher than 0"):
        keras.utils.timeseries_dataset_from_array(data, None, 3, sampling_rate=0)
    with pytest.raises(ValueError, match="`sequence_stride` must be lower than the length"):
        keras.utils.timeseries_dataset_from_array(data, None, 3, sequence_stride=10)
    with pytest.raises(ValueError, match="`start_index` must be lower than the length"):
        keras.utils.timeseries_dataset_from_array(data, None, 3, start_index=10)
    with pytest.raises(ValueError, match="`end_index` must be higher than `start_index`"):
        keras.utils.timeseries_dataset_from_array(data, None, 3, start_index=5, end_index=4)


def test_a_model_fits_on_windows():
    t = np.arange(400, dtype="float32")
    series = np.sin(t / 8)[:, None]
    ds = keras.utils.timeseries_dataset_from_array(series[:-5], series[5:, 0], sequence_length=5, batch_size=32)
    model = keras.Sequential([keras.Input((5, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    history = model.fit(ds, epochs=20, verbose=0)
    assert history.history["loss"][-1] < 0.01 < history.history["loss"][0]
