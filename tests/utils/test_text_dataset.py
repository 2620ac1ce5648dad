"""text_dataset_from_directory: Keras-TensorFlow's batches for the same tree, labels, truncation, splits."""

import numpy as np
import pytest

import npkeras as keras
from tests.fixtures.data_utils_files import TEXTS, build_tree
from tests.utils.data_utils_reference import as_parts, load, reference_batches

CASES, ARRAYS = load()


@pytest.fixture(scope="module")
def texts(tmp_path_factory):
    return build_tree(tmp_path_factory.mktemp("tree")) / "texts"


@pytest.mark.parametrize("case", sorted(c for c in CASES if c.startswith("text")))
def test_matches_keras_tensorflow(texts, case):
    info = CASES[case]
    ds = keras.utils.text_dataset_from_directory(texts, verbose=False, **info["kwargs"])
    assert ds.class_names == info["class_names"] and len(ds) == info["num_batches"]
    mine = [as_parts(b) for b in ds]
    ref = reference_batches(ARRAYS, case, info["num_batches"])
    if info["kwargs"]["shuffle"]:  # Keras-TF reshuffles in a buffer too: compare the (text, label) pairs as sets
        pairs = lambda batches: sorted((t, int(np.argmax(y) if np.ndim(y) else y)) for b in batches for t, y in zip(*b))  # noqa: E731
        assert pairs(mine) == pairs(ref)
        return
    for (t, y), (rt, ry) in zip(mine, ref):
        assert list(t) == list(rt)
        assert y.dtype == ry.dtype and y.shape == ry.shape
        np.testing.assert_array_equal(y, ry)


def test_texts_labels_and_truncation_by_bytes(texts):
    ds = keras.utils.text_dataset_from_directory(texts, batch_size=32, shuffle=False, verbose=False)
    x, y = ds[0]
    assert x.dtype == object and list(x) == [t for _, _, t in TEXTS]  # skip.csv ignored, files sorted
    np.testing.assert_array_equal(y, [0, 0, 0, 1, 1, 1, 1])
    short = keras.utils.text_dataset_from_directory(texts, max_length=24, shuffle=False, verbose=False)[0][0]
    assert short[2] == "trop long et ennuyeux, t" and short[1] == "dull"  # 24 bytes; shorter texts whole
    # a cut inside a multi-byte character ("è" is bytes 26-27) drops the partial character
    cut = keras.utils.text_dataset_from_directory(texts, max_length=26, shuffle=False, verbose=False)[0][0]
    assert cut[2] == "trop long et ennuyeux, tr"


def test_binary_labels_and_split(texts):
    train, val = keras.utils.text_dataset_from_directory(
        texts, label_mode="binary", validation_split=0.3, subset="both", seed=4, verbose=False, batch_size=10
    )
    assert len(train.file_paths) == 5 and len(val.file_paths) == 2
    _, y = train[0]
    assert y.dtype == np.float32 and y.shape == (5, 1)
    with pytest.raises(ValueError, match="No text files found"):
        keras.utils.text_dataset_from_directory(texts.parent / "images", verbose=False)
