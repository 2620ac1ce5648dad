"""image_dataset_from_directory: Keras-TensorFlow's batches for the same tree, ordering, labels, splits, errors."""

import os
import sys

import numpy as np
import pytest

import npkeras as keras
from tests.fixtures.data_utils_files import IMAGES, build_tree
from tests.utils.data_utils_reference import as_parts, load, reference_batches

CASES, ARRAYS = load()
IMAGE_CASES = sorted(c for c in CASES if "file_paths" in CASES[c] and not c.startswith("text"))


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    return build_tree(tmp_path_factory.mktemp("tree"))


def _make(tree, case):
    kwargs = CASES[case]["kwargs"]
    result = keras.utils.image_dataset_from_directory(str(tree / "images"), verbose=False, **kwargs)
    return result[int(case[-1])] if isinstance(result, list) else result


@pytest.mark.parametrize("case", IMAGE_CASES)
def test_matches_keras_tensorflow(tree, case):
    info = CASES[case]
    ds = _make(tree, case)
    assert ds.class_names == info["class_names"]
    assert [os.path.relpath(p, tree) for p in ds.file_paths] == info["file_paths"]
    assert len(ds) == info["num_batches"]
    mine = [as_parts(b) for b in ds]
    ref = reference_batches(ARRAYS, case, info["num_batches"])
    if case == "shuffled_both_0":  # Keras-TF also reshuffles its training set in a buffer: compare as sets
        _assert_same_samples(mine, ref)
        return
    for got, want in zip(mine, ref):
        assert len(got) == len(want)
        for g, w in zip(got, want):
            assert g.shape == w.shape and g.dtype == w.dtype
            np.testing.assert_allclose(g, w, atol=2e-3)


def _assert_same_samples(mine, ref):
    """Every reference (image, label) is one of ours, each matched once."""
    images, labels = (np.concatenate(p) for p in zip(*mine))
    ref_images, ref_labels = (np.concatenate(p) for p in zip(*ref))
    assert images.shape == ref_images.shape and labels.dtype == ref_labels.dtype
    distance = np.abs(images[:, None] - ref_images[None]).reshape(len(images), len(ref_images), -1).max(-1)
    match = distance.argmin(axis=0)
    assert sorted(match) == list(range(len(images))) and distance[match, range(len(match))].max() < 2e-3
    np.testing.assert_array_equal(labels[match], ref_labels)


def test_pad_to_aspect_ratio_by_hand():
    from npkeras.utils.image_dataset import pad_box

    # a 5 x 10 image into 6 x 6: ratio 10 / 6, resized to 3 x 6, one zero row above (floor((6 - 3) / 2))
    assert pad_box(5, 10, (6, 6)) == ((3, 6), (1, 0))
    assert pad_box(8, 4, (4, 4)) == ((4, 2), (0, 1))


def test_order_classes_and_skipped_files(tree):
    ds = keras.utils.image_dataset_from_directory(
        tree / "images", image_size=(4, 4), batch_size=4, shuffle=False, verbose=False
    )
    assert ds.class_names == ["birds", "cats", "dogs"]  # sorted; .hidden skipped
    names = [os.path.relpath(p, tree / "images") for p in ds.file_paths]
    expected = sorted(f"{c}/{n}" for c, n, *_ in IMAGES)  # notes.md skipped, sub/ included, .PNG kept
    assert sorted(names) == expected and len(names) == len(IMAGES)
    assert names.index("cats/C2.PNG") < names.index("cats/c0.png") < names.index("cats/sub/c3.png")
    assert len(ds) == 3 and [len(b[0]) for b in ds] == [4, 4, 2]
    x, y = ds[0]
    assert x.shape == (4, 4, 4, 3) and x.dtype == np.float32 and y.dtype == np.int32
    np.testing.assert_array_equal(np.concatenate([b[1] for b in ds]), [0, 0, 1, 1, 1, 1, 2, 2, 2, 2])


def test_an_image_of_the_target_size_comes_back_unchanged(tree):
    ds = keras.utils.image_dataset_from_directory(
        tree / "images", image_size=(4, 4), batch_size=None, shuffle=False, verbose=False, class_names=["dogs"]
    )
    x, y = ds[1]  # dogs/d1.png is 4 x 4 RGB
    from npkeras.utils.image_dataset import read_image

    np.testing.assert_array_equal(x, read_image(tree / "images" / "dogs" / "d1.png").astype(np.float32))
    assert x.shape == (4, 4, 3) and int(y) == 0 and len(ds) == 4


def test_channels_first(tree):
    kwargs = {"image_size": (3, 5), "batch_size": 4, "shuffle": False, "verbose": False}
    last = keras.utils.image_dataset_from_directory(tree / "images", **kwargs)[0][0]
    first = keras.utils.image_dataset_from_directory(tree / "images", data_format="channels_first", **kwargs)[0][0]
    assert first.shape == (4, 3, 3, 5)
    np.testing.assert_array_equal(first, last.transpose(0, 3, 1, 2))


