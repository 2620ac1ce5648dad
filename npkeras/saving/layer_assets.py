"""Layer assets: the files an object writes with `save_assets(dir_path)` and reads back with
`load_assets(dir_path)`, stored in a .keras archive under "assets/<object path>/", as Keras 3 stores them.

Each object of the saved tree (the model, its layers, their sublayers, at the paths its weights use) that has
`save_assets` gets a fresh, empty folder to write into; what it writes there is kept as bytes. On loading, the
archive's asset files are written to a temporary folder and each object with `load_assets` is given its own
folder (or None when the archive holds nothing for it, as Keras gives it). No asset file is ever executed.
"""

import os
import tempfile

from npkeras.saving import archive, object_tree
from npkeras.saving.errors import ModelFileError


def collect_assets(model):
    """{"<object path>/<file>": bytes} of everything the model's objects write with save_assets."""
    assets = {}
    for path, layer in object_tree.layers_by_path(model):
        save = getattr(layer, "save_assets", None)
        if not callable(save):
            continue
        with tempfile.TemporaryDirectory(prefix="npkeras-assets-") as tmp:
            save(tmp)
            for root, _, files in os.walk(tmp):
                for name in sorted(files):
                    full = os.path.join(root, name)
                    relative = os.path.relpath(full, tmp).replace(os.sep, "/")
                    with open(full, "rb") as f:
                        assets[f"{path}/{relative}" if path else relative] = f.read()
    return assets


def restore_assets(model, filepath, source):
    """Call load_assets on every object of the model that has it, with its folder of the archive's assets
    (the archive's asset files are read only when some object takes them)."""
    loaders = [(path, layer.load_assets) for path, layer in object_tree.layers_by_path(model)
               if callable(getattr(layer, "load_assets", None))]  # fmt: skip
    if not loaders:
        return
    assets = archive.read_assets(filepath)
    with tempfile.TemporaryDirectory(prefix="npkeras-assets-") as tmp:
        for path, data in assets.items():
            full = os.path.join(tmp, *path.split("/"))
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as f:
                f.write(data)
        for path, load in loaders:
            folder = os.path.join(tmp, *path.split("/")) if path else tmp
            try:
                load(folder if os.path.isdir(folder) else None)
            except (OSError, ValueError, TypeError, KeyError, IndexError, UnicodeDecodeError) as e:
                raise ModelFileError(
                    f"{source}: the assets of the object at '{path or '/'}' could not be loaded: "
                    f"{type(e).__name__}: {e}"
                ) from e
