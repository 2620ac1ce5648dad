"""save/load_model and save/load_weights: round trips, formats, errors, and nothing lost on failure."""

import json
import zipfile

import numpy as np
import pytest

import npkeras
from npkeras import layers
from npkeras.saving import ModelFileError


def trained_model(seed=0):
    npkeras.utils.set_random_seed(seed)
    model = npkeras.Sequential(
        [
            layers.Input((5, 3)),
            layers.Conv1D(4, 2, activation="relu"),
            layers.BatchNormalization(),
            layers.LSTM(3, return_sequences=True),
            layers.Flatten(),
            layers.Dropout(0.2),
            layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(optimizer=npkeras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["acc"])
    rng = np.random.default_rng(seed)
    x, y = rng.random((20, 5, 3), dtype=np.float32), rng.integers(0, 2, 20)
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    return model, x, y


@pytest.mark.parametrize("weights_format", ["h5", "npz"])
def test_save_and_load_model_round_trip(tmp_path, weights_format):
    if weights_format == "h5":
        pytest.importorskip("h5py")
    model, x, y = trained_model()
    path = tmp_path / "m.keras"
    model.save(path, weights_format=weights_format)
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["config.json", "metadata.json", f"model.weights.{weights_format}"]
        config = json.loads(zf.read("config.json"))
    assert config["class_name"] == "Sequential" and config["module"] == "keras"
    assert config["compile_config"]["optimizer"]["class_name"] == "Adam"
    loaded = npkeras.models.load_model(path)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    for a, b in zip(loaded.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.data, b.data)
    assert int(loaded.optimizer.iterations.data) == 6
    assert loaded.evaluate(x, y, verbose=0) == model.evaluate(x, y, verbose=0)


def test_npz_weights_need_nothing_but_numpy(tmp_path):
    model, x, _ = trained_model()
    model.save(tmp_path / "m.keras", weights_format="npz")
    with zipfile.ZipFile(tmp_path / "m.keras") as zf:
        zf.extract("model.weights.npz", tmp_path)
    arrays = np.load(tmp_path / "model.weights.npz", allow_pickle=False)
    assert "layers/conv1d/vars/0" in arrays.files and "layers/lstm/cell/vars/2" in arrays.files
    assert "optimizer/vars/0" in arrays.files
    np.testing.assert_array_equal(arrays["layers/dense/vars/1"], model.layers[-1].bias.data)


def test_load_model_without_compile(tmp_path):
    model, x, _ = trained_model()
    model.save(tmp_path / "m.keras")
    loaded = npkeras.models.load_model(tmp_path / "m.keras", compile=False)
    assert not loaded.compiled
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


@pytest.mark.parametrize("suffix", [".weights.h5", ".weights.npz"])
def test_save_and_load_weights(tmp_path, suffix):
    if suffix == ".weights.h5":
        pytest.importorskip("h5py")
    model, x, _ = trained_model(0)
    model.save_weights(tmp_path / f"w{suffix}")
    other, _, _ = trained_model(1)
    assert not np.allclose(other.predict(x, verbose=0), model.predict(x, verbose=0))
    other.load_weights(tmp_path / f"w{suffix}")
    np.testing.assert_array_equal(other.predict(x, verbose=0), model.predict(x, verbose=0))
    for a, b in zip(other.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.data, b.data)


def test_load_weights_reads_a_keras_archive(tmp_path):
    model, x, _ = trained_model(0)
    model.save(tmp_path / "m.keras")
    other, _, _ = trained_model(1)
    other.load_weights(tmp_path / "m.keras")
    np.testing.assert_array_equal(other.predict(x, verbose=0), model.predict(x, verbose=0))


def test_get_and_set_weights_round_trip():
    model, x, _ = trained_model(0)
    other, _, _ = trained_model(1)
    other.set_weights(model.get_weights())
    np.testing.assert_array_equal(other.predict(x, verbose=0), model.predict(x, verbose=0))


def test_a_failed_load_changes_no_weight(tmp_path):
    model, _, _ = trained_model(0)
    model.save_weights(tmp_path / "w.weights.npz")
    arrays = dict(np.load(tmp_path / "w.weights.npz"))
    arrays["layers/dense/vars/0"] = np.zeros((3, 3), np.float32)  # the last weight checked: all others pass first
    np.savez(tmp_path / "bad.weights.npz", **arrays)
    other, _, _ = trained_model(1)
    before = other.get_weights()
    with pytest.raises(ModelFileError, match=r"'kernel' of 'dense.*' has shape \(12, 2\).*\(3, 3\)"):
        other.load_weights(tmp_path / "bad.weights.npz")
    for a, b in zip(before, other.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_skip_mismatch_warns_and_loads_the_rest(tmp_path):
    model, _, _ = trained_model(0)
    model.save_weights(tmp_path / "w.weights.npz")
    arrays = dict(np.load(tmp_path / "w.weights.npz"))
    arrays["layers/dense/vars/0"] = np.zeros((3, 3), np.float32)
    np.savez(tmp_path / "bad.weights.npz", **arrays)
    other, _, _ = trained_model(1)
    with pytest.warns(UserWarning, match="Skipping it"):
        other.load_weights(tmp_path / "bad.weights.npz", skip_mismatch=True)
    np.testing.assert_array_equal(other.layers[0].kernel.data, model.layers[0].kernel.data)
    assert not np.array_equal(other.layers[-1].kernel.data, model.layers[-1].kernel.data)


def test_a_crash_during_save_leaves_the_earlier_file_intact(tmp_path, monkeypatch):
    model, x, _ = trained_model(0)
    path = tmp_path / "m.keras"
    model.save(path)
    before = path.read_bytes()
    model.fit(x, np.zeros(len(x), int), epochs=1, verbose=0)

    def failing_writestr(self, name, data, *args, **kwargs):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", failing_writestr)
    with pytest.raises(OSError, match="disk full"):
        model.save(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.keras"]  # no temporary file left behind
    npkeras.models.load_model(path)


def test_a_crash_during_save_weights_leaves_the_earlier_file_intact(tmp_path, monkeypatch):
    model, _, _ = trained_model(0)
    path = tmp_path / "w.weights.npz"
    model.save_weights(path)
    before = path.read_bytes()
    monkeypatch.setattr("npkeras.saving.model_files.to_npz_bytes", lambda groups: b"half" + 1)  # TypeError
    with pytest.raises(TypeError):
        model.save_weights(path)
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["w.weights.npz"]


def test_overwrite_false_refuses_an_existing_file(tmp_path):
    model, _, _ = trained_model(0)
    model.save(tmp_path / "m.keras")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        model.save(tmp_path / "m.keras", overwrite=False)
    model.save_weights(tmp_path / "w.weights.npz")
    with pytest.raises(FileExistsError, match="w.weights.npz already exists"):
        model.save_weights(tmp_path / "w.weights.npz", overwrite=False)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda m, p: m.save(p / "m.h5"), "legacy whole-model `.h5`"),
        (lambda m, p: m.save(p / "m.txt"), "Invalid filepath extension"),
        (lambda m, p: m.save(p / "m.keras", weights_format="pkl"), "Unknown `weights_format`"),
        (lambda m, p: m.save(p / "m.keras", zipped=False), "zipped"),
        (lambda m, p: m.save_weights(p / "m.h5"), "must end in `.weights.h5`"),
        (lambda m, p: npkeras.models.load_model(p / "m.h5"), "legacy HDF5 model file"),
        (lambda m, p: npkeras.models.load_model(p / "m.pb"), "File format not supported"),
    ],
)
def test_bad_file_names_say_what_is_expected(tmp_path, call, message):
    model, _, _ = trained_model(0)
    with pytest.raises(ValueError, match=message):
        call(model, tmp_path)


def test_missing_files_and_folders(tmp_path):
    model, _, _ = trained_model(0)
    with pytest.raises(FileNotFoundError, match="No model file"):
        npkeras.models.load_model(tmp_path / "absent.keras")
    with pytest.raises(FileNotFoundError, match="No weights file"):
        model.load_weights(tmp_path / "absent.weights.npz")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        model.save(tmp_path / "no" / "such" / "folder" / "m.keras")


def test_load_weights_into_an_unbuilt_model_says_so(tmp_path):
    model, _, _ = trained_model(0)
    model.save_weights(tmp_path / "w.weights.npz")
    unbuilt = npkeras.Sequential([layers.Dense(2)])
    with pytest.raises(ValueError, match="has not been built"):
        unbuilt.load_weights(tmp_path / "w.weights.npz")


def test_seeded_dropout_generators_are_saved_and_restored(tmp_path):
    npkeras.utils.set_random_seed(0)
    model = npkeras.Sequential([layers.Input((8,)), layers.Dropout(0.5, seed=3), layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((4, 8), np.float32)
    model.fit(x, np.zeros((4, 2)), epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    expected = model.layers[0]._rng.random(3)
    loaded = npkeras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(loaded.layers[0]._rng.random(3), expected)


def test_load_model_leaves_the_callers_random_state_alone(tmp_path):
    model, _, _ = trained_model()
    model.save(tmp_path / "m.keras")

    def dense_kernel_after(seed, load):
        npkeras.utils.set_random_seed(seed)
        if load:
            npkeras.models.load_model(tmp_path / "m.keras")
        layer = layers.Dense(3)
        layer.build((None, 4))
        return np.asarray(layer.kernel)

    np.testing.assert_array_equal(dense_kernel_after(1, load=True), dense_kernel_after(1, load=False))
    assert not np.array_equal(dense_kernel_after(1, load=True), dense_kernel_after(2, load=True))


def test_a_loaded_model_continues_its_own_shuffling_and_dropout_stream(tmp_path):
    model, x, y = trained_model()
    model.save(tmp_path / "m.keras")
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    for seed in (1, 2):  # whatever the caller seeds, the file's stream decides the next epoch
        npkeras.utils.set_random_seed(seed)
        loaded = npkeras.models.load_model(tmp_path / "m.keras")
        loaded.fit(x, y, epochs=1, batch_size=8, verbose=0)
        for got, want in zip(loaded.get_weights(), model.get_weights()):
            np.testing.assert_array_equal(got, want)


def rewrite_config(src, dst, edit):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "config.json":
                config = json.loads(data)
                edit(config)
                data = json.dumps(config)
            zout.writestr(name, data)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda c: c["config"]["layers"][1]["config"].update(units=10**12), "refusing to allocate it"),
        (lambda c: c["config"]["layers"][0]["config"].update(batch_shape=[None, 10**6, 10**6]), "values per sample"),
    ],
)
def test_a_config_asking_for_huge_arrays_is_refused_before_allocating(tmp_path, edit, message):
    npkeras.Sequential([layers.Input((3,)), layers.Dense(2)]).save(tmp_path / "m.keras", weights_format="npz")
    rewrite_config(tmp_path / "m.keras", tmp_path / "huge.keras", edit)
    with pytest.raises(ModelFileError, match=message):
        npkeras.models.load_model(tmp_path / "huge.keras")


def test_weights_of_the_file_that_no_layer_takes_are_refused(tmp_path):
    model, _, _ = trained_model()
    model.save_weights(tmp_path / "big.weights.h5")
    smaller = npkeras.Sequential([layers.Input((5, 3)), layers.Conv1D(4, 2, activation="relu")])
    with pytest.raises(ModelFileError, match=r"holds weights at \['layers/batch_normalization'"):
        smaller.load_weights(tmp_path / "big.weights.h5")
    with pytest.warns(UserWarning, match="Ignoring them"):
        smaller.load_weights(tmp_path / "big.weights.h5", skip_mismatch=True)
    np.testing.assert_array_equal(smaller.layers[0].kernel.data, model.layers[0].kernel.data)


@npkeras.saving.register_keras_serializable(package="test_own_state")
class CountingDense(layers.Dense):
    """A layer whose save_own_variables adds state of its own (a count kept as a plain array) to its variables."""

    def __init__(self, units, **kwargs):
        super().__init__(units, **kwargs)
        self.calls = np.zeros((), "int64")

    def call(self, inputs):
        self.calls = self.calls + 1
        return super().call(inputs)

    def save_own_variables(self, store):
        super().save_own_variables(store)
        store["calls"] = self.calls

    def load_own_variables(self, store):
        self.calls = np.asarray(store["calls"])
        super().load_own_variables({k: v for k, v in store.items() if k != "calls"})


@pytest.mark.parametrize("weights_format", ["h5", "npz"])
def test_save_and_load_own_variables_keep_a_layers_own_state(tmp_path, weights_format):
    if weights_format == "h5":
        pytest.importorskip("h5py")
    model = npkeras.Sequential([layers.Input((3,)), CountingDense(2)])
    x = np.arange(6, dtype="float32").reshape(2, 3)
    for _ in range(3):
        model(x)
    model.save(tmp_path / "m.keras", weights_format=weights_format)
    member = "model.weights.npz" if weights_format == "npz" else None
    if member:
        names = np.load(zipfile.ZipFile(tmp_path / "m.keras").open(member)).files
        assert sorted(names) == ["layers/counting_dense/vars/0", "layers/counting_dense/vars/1",
                                 "layers/counting_dense/vars/calls"]  # fmt: skip
    restored = npkeras.models.load_model(tmp_path / "m.keras")
    assert int(restored.layers[0].calls) == 3
    np.testing.assert_array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0))


