"""Layer assets in .keras files (npkeras/saving/layer_assets.py): save_assets / load_assets are called on every
object of the saved tree, with Keras's "assets/<object path>/" folders inside the archive."""

import os
import zipfile

import numpy as np
import pytest

import npkeras
from npkeras import layers
from npkeras.saving import ModelFileError


@npkeras.saving.register_keras_serializable(package="AssetTests")
class Memo(layers.Layer):
    """Adds a constant that lives only in its assets (not in the config, not in the weights)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.offset = 0.0
        self.loaded_from = "never"

    def call(self, inputs):
        return inputs + self.offset

    def save_assets(self, dir_path):
        with open(os.path.join(dir_path, "offset.txt"), "w") as f:
            f.write(repr(self.offset))
        os.makedirs(os.path.join(dir_path, "notes"))
        with open(os.path.join(dir_path, "notes", "why.txt"), "wb") as f:
            f.write("état".encode())

    def load_assets(self, dir_path):
        with open(os.path.join(dir_path, "offset.txt")) as f:
            self.offset = float(f.read())
        with open(os.path.join(dir_path, "notes", "why.txt"), "rb") as f:
            self.loaded_from = f.read().decode()


def _model():
    memo = Memo(name="memo")
    memo.offset = 2.5
    inputs = npkeras.Input(shape=(3,))
    return npkeras.Model(inputs, memo(layers.Dense(2)(inputs)))


def test_custom_layer_state_round_trips_through_its_assets(tmp_path):
    model = _model()
    path = tmp_path / "memo.keras"
    model.save(path)
    names = zipfile.ZipFile(path).namelist()
    assert "assets/layers/memo/offset.txt" in names and "assets/layers/memo/notes/why.txt" in names
    loaded = npkeras.saving.load_model(path)
    memo = loaded.get_layer("memo")
    assert memo.offset == 2.5 and memo.loaded_from == "état"
    x = np.random.default_rng(0).standard_normal((4, 3)).astype("float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


def test_an_object_without_assets_in_the_file_gets_none(tmp_path):
    seen = []

    class Probe(layers.Layer):
        def load_assets(self, dir_path):
            seen.append(dir_path)

    inputs = npkeras.Input(shape=(2,))
    model = npkeras.Model(inputs, Probe(name="probe")(inputs))
    model.save(tmp_path / "probe.keras")
    npkeras.saving.load_model(tmp_path / "probe.keras", custom_objects={"Probe": Probe})
    assert seen == [None]


@pytest.mark.parametrize("member", ["assets/../escape.txt", "assets//abs.txt", "assets/a\\..\\b.txt"])
def test_asset_paths_that_escape_the_assets_folder_are_refused(tmp_path, member):
    path = tmp_path / "memo.keras"
    _model().save(path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(member, b"x")
    with pytest.raises(ModelFileError, match="escapes the assets folder"):
        npkeras.saving.load_model(path)


def test_a_failing_save_assets_leaves_the_previous_file_intact(tmp_path):
    path = tmp_path / "memo.keras"
    model = _model()
    model.save(path)
    before = path.read_bytes()
    memo = model.get_layer("memo")
    memo.save_assets = lambda dir_path: (_ for _ in ()).throw(OSError("disk full"))
    with pytest.raises(OSError, match="disk full"):
        model.save(path)
    assert path.read_bytes() == before