def test_label_modes_and_no_labels(tree):
    kwargs = {"image_size": (3, 3), "batch_size": 16, "shuffle": False, "verbose": False}
    _, cat = keras.utils.image_dataset_from_directory(tree / "images", label_mode="categorical", **kwargs)[0]
    assert cat.dtype == np.float32 and cat.shape == (10, 3) and np.all(cat.sum(1) == 1)
    images = keras.utils.image_dataset_from_directory(tree / "images", labels=None, **kwargs)[0]
    # without inferred labels Keras walks the whole tree, hidden folders too: 10 images + .hidden/h.png
    assert isinstance(images, np.ndarray) and images.shape == (11, 3, 3, 3)
    given = keras.utils.image_dataset_from_directory(tree / "images", labels=list(range(11))[::-1], **kwargs)
    assert given.class_names == [str(i) for i in range(11)]
    np.testing.assert_array_equal(given[0][1], np.arange(11)[::-1])
    with pytest.raises(ValueError, match="Expected the lengths of `labels` to match"):
        keras.utils.image_dataset_from_directory(tree / "images", labels=[0, 1], **kwargs)


def test_validation_split_sizes_and_disjoint(tree):
    train, val = keras.utils.image_dataset_from_directory(
        tree / "images", image_size=(2, 2), validation_split=0.3, subset="both", seed=1, verbose=False
    )
    assert len(train.file_paths) == 7 and len(val.file_paths) == 3
    assert not set(train.file_paths) & set(val.file_paths)
    again = keras.utils.image_dataset_from_directory(
        tree / "images", image_size=(2, 2), validation_split=0.3, subset="validation", seed=1, verbose=False
    )
    assert again.file_paths == val.file_paths


def test_bad_arguments_get_keras_errors(tree):
    d = tree / "images"
    with pytest.raises(ValueError, match="there must be exactly 2 class_names"):
        keras.utils.image_dataset_from_directory(d, label_mode="binary", verbose=False)
    with pytest.raises(ValueError, match="`color_mode` must be one of"):
        keras.utils.image_dataset_from_directory(d, color_mode="cmyk", verbose=False)
    with pytest.raises(ValueError, match="you must provide a `seed` argument"):
        keras.utils.image_dataset_from_directory(d, validation_split=0.2, subset="training", verbose=False)
    with pytest.raises(ValueError, match="did not match the names of the subdirectories"):
        keras.utils.image_dataset_from_directory(d, class_names=["cats", "cows"], verbose=False)
    with pytest.raises(ValueError, match="Invalid `image_size` value"):
        keras.utils.image_dataset_from_directory(d, image_size=(2, 2, 2), verbose=False)
    with pytest.raises(ValueError, match="Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio`"):
        keras.utils.image_dataset_from_directory(d, pad_to_aspect_ratio=True, crop_to_aspect_ratio=True, verbose=False)
    with pytest.raises(ValueError, match="No images found in directory"):
        keras.utils.image_dataset_from_directory(tree / "texts", verbose=False)


def test_other_formats_through_pillow(tmp_path):
    pil = pytest.importorskip("PIL.Image")
    rng = np.random.default_rng(0)
    (tmp_path / "a").mkdir()
    pixels = rng.integers(0, 256, (6, 8, 3), dtype=np.uint8)
    pil.fromarray(pixels).save(tmp_path / "a" / "x.bmp")
    ds = keras.utils.image_dataset_from_directory(tmp_path, image_size=(6, 8), shuffle=False, verbose=False)
    np.testing.assert_array_equal(ds[0][0][0], pixels.astype(np.float32))  # BMP is lossless


def test_missing_pillow_names_the_extra(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    monkeypatch.setitem(sys.modules, "PIL", None)
    ds = keras.utils.image_dataset_from_directory(tmp_path, image_size=(2, 2), verbose=False, shuffle=False)
    with pytest.raises(ImportError, match=r"npkeras\[images\]"):
        ds[0]


def test_a_model_fits_on_an_image_directory(tmp_path):
    from tests.fixtures.data_utils_files import encode_png

    rng = np.random.default_rng(0)
    for label, level in (("dark", 40), ("light", 210)):
        (tmp_path / label).mkdir()
        for i in range(12):
            noise = rng.integers(-30, 30, (8, 8, 1))
            (tmp_path / label / f"{i}.png").write_bytes(encode_png(np.clip(level + noise, 0, 255).astype(np.uint8)))
    ds = keras.utils.image_dataset_from_directory(
        tmp_path, image_size=(8, 8), color_mode="grayscale", batch_size=6, seed=3, label_mode="binary", verbose=False
    )
    model = keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            keras.layers.Rescaling(1 / 255),
            keras.layers.Flatten(),
            keras.layers.Dense(1, "sigmoid"),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(ds, epochs=15, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.evaluate(ds, verbose=0)[1] == 1.0
    assert model.predict(ds, verbose=0).shape == (24, 1)


def test_shuffled_training_data_reshuffles_after_each_epoch(tree):
    train, val = keras.utils.image_dataset_from_directory(
        tree / "images", image_size=(2, 2), batch_size=3, validation_split=0.3, subset="both", seed=5, verbose=False
    )

    def epoch(ds):
        batches = [ds[i] for i in range(len(ds))]
        ds.on_epoch_end()
        return np.concatenate([b[0] for b in batches]), np.concatenate([b[1] for b in batches])

    (x1, y1), (x2, y2) = epoch(train), epoch(train)
    assert not np.array_equal(x1, x2)
    order = [int(np.flatnonzero((x1 == x).all(axis=(1, 2, 3)))[0]) for x in x2]  # the same samples, moved
    assert sorted(order) == list(range(7))
    np.testing.assert_array_equal(y1[order], y2)
    (v1, _), (v2, _) = epoch(val), epoch(val)
    np.testing.assert_array_equal(v1, v2)  # the held-out split keeps its order