def test_a_failing_load_own_variables_names_the_layer(tmp_path):
    model = npkeras.Sequential([layers.Input((3,)), CountingDense(2, name="counter")])
    model.save(tmp_path / "m.keras", weights_format="npz")
    CountingDense.load_own_variables, kept = (lambda self, store: store["missing"]), CountingDense.load_own_variables
    try:
        message = r"layer 'counter' \(at 'layers/counting_dense'\) could not load its variables with its "
        with pytest.raises(ModelFileError, match=message + r"load_own_variables: KeyError: 'missing'"):
            npkeras.models.load_model(tmp_path / "m.keras")
    finally:
        CountingDense.load_own_variables = kept


@npkeras.saving.register_keras_serializable(package="test_own_state")
class InitializedLinear(layers.Layer):
    """A layer whose build takes an extra argument, so it needs its own build config to be rebuilt."""

    def __init__(self, units=2, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape, init):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer=init)
        self.init = init

    def call(self, inputs):
        return npkeras.ops.matmul(inputs, self.w)

    def get_config(self):
        return {**super().get_config(), "units": self.units}

    def get_build_config(self):
        return {"input_shape": [None, self.w.shape[0]], "init": self.init}

    def build_from_config(self, config):
        self.build(config["input_shape"], config["init"])


def test_a_layers_own_build_from_config_rebuilds_it_on_loading(tmp_path):
    layer = InitializedLinear(3)
    layer.build((None, 4), "ones")
    model = npkeras.Sequential([layer, layers.Dense(1)])
    x = np.ones((2, 4), "float32")
    model(x)
    model.save(tmp_path / "m.keras", weights_format="npz")
    restored = npkeras.models.load_model(tmp_path / "m.keras")
    assert restored.layers[0].init == "ones" and restored.layers[0].w.shape == (4, 3)
    np.testing.assert_array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0))


@npkeras.saving.register_keras_serializable(package="test_own_state")
def halved_mse(y_true, y_pred):
    return npkeras.ops.mean(npkeras.ops.square(y_pred - y_true), axis=-1) / 2


@npkeras.saving.register_keras_serializable(package="test_own_state")
class OwnCompileModel(npkeras.Model):
    """A subclassed model with a compile of its own, saved through its own compile config."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(1)

    def call(self, inputs):
        return self.dense(inputs)

    def compile(self, optimizer, loss_fn):
        super().compile(optimizer=optimizer, loss=loss_fn)
        self.loss_fn = loss_fn

    def get_compile_config(self):
        return {"optimizer": "sgd", "loss_fn": self.loss_fn}  # a function: serialized on saving, as Keras does

    def compile_from_config(self, config):
        self.compile("sgd", npkeras.saving.deserialize_keras_object(config["loss_fn"]))


def test_a_custom_compile_config_is_serialized_and_given_back_to_compile_from_config(tmp_path):
    model = OwnCompileModel()
    model.compile("sgd", halved_mse)
    x, y = np.ones((4, 3), "float32"), np.zeros((4, 1), "float32")
    model.fit(x, y, verbose=0)
    model.save(tmp_path / "m.keras", weights_format="npz")
    saved = json.loads(zipfile.ZipFile(tmp_path / "m.keras").read("config.json"))["compile_config"]
    assert saved["loss_fn"] == {
        "module": "builtins",
        "class_name": "function",
        "config": "test_own_state>halved_mse",
        "registered_name": "function",
    }  # as Keras
    restored = npkeras.models.load_model(tmp_path / "m.keras")
    assert restored.loss_fn is halved_mse
    assert restored.evaluate(x, y, verbose=0) == pytest.approx(model.evaluate(x, y, verbose=0))


def test_a_custom_compile_without_compile_from_config_is_left_uncompiled_with_keras_warning(tmp_path):
    model = OwnCompileModel()
    model.compile("sgd", halved_mse)
    model(np.ones((1, 3), "float32"))
    with pytest.warns(UserWarning, match=r"`compile\(\)` was not called as part of model loading because the model's"):
        npkeras.models.Model.compile_from_config(model, {"optimizer": "sgd", "loss": "mse"})


def test_an_entry_name_no_weights_file_can_hold_is_refused_on_saving(tmp_path):
    class Slashed(layers.Dense):
        def save_own_variables(self, store):
            store["a/b"] = np.zeros(1)

    model = npkeras.Sequential([layers.Input((3,)), Slashed(2, name="slashed")])
    with pytest.raises(ValueError, match=r"Layer 'slashed' wrote an entry named 'a/b' in save_own_variables"):
        model.save(tmp_path / "m.keras", weights_format="npz")
    assert not (tmp_path / "m.keras").exists()
