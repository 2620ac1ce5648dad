"""Unreadable, corrupt and hostile model files: each must raise a clear npkeras error (ModelFileError, a
ValueError, for what a file holds; ValueError for a bad config; FileNotFoundError for no file), never
another exception type, a crash, a hang, a huge allocation, or code execution.

The good files are saved once per module; every hostile file is made from them by hand (zipfile with
ZIP_STORED, np.savez, h5py, struct patches of zip headers). The last section holds the cases that found
bugs (encrypted and oddly compressed members, HDF5 links, virtual and external datasets, huge configs).
"""

import base64
import contextlib
import io
import json
import marshal
import os
import struct
import subprocess
import sys
import textwrap
import time
import tracemalloc
import types
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import npkeras
from npkeras import layers
from npkeras.saving import ModelFileError

h5py = pytest.importorskip("h5py")

REPO_ROOT = Path(npkeras.__file__).resolve().parent.parent
ALLOWED = (ModelFileError, ValueError, FileNotFoundError)
DAMAGED_ARCHIVE = (
    r"damaged zip archive|is not a \.keras archive|has no config\.json|holds no weights|not the \d+ declared"
)
FLIPS = st.lists(st.tuples(st.integers(0, 2**31), st.integers(1, 255)), min_size=1, max_size=8)
FUZZ_SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


# ---- the good files ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """A small trained model saved every way npkeras saves: .keras with h5 and with npz weights, and
    standalone .weights.npz and .weights.h5, with the arrays they hold."""
    folder = tmp_path_factory.mktemp("good")
    npkeras.clear_session()
    npkeras.utils.set_random_seed(0)
    model = npkeras.Sequential(
        [layers.Input((6,)), layers.Dense(4, activation="relu", name="hidden"), layers.Dense(3, name="out")]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    model.fit(rng.random((16, 6)).astype("float32"), rng.integers(0, 3, 16), epochs=1, verbose=0)
    paths = {
        "h5": folder / "m.keras",
        "npz": folder / "n.keras",
        "weights.npz": folder / "w.weights.npz",
        "weights.h5": folder / "w.weights.h5",
    }
    model.save(paths["h5"], weights_format="h5")
    model.save(paths["npz"], weights_format="npz")
    model.save_weights(paths["weights.npz"])
    model.save_weights(paths["weights.h5"])
    return types.SimpleNamespace(
        dir=folder,
        paths=paths,
        bytes={key: path.read_bytes() for key, path in paths.items()},
        weights=model.get_weights(),
        optimizer=[np.array(v.data, copy=True) for v in model.optimizer.variables],
    )


@pytest.fixture
def target(good):
    """The saved model, loaded, with every variable (the optimizer's too) moved off the saved values,
    so any assignment from a file shows."""
    model = npkeras.models.load_model(good.paths["npz"])
    model.set_weights([w + 1.0 for w in model.get_weights()])
    for v in model.optimizer.variables:
        v.assign(np.asarray(v.data) + 1)
    return model


def snapshot(model):
    return [w.copy() for w in model.get_weights()] + [np.array(v.data, copy=True) for v in model.optimizer.variables]


def assert_same(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


# ---- builders ----------------------------------------------------------------------------------
def stored_zip(members):
    """The bytes of a ZIP_STORED zip holding `members` (name -> bytes), in order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def members_of(data):
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def rebuilt(good_bytes, replace=None, drop=()):
    """A copy of an archive (or npz) with members replaced (name -> bytes), added, or dropped."""
    members = {k: v for k, v in members_of(good_bytes).items() if k not in drop}
    members.update(replace or {})
    return stored_zip(members)


def npz_arrays(data):
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        return {name: z[name] for name in z.files}


def npz_bytes(arrays, allow_pickle=False):
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=allow_pickle, **arrays)
    return buffer.getvalue()


def raw_npy(shape, descr="<f4", payload=b"\0" * 16):
    """An .npy member whose header declares `shape`, followed by only `payload`."""
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": descr, "fortran_order": False, "shape": shape})
    return buffer.getvalue() + payload


def patch_headers(data, name, local_offset, central_offset, fmt, value):
    """Overwrite one field of member `name` in its local file header and its central directory entry."""
    buf = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        local = zf.getinfo(name).header_offset
    if local_offset is not None:
        struct.pack_into(fmt, buf, local + local_offset, value)
    eocd = data.rfind(b"PK\x05\x06")
    pos = struct.unpack_from("<I", data, eocd + 16)[0]
    while data[pos : pos + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, pos + 28)
        if data[pos + 46 : pos + 46 + name_len] == name.encode():
            struct.pack_into(fmt, buf, pos + central_offset, value)
        pos += 46 + name_len + extra_len + comment_len
    return bytes(buf)


# Offsets of fields in the local header / central directory entry.
FLAGS, METHOD, FILE_SIZE = (6, 8), (8, 10), (22, 24)


def write(path, data):
    path.write_bytes(data)
    return path


def flipped(data, flips):
    buf = bytearray(data)
    for position, mask in flips:
        buf[position % len(buf)] ^= mask
    return bytes(buf)


def config_of(good):
    return json.loads(members_of(good.bytes["npz"])["config.json"])


def with_config(good, config, variant="npz"):
    text = config if isinstance(config, (str, bytes)) else json.dumps(config)
    return rebuilt(good.bytes[variant], {"config.json": text})


def h5_copy(src, dst, edit):
    """Copy a weights .h5 group by group, then let `edit(file)` change it."""
    with h5py.File(src, "r") as f_in, h5py.File(dst, "w") as f_out:

        def copy(name, obj):
            if isinstance(obj, h5py.Dataset):
                f_out[name] = obj[()]
            else:
                group = f_out.require_group(name)
                for key, value in obj.attrs.items():
                    group.attrs[key] = value

        f_in.visititems(copy)
        edit(f_out)
    return dst


def run_python(script, *args, timeout=120, env=None):
    """Run `script` in a fresh interpreter that imports this checkout's npkeras."""
    env = {**os.environ, **(env or {})}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT)] + [p for p in [env.get("PYTHONPATH")] if p])
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=str(REPO_ROOT),
    )


# ---- 1. truncated archives and weights files --------------------------------------------------
def cut_points(data):
    """Where to cut an archive: in the magic, each member's header and data, the central directory, the EOCD."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
    eocd = data.rfind(b"PK\x05\x06")
    central = struct.unpack_from("<I", data, eocd + 16)[0]
    cuts = {2, 4, 20}
    for info in infos:
        start = info.header_offset + 30 + len(info.filename)
        cuts |= {info.header_offset + 10, start + 1, start + info.file_size // 2, start + info.file_size - 1}
    cuts |= {central, central + 20, central + 60, (central + eocd) // 2, eocd, eocd + 10, len(data) - 1}
    return sorted(c for c in cuts if 0 < c < len(data))


@pytest.mark.parametrize("variant", ["h5", "npz"])
def test_truncated_archives_raise_model_file_error(good, tmp_path, variant):
    data = good.bytes[variant]
    cuts = cut_points(data)
    assert len(cuts) >= 15
    for cut in cuts:
        path = write(tmp_path / f"cut{cut}.keras", data[:cut])
        with pytest.raises(ModelFileError, match=DAMAGED_ARCHIVE) as info:
            npkeras.models.load_model(path)
        assert str(path) in str(info.value)


@pytest.mark.parametrize("variant", ["h5", "npz"])
def test_truncated_archive_in_load_weights(good, target, tmp_path, variant):
    data = good.bytes[variant]
    before = snapshot(target)
    for cut in cut_points(data)[::3]:
        with pytest.raises(ModelFileError, match=DAMAGED_ARCHIVE):
            target.load_weights(write(tmp_path / f"cut{cut}.keras", data[:cut]))
    assert_same(before, snapshot(target))


def test_truncated_weights_npz(good, target, tmp_path):
    data = good.bytes["weights.npz"]
    before = snapshot(target)
    for cut in cut_points(data):
        path = write(tmp_path / f"cut{cut}.weights.npz", data[:cut])
        with pytest.raises(ModelFileError, match=r"damaged npz file|is not an npz file|is damaged"):
            target.load_weights(path)
    assert_same(before, snapshot(target))


def test_truncated_weights_h5(good, target, tmp_path):
    data = good.bytes["weights.h5"]
    before = snapshot(target)
    for cut in [1, 4, 7, 8, 9, 50, 200, 1000, len(data) // 2, len(data) - 100, len(data) - 1]:
        path = write(tmp_path / f"cut{cut}.weights.h5", data[:cut])
        with pytest.raises(ModelFileError, match=r"damaged HDF5 file|is not an HDF5 file") as info:
            target.load_weights(path)
        assert "cut" in str(info.value)  # the message names the file
    assert_same(before, snapshot(target))


# ---- 2. wrong magic --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("content", "starts"),
    [
        (b"Hello, this is a text file.\n", "b'Hell'"),
        (b"", "b''"),
        ("weights.h5", r"b'\\x89HDF'"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, r"b'\\x89PNG'"),
        (b"PK\x05\x06" + b"\0" * 18, r"b'PK\\x05\\x06'"),  # an empty zip: no local header first
        (b"\x1f\x8b\x08\x00" + b"\0" * 30, r"b'\\x1f\\x8b"),  # gzip
    ],
    ids=["text", "empty", "hdf5", "png", "empty-zip", "gzip"],
)
def test_wrong_magic_keras_file(good, tmp_path, content, starts):
    data = good.bytes[content] if isinstance(content, str) else content
    path = write(tmp_path / "bad.keras", data)
    with pytest.raises(ModelFileError, match=r"is not a \.keras archive \(a zip file\): it starts with " + starts):
        npkeras.models.load_model(path)


def test_zip_that_is_not_a_keras_archive(tmp_path):
    path = write(tmp_path / "other.keras", stored_zip({"readme.txt": b"hello"}))
    with pytest.raises(ModelFileError, match=r"has no config\.json: it is not a Keras model archive"):
        npkeras.models.load_model(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.weights.npz", b"plain text", r"is not an npz file \(its first bytes are b'plai'\)"),
        ("x.weights.npz", b"", r"is not an npz file"),
        ("x.weights.npz", "weights.h5", r"is not an npz file \(its first bytes are b'\\x89HDF'\)"),
        ("x.weights.h5", b"plain text", r"is not an HDF5 file"),
        ("x.weights.h5", b"", r"is not an HDF5 file"),
        ("x.weights.h5", "weights.npz", r"is not an HDF5 file \(its first bytes are b'PK"),
        ("x.weights.h5", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, r"is not an HDF5 file"),
    ],
)
def test_wrong_magic_weights_file(good, target, tmp_path, name, content, message):
    data = good.bytes[content] if isinstance(content, str) else content
    before = snapshot(target)
    with pytest.raises(ModelFileError, match=message):
        target.load_weights(write(tmp_path / name, data))
    assert_same(before, snapshot(target))


def test_weights_member_of_the_wrong_format(good, tmp_path):
    npz_in_h5 = rebuilt(good.bytes["h5"], {"model.weights.h5": good.bytes["weights.npz"]})
    with pytest.raises(ModelFileError, match=r"\(model\.weights\.h5\) is not an HDF5 file"):
        npkeras.models.load_model(write(tmp_path / "a.keras", npz_in_h5))
    h5_in_npz = rebuilt(good.bytes["npz"], {"model.weights.npz": good.bytes["weights.h5"]})
    with pytest.raises(ModelFileError, match=r"\(model\.weights\.npz\) is not an npz file"):
        npkeras.models.load_model(write(tmp_path / "b.keras", h5_in_npz))


def test_missing_files_and_folders(tmp_path, target):
    with pytest.raises(FileNotFoundError, match="No model file found"):
        npkeras.models.load_model(tmp_path / "absent.keras")
    (tmp_path / "folder.keras").mkdir()
    with pytest.raises(FileNotFoundError, match="No model file found"):
        npkeras.models.load_model(tmp_path / "folder.keras")
    with pytest.raises(FileNotFoundError, match="No weights file found"):
        target.load_weights(tmp_path / "absent.weights.npz")


# ---- 3. hostile configs ------------------------------------------------------------------------
def layer_config(good, index, layer):
    config = config_of(good)
    config["config"]["layers"][index] = layer
    return config


def test_unknown_model_class(good, tmp_path):
    config = {**config_of(good), "class_name": "Foo", "module": "keras.src.models"}
    with pytest.raises(ModelFileError, match=r"Could not locate model class 'Foo'"):
        npkeras.models.load_model(write(tmp_path / "m.keras", with_config(good, config)))


def test_unknown_layer_class(good, tmp_path):
    config = layer_config(good, 1, {"module": "keras.layers", "class_name": "Foo", "config": {"units": 4}})
    with pytest.raises(ModelFileError, match=r"cannot build: ValueError: Could not locate class 'Foo'"):
        npkeras.models.load_model(write(tmp_path / "m.keras", with_config(good, config)))


@pytest.mark.parametrize(
    ("module", "class_name"),
    [("os", "system"), ("builtins", "eval"), ("builtins", "exec"), ("subprocess", "Popen"), ("posix", "system")],
)
def test_layer_from_a_foreign_module_is_never_imported(good, tmp_path, module, class_name):
    marker = tmp_path / "pwned"
    payload = f"open({str(marker)!r}, 'w').close()" if "e" in class_name[:2] else f"touch {marker}"
    layer = {"module": module, "class_name": class_name, "config": {"command": payload, "source": payload}}
    path = write(tmp_path / "m.keras", with_config(good, layer_config(good, 1, layer)))
    message = rf"names class '{class_name}' in module '{module}', which is not part of Keras"
    with pytest.raises(ModelFileError, match=message):
        npkeras.models.load_model(path)
    assert not marker.exists()


@pytest.mark.parametrize(
    "layer",
    [
        {"module": "keras.layers", "class_name": "system", "config": {}},  # a Keras module, an unknown name
        {"module": "npkeras.saving.functions", "class_name": "marshal", "config": {}},
        {"module": None, "class_name": "__import__", "config": {"name": "os"}},
    ],
)
def test_names_that_are_not_layers(good, tmp_path, layer):
    path = write(tmp_path / "m.keras", with_config(good, layer_config(good, 1, layer)))
    with pytest.raises(ModelFileError, match=rf"Could not locate class '{layer['class_name']}'"):
        npkeras.models.load_model(path)


def test_model_class_from_a_foreign_module(good, tmp_path):
    config = {**config_of(good), "module": "os", "class_name": "system", "config": {"command": "echo hi"}}
    with pytest.raises(ModelFileError, match=r"Could not locate model class 'system' \(module 'os'\)"):
        npkeras.models.load_model(write(tmp_path / "m.keras", with_config(good, config)))


def lambda_layer(function):
    return {
        "module": "keras.layers",
        "class_name": "Lambda",
        "config": {"name": "evil", "function": function, "arguments": {}},
        "registered_name": None,
    }


def marker_lambda(marker):
    code = marshal.dumps((lambda x, p=str(marker): (open(p, "w").close(), x)[1]).__code__)
    return {
        "class_name": "__lambda__",
        "config": {"code": base64.encodebytes(code).decode("ascii"), "defaults": [str(marker)], "closure": None},
    }


def test_lambda_bytecode_is_refused_in_safe_mode(good, tmp_path):
    marker = tmp_path / "ran"
    config = layer_config(good, 2, lambda_layer(marker_lambda(marker)))
    path = write(tmp_path / "m.keras", with_config(good, config))
    with pytest.raises(ModelFileError, match=r"`Lambda` layer .*Python lambda.*`safe_mode=False`"):
        npkeras.models.load_model(path)
    assert not marker.exists()
    # The control: the payload is live, so the refusal above is what kept it from running.
    with contextlib.suppress(ModelFileError):  # the Lambda runs at build, whatever the rest of the file holds
        npkeras.models.load_model(path, safe_mode=False)
    assert marker.exists()


@pytest.mark.parametrize(
    ("function", "message"),
    [
        ({"module": "os", "class_name": "function", "config": "system"}, r"does not import modules named by a file"),
        ({"module": "builtins", "class_name": "function", "config": "eval"}, r"names the function 'eval'"),
        ("eval", r"Could not interpret activation.*'eval'"),
        ({"class_name": "function", "config": ["x"]}, r"needs its name under 'config'"),
    ],
)
def test_lambda_naming_a_foreign_function_is_refused(good, tmp_path, function, message):
    config = layer_config(good, 2, lambda_layer(function))
    with pytest.raises(ModelFileError, match=message):
        npkeras.models.load_model(write(tmp_path / "m.keras", with_config(good, config)))


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("[1, 2, 3]", r"config\.json must hold a JSON object, not list"),
        ('"Sequential"', r"config\.json must hold a JSON object, not str"),
        ("null", r"config\.json must hold a JSON object, not NoneType"),
        ("{not json", r"config\.json is not valid JSON \(JSONDecodeError"),
        ("", r"config\.json is not valid JSON"),
        (b"\xff\xfe{}", r"config\.json is not valid JSON \(UnicodeDecodeError"),
        ("[" * 100_000 + "]" * 100_000, r"config\.json is not valid JSON \(RecursionError"),
        ('{"a":' * 100_000 + "1" + "}" * 100_000, r"config\.json is not valid JSON \(RecursionError"),
        ({"config": {}}, r"A model config must be a dict with a 'class_name'"),
        ({"class_name": ["Sequential"]}, r"A model config must be a dict with a 'class_name'"),
    ],
    ids=["list", "str", "null", "bad-json", "empty", "not-utf8", "deep-list", "deep-dict", "no-class", "class-list"],
)
def test_config_that_is_not_a_model(good, tmp_path, config, message):
    path = write(tmp_path / "m.keras", with_config(good, config))
    start = time.perf_counter()
    with pytest.raises(ModelFileError, match=message):
        npkeras.models.load_model(path)
    assert time.perf_counter() - start < 10


def test_config_json_missing(good, tmp_path):
    path = write(tmp_path / "m.keras", rebuilt(good.bytes["h5"], drop={"config.json"}))
    with pytest.raises(ModelFileError, match=r"has no config\.json"):
        npkeras.models.load_model(path)


def test_weights_member_missing(good, tmp_path):
    path = write(tmp_path / "m.keras", rebuilt(good.bytes["npz"], drop={"model.weights.npz"}))
    with pytest.raises(ModelFileError, match=r"holds no weights: expected model\.weights\.h5 or model\.weights\.npz"):
        npkeras.models.load_model(path)


def dense_config(good, **changes):
    config = config_of(good)
    config["config"]["layers"][1]["config"].update(changes)
    return config


def nested(depth):
    config = {"class_name": "Zeros", "config": {}}
    for _ in range(depth):
        config = {"class_name": "GlorotUniform", "config": {"seed": config}}
    return config


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"units": -1}, r"invalid value for `units`"),
        ({"units": "4"}, r"invalid value for `units`"),
        ({"units": None}, r"invalid value for `units`"),
        ({"units": 10**30}, r"refusing to allocate it"),
        ({"activation": "os.system"}, r"Could not interpret activation function identifier: 'os\.system'"),
        ({"activation": {"module": "builtins", "class_name": "eval"}}, r"Could not interpret activation"),
        ({"kernel_initializer": {"class_name": "Nope", "config": {}}}, r"Could not interpret initializer"),
        ({"kernel_initializer": {"class_name": "GlorotUniform", "config": [1]}}, r"TypeError"),
        ({"kernel_initializer": nested(300)}, r"cannot build"),
        ({"nonsense": 1}, r"Unrecognized keyword arguments passed to Dense"),
    ],
)
def test_bad_layer_configs(good, tmp_path, config, message):
    path = write(tmp_path / "m.keras", with_config(good, dense_config(good, **config)))
    with pytest.raises(ModelFileError, match=message):
        npkeras.models.load_model(path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c["config"].update(layers=5), r"TypeError: 'int' object is not iterable"),
        (lambda c: c["config"].update(layers="ab"), r"A serialized layer must be a dict"),
        (lambda c: c["config"].update(build_input_shape="abc"), r"cannot build"),
        (lambda c: c["config"].update(build_input_shape=[None, -6]), r"negative dimensions"),
        (lambda c: c.update(config="x"), r"cannot build: AttributeError"),
        (lambda c: c.update(module=5), r"cannot build: AttributeError"),
        (lambda c: c["config"]["layers"][1].update(config=[1, 2]), r"argument after \*\* must be a mapping"),
        (lambda c: c["config"]["layers"][1].update(module=5), r"in module 5, which is not part of Keras"),
        (lambda c: c["config"]["layers"][0]["config"].update(dtype="nope"), r"data type 'nope' not understood"),
        (lambda c: c["compile_config"].update(optimizer="nope"), r"Could not interpret optimizer identifier"),
        (lambda c: c["compile_config"].update(loss={"module": "os", "class_name": "system"}), r"interpret loss"),
    ],
)
def test_bad_model_configs(good, tmp_path, change, message):
    config = config_of(good)
    change(config)
    with pytest.raises(ModelFileError, match=message):
        npkeras.models.load_model(write(tmp_path / "m.keras", with_config(good, config)))


# ---- 4. weights of the wrong shape, count or naming ------------------------------------------------
def edit_arrays(arrays, edit):
    arrays = dict(arrays)
    edit(arrays)
    return arrays


WEIGHT_EDITS = {
    "wrong-shape": (
        lambda a: a.update({"layers/dense/vars/0": np.zeros((4, 6), "f4")}),
        r"the weight 'kernel' of 'hidden' has shape \(6, 4\), but the file holds an array of shape \(4, 6\)",
    ),
    "wrong-rank": (
        lambda a: a.update({"layers/dense_1/vars/1": np.zeros((3, 1), "f4")}),
        r"of 'out' has shape \(3,\), but the file holds an array of shape \(3, 1\)",
    ),
    "too-many": (
        lambda a: a.update({"layers/dense/vars/2": np.zeros(4, "f4")}),
        r"layer 'hidden' \(at 'layers/dense'\) expected 2 variables, but received 3 variables",
    ),
    "too-few": (
        lambda a: a.pop("layers/dense_1/vars/1"),
        r"layer 'out' \(at 'layers/dense_1'\) expected 2 variables, but received 1 variables",
    ),
    "group-missing": (
        lambda a: [a.pop(k) for k in ["layers/dense/vars/0", "layers/dense/vars/1"]],
        r"layer 'hidden' \(at 'layers/dense'\) expected 2 variables, but received 0 variables",
    ),
    "indices-0-2": (
        lambda a: a.update({"layers/dense/vars/2": a.pop("layers/dense/vars/1")}),
        r"the variables of 'layers/dense/vars' are numbered \[0, 2\], not 0\.\.n-1",
    ),
    "indices-1-2": (
        lambda a: a.update(
            {"layers/dense/vars/2": a.pop("layers/dense/vars/1"), "layers/dense/vars/1": a.pop("layers/dense/vars/0")}
        ),
        r"numbered \[1, 2\], not 0\.\.n-1",
    ),
    "index-not-a-number": (
        lambda a: a.update({"layers/dense/vars/x": a.pop("layers/dense/vars/1")}),
        r"'layers/dense/vars' holds entries that are not variable indices: \['x'\]",
    ),
    "index-leading-zero": (
        lambda a: a.update({"layers/dense/vars/01": a.pop("layers/dense/vars/1")}),
        r"not variable indices: \['01'\]",
    ),
    "not-under-vars": (
        lambda a: a.update({"layers/dense/kernel": np.zeros((6, 4), "f4")}),
        r"array 'layers/dense/kernel\.npy' is not under a '<path>/vars/<index>' name",
    ),
    "string-array": (
        lambda a: a.update({"layers/dense/vars/1": np.array(["a", "b", "c", "d"])}),
        r"array 'layers/dense/vars/1' has dtype <U1; weights must be numbers",
    ),
    "complex-array": (
        lambda a: a.update({"layers/dense/vars/1": np.zeros(4, complex)}),
        r"has dtype complex128; weights must be numbers",
    ),
    "structured-array": (
        lambda a: a.update({"layers/dense/vars/1": np.zeros(4, [("a", "f4")])}),
        r"weights must be numbers",
    ),
    "optimizer-wrong-shape": (
        lambda a: a.update({"optimizer/vars/2": np.zeros((5, 5), "f4")}),
        r"of 'adam' has shape \(6, 4\), but the file holds an array of shape \(5, 5\)",
    ),
}


@pytest.mark.parametrize("edit", list(WEIGHT_EDITS))
def test_bad_weights_inside_the_archive(good, tmp_path, edit):
    change, message = WEIGHT_EDITS[edit]
    arrays = edit_arrays(npz_arrays(members_of(good.bytes["npz"])["model.weights.npz"]), change)
    path = write(tmp_path / "m.keras", rebuilt(good.bytes["npz"], {"model.weights.npz": npz_bytes(arrays)}))
    with pytest.raises(ModelFileError, match=message) as info:
        npkeras.models.load_model(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("edit", list(WEIGHT_EDITS))
def test_bad_standalone_weights_npz_changes_nothing(good, target, tmp_path, edit):
    change, message = WEIGHT_EDITS[edit]
    path = write(tmp_path / "w.weights.npz", npz_bytes(edit_arrays(npz_arrays(good.bytes["weights.npz"]), change)))
    before = snapshot(target)
    with pytest.raises(ModelFileError, match=message):
        target.load_weights(path)
    assert_same(before, snapshot(target))
    # The same model then loads the good file, so nothing was left half-done.
    target.load_weights(good.paths["weights.npz"])
    assert_same(target.get_weights(), good.weights)


def test_extra_non_npy_member_in_weights_npz(good, target, tmp_path):
    data = rebuilt(good.bytes["weights.npz"], {"layers/dense/vars/0.pkl": b"\x80\x04N."})
    with pytest.raises(ModelFileError, match=r"unexpected member 'layers/dense/vars/0\.pkl' \(an npz holds only"):
        target.load_weights(write(tmp_path / "w.weights.npz", data))


H5_EDITS = {
    "wrong-shape": (
        lambda f: (
            f.__delitem__("layers/dense/vars/0"),
            f.create_dataset("layers/dense/vars/0", data=np.zeros((4, 6))),
        ),
        r"of 'hidden' has shape \(6, 4\), but the file holds an array of shape \(4, 6\)",
    ),
    "group-missing": (
        lambda f: f.__delitem__("layers/dense_1"),
        r"layer 'out' \(at 'layers/dense_1'\) expected 2 variables, but received 0 variables",
    ),
    "too-many": (
        lambda f: f.create_dataset("layers/dense/vars/2", data=np.zeros(4)),
        r"expected 2 variables, but received 3 variables",
    ),
    "indices-0-2": (
        lambda f: f.move("layers/dense/vars/1", "layers/dense/vars/2"),
        r"numbered \[0, 2\], not 0\.\.n-1",
    ),
    "group-instead-of-array": (
        lambda f: f.create_group("layers/dense/vars/2"),
        r"'layers/dense/vars/2' should be an array but is a group",
    ),
    "string-array": (
        lambda f: (f.__delitem__("layers/dense/vars/1"), f.create_dataset("layers/dense/vars/1", data=[b"ab"] * 4)),
        r"has dtype (\|S2|object); weights must be numbers",
    ),
    "vlen-strings": (
        lambda f: (
            f.__delitem__("layers/dense/vars/1"),
            f.create_dataset("layers/dense/vars/1", data=["a"] * 4, dtype=h5py.string_dtype()),
        ),
        r"has dtype object; weights must be numbers",
    ),
    "object-references": (
        lambda f: (f.__delitem__("layers/dense/vars/1"), f.create_dataset("layers/dense/vars/1", (4,), h5py.ref_dtype)),
        r"has dtype object; weights must be numbers",
    ),
    "empty-dataspace": (
        lambda f: (
            f.__delitem__("layers/dense/vars/1"),
            f.create_dataset("layers/dense/vars/1", data=h5py.Empty("f4")),
        ),
        r"damaged HDF5 file",
    ),
    "soft-link-loop": (
        lambda f: f.__setitem__("layers/dense/loop", h5py.SoftLink("/layers")),
        r"'layers/dense/loop' is a SoftLink; weights files hold no links",
    ),
    "hard-link-loop": (
        lambda f: f.__setitem__("layers/dense/loop", f["layers"]),
        r"'layers/dense/loop' links back to a group already read \(a loop\)",
    ),
    "huge-declared-shape": (
        lambda f: (
            f.__delitem__("layers/dense/vars/1"),
            f.create_dataset("layers/dense/vars/1", shape=(10**9, 10**3), dtype="f4", chunks=(1000, 1000)),
        ),
        r"refusing a possible decompression bomb",
    ),
    "shape-product-wraps": (
        lambda f: (
            f.__delitem__("layers/dense/vars/1"),
            f.create_dataset("layers/dense/vars/1", shape=(2**32, 2**32), dtype="f4", chunks=(1000, 1000)),
        ),
        r"declare far more bytes than the file holds",
    ),
    "gzip-bomb": (
        lambda f: (
            f.__delitem__("layers/dense/vars/1"),
            f.create_dataset("layers/dense/vars/1", data=np.zeros((4096, 4096), "f4"), compression="gzip"),
        ),
        r"refusing a possible decompression bomb",
    ),
}


@pytest.mark.parametrize("edit", list(H5_EDITS))
def test_bad_standalone_weights_h5_changes_nothing(good, target, tmp_path, edit):
    change, message = H5_EDITS[edit]
    path = h5_copy(good.paths["weights.h5"], tmp_path / "w.weights.h5", change)
    before = snapshot(target)
    start = time.perf_counter()
    with pytest.raises(ModelFileError, match=message):
        target.load_weights(path)
    assert time.perf_counter() - start < 10
    assert_same(before, snapshot(target))


def test_h5_external_link_is_not_followed(good, target, tmp_path):
    def link(f):
        del f["layers/dense/vars"]
        f["layers/dense/vars"] = h5py.ExternalLink(str(good.paths["weights.h5"]), "/layers/dense/vars")

    path = h5_copy(good.paths["weights.h5"], tmp_path / "w.weights.h5", link)
    with pytest.raises(ModelFileError, match=r"'layers/dense/vars' is a ExternalLink; weights files hold no links"):
        target.load_weights(path)


def test_bad_weights_in_an_h5_archive(good, tmp_path):
    weights = h5_copy(good.paths["weights.h5"], tmp_path / "w.weights.h5", H5_EDITS["wrong-shape"][0]).read_bytes()
    path = write(tmp_path / "m.keras", rebuilt(good.bytes["h5"], {"model.weights.h5": weights}))
    with pytest.raises(ModelFileError, match=H5_EDITS["wrong-shape"][1]):
        npkeras.models.load_model(path)


# ---- 5. pickles are never loaded -------------------------------------------------------------
class Payload:
    """Unpickling this creates the file `marker`: proof that code ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_object_array_is_refused(good, target, tmp_path):
    arrays = {**npz_arrays(good.bytes["weights.npz"]), "layers/dense/vars/1": np.array([{"a": 1}], dtype=object)}
    path = write(tmp_path / "w.weights.npz", npz_bytes(arrays, allow_pickle=True))
    with pytest.raises(ModelFileError, match=r"array 'layers/dense/vars/1' has dtype object; weights must be numbers"):
        target.load_weights(path)


def test_pickle_payload_never_runs(good, target, tmp_path):
    marker = tmp_path / "unpickled"
    arrays = {**npz_arrays(good.bytes["weights.npz"]), "layers/dense/vars/0": np.array([Payload(marker)], dtype=object)}
    weights = npz_bytes(arrays, allow_pickle=True)
    standalone = write(tmp_path / "w.weights.npz", weights)
    archive = write(tmp_path / "m.keras", rebuilt(good.bytes["npz"], {"model.weights.npz": weights}))
    before = snapshot(target)
    with pytest.raises(ModelFileError, match=r"has dtype object; weights must be numbers"):
        target.load_weights(standalone)
    with pytest.raises(ModelFileError, match=r"has dtype object; weights must be numbers"):
        npkeras.models.load_model(archive)
    with pytest.raises(ModelFileError, match=r"has dtype object; weights must be numbers"):
        target.load_weights(archive)
    assert not marker.exists()
    assert_same(before, snapshot(target))
    # The control: unpickling the same array does run the payload.
    with np.load(standalone, allow_pickle=True) as z:
        z["layers/dense/vars/0"]
    assert marker.exists()


def test_pickle_disguised_as_npy(good, target, tmp_path):
    """A member named .npy that is a bare pickle (no npy magic)."""
    import pickle

    marker = tmp_path / "unpickled"
    data = rebuilt(good.bytes["weights.npz"], {"layers/dense/vars/0.npy": pickle.dumps(Payload(marker))})
    with pytest.raises(ModelFileError, match=r"array 'layers/dense/vars/0' is damaged"):
        target.load_weights(write(tmp_path / "w.weights.npz", data))
    assert not marker.exists()


# ---- 6. bombs: sizes declared far beyond what the file holds ------------------------------------
def assert_quick_and_small(call, exception, match):
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(exception, match=match):
            call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - start < 5
    assert peak < 64 << 20, f"loading allocated {peak} bytes"


@pytest.mark.parametrize("variant", ["h5", "npz"])
@pytest.mark.parametrize("member", ["config.json", "metadata.json", "weights"])
@pytest.mark.parametrize("size", [0xFFFFFFFF, 200 << 20])
def test_zip_member_declaring_a_huge_size(good, tmp_path, variant, member, size):
    member = f"model.weights.{variant}" if member == "weights" else member
    data = patch_headers(good.bytes[variant], member, *FILE_SIZE, "<I", size)
    path = write(tmp_path / "bomb.keras", data)
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo(member).file_size == size
    message = rf"member '{member}' declares {size} bytes but stores \d+; refusing a possible decompression bomb"
    assert_quick_and_small(lambda: npkeras.models.load_model(path), ModelFileError, message)


def test_zip_member_declaring_one_byte_more(good, tmp_path):
    info_size = len(members_of(good.bytes["npz"])["model.weights.npz"])
    data = patch_headers(good.bytes["npz"], "model.weights.npz", *FILE_SIZE, "<I", info_size + 1)
    with pytest.raises(ModelFileError, match=rf"holds {info_size} bytes, not the {info_size + 1} declared"):
        npkeras.models.load_model(write(tmp_path / "m.keras", data))


def test_real_deflate_bomb(good, tmp_path):
    """64 MiB of zeros DEFLATEd to ~64 KiB, declared truthfully: refused by the expansion ratio before inflating."""
    path = tmp_path / "bomb.keras"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name, data in members_of(good.bytes["npz"]).items():
            if name != "model.weights.npz":
                zf.writestr(name, data)
        with zf.open(zipfile.ZipInfo("model.weights.npz"), "w", force_zip64=True) as member:
            pass
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name, data in members_of(good.bytes["npz"]).items():
            if name != "model.weights.npz":
                zf.writestr(name, data)
        info = zipfile.ZipInfo("model.weights.npz")
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as member:
            chunk = bytes(1 << 20)
            for _ in range(64):
                member.write(chunk)
    assert path.stat().st_size < 1 << 20
    message = r"member 'model\.weights\.npz' declares 67108864 bytes but stores \d+; refusing a possible decompression"
    assert_quick_and_small(lambda: npkeras.models.load_model(path), ModelFileError, message)


@pytest.mark.parametrize(
    ("shape", "message"),
    [
        ((10**9, 10**3), r"declares shape \(1000000000, 1000\) of float32 but stores only \d+ bytes; refusing"),
        ((2**40,), r"refusing a possible decompression bomb"),
        ((10**30,), r"refusing a possible decompression bomb"),  # does not fit an int64
        ((2**32, 2**32), r"refusing a possible decompression bomb"),  # an int64 product would wrap to 0
        ((-1, 4), r"array 'layers/dense/vars/0' is damaged"),
        ((6, 4, 10**6), r"refusing a possible decompression bomb"),
    ],
)
def test_npy_header_declaring_a_huge_shape(good, target, tmp_path, shape, message):
    arrays = npz_arrays(good.bytes["weights.npz"])
    members = {f"{name}.npy": None for name in arrays}
    data = members_of(good.bytes["weights.npz"])
    data["layers/dense/vars/0.npy"] = raw_npy(shape)
    assert set(data) == set(members)
    standalone = write(tmp_path / "w.weights.npz", stored_zip(data))
    before = snapshot(target)
    assert_quick_and_small(lambda: target.load_weights(standalone), ModelFileError, message)
    assert_same(before, snapshot(target))
    archive = write(tmp_path / "m.keras", rebuilt(good.bytes["npz"], {"model.weights.npz": stored_zip(data)}))
    assert_quick_and_small(lambda: npkeras.models.load_model(archive), ModelFileError, message)


def test_many_arrays_each_under_the_limit_but_too_many_in_all(good, target, tmp_path):
    """Each array declares ~16 MB (under the per-array floor) with 16 bytes stored; together they are refused."""
    data = {f"layers/dense/vars/{i}.npy": raw_npy((4_000_000,)) for i in range(40)}
    path = write(tmp_path / "w.weights.npz", stored_zip(data))
    assert_quick_and_small(lambda: target.load_weights(path), ModelFileError, r"far more bytes than the file holds")


def test_npy_header_too_long(good, target, tmp_path):
    header = b"\x93NUMPY\x02\x00" + struct.pack("<I", 10**8) + b"{" + b" " * 100
    data = rebuilt(good.bytes["weights.npz"], {"layers/dense/vars/0.npy": header})
    path = write(tmp_path / "w.weights.npz", data)
    assert_quick_and_small(lambda: target.load_weights(path), ModelFileError, r"array 'layers/dense/vars/0' is damaged")


@pytest.mark.parametrize(
    "header",
    [
        "{'descr': '<f4', 'fortran_order': False, 'shape': __import__('os').system('echo hi')}",
        "{'descr': 'O', 'fortran_order': False, 'shape': (1,)}",
        "{'descr': [('a', 'O')], 'fortran_order': False, 'shape': (1,)}",
        "{'descr': '<f4', 'fortran_order': False}",
        "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((",
    ],
    ids=["code", "object", "object-field", "no-shape", "deep"],
)
def test_npy_header_hostile_text(good, target, tmp_path, header):
    text = header.encode("latin1")
    raw = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text) + 1) + text + b"\n" + b"\0" * 96
    path = write(tmp_path / "w.weights.npz", rebuilt(good.bytes["weights.npz"], {"layers/dense/vars/0.npy": raw}))
    with pytest.raises(ModelFileError, match=r"array 'layers/dense/vars/0' (is damaged|has dtype)"):
        target.load_weights(path)


def test_npz_member_with_a_lying_size_reads_no_more_than_its_header(good, target, tmp_path):
    """In an npz, the .npy header sets how much is read: a member's patched zip size changes nothing."""
    data = patch_headers(good.bytes["weights.npz"], "layers/dense/vars/0.npy", *FILE_SIZE, "<I", 0xFFFFFFFF)
    path = write(tmp_path / "w.weights.npz", data)
    tracemalloc.start()
    try:
        target.load_weights(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 << 20
    assert_same(target.get_weights(), good.weights)


# ---- 7. random byte flips -----------------------------------------------------------------------
def test_fuzz_keras_archive_byte_flips(good, tmp_path):
    path = tmp_path / "fuzz.keras"
    counts = {}

    @settings(max_examples=1000, **FUZZ_SETTINGS)
    @given(variant=st.sampled_from(["h5", "npz"]), flips=FLIPS)
    def load_flipped(variant, flips):
        path.write_bytes(flipped(good.bytes[variant], flips))
        try:
            model = npkeras.models.load_model(path)
        except ALLOWED as e:
            counts[type(e).__name__] = counts.get(type(e).__name__, 0) + 1
        else:  # a flip the zip CRCs do not cover (a header's time or version): the model is intact
            counts["ok"] = counts.get("ok", 0) + 1
            assert_same(model.get_weights(), good.weights)

    load_flipped()
    assert counts.get("ModelFileError", 0) > 500, counts


def test_fuzz_weights_npz_byte_flips(good, target, tmp_path):
    path = tmp_path / "fuzz.weights.npz"
    target.load_weights(good.paths["weights.npz"])
    counts = {}

    @settings(max_examples=1000, **FUZZ_SETTINGS)
    @given(flips=FLIPS)
    def load_flipped(flips):
        path.write_bytes(flipped(good.bytes["weights.npz"], flips))
        try:
            target.load_weights(path)
        except ALLOWED as e:
            counts[type(e).__name__] = counts.get(type(e).__name__, 0) + 1
        else:
            counts["ok"] = counts.get("ok", 0) + 1
        # Loaded or refused, the model holds exactly the good file's weights: nothing corrupt got in.
        assert_same(target.get_weights(), good.weights)

    load_flipped()
    assert counts.get("ModelFileError", 0) > 500, counts


H5_LOADER = """
import sys
import npkeras
from npkeras.saving import ModelFileError

model = npkeras.models.load_model(sys.argv[1])
for path in open(sys.argv[2]).read().split():
    print("START", path, flush=True)
    try:
        model.load_weights(path)
        kind = "ok"
    except ModelFileError:
        kind = "ModelFileError"
    except ValueError:
        kind = "ValueError"
    except BaseException as e:
        kind = "OTHER:" + type(e).__module__ + "." + type(e).__qualname__ + ":" + repr(str(e)[:200])
    print("END", path, kind, flush=True)
"""


def run_loader(model_path, files, tmp_path):
    """Load each file in a subprocess, restarting after a crash; (outcome per file, crashed/hung files)."""
    outcomes, bad = {}, []
    pending = list(files)
    while pending:
        listing = tmp_path / "files.txt"
        listing.write_text("\n".join(str(f) for f in pending))
        try:
            # a hang never ends, so a budget of seconds per file only spares a loaded machine false alarms
            result = run_python(H5_LOADER, model_path, listing, timeout=max(120, 3 * len(pending)))
            stdout, rc = result.stdout, result.returncode
        except subprocess.TimeoutExpired as e:
            stdout = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
            rc = "timeout"
        for line in stdout.splitlines():
            if line.startswith("END "):
                _, name, kind = line.split(" ", 2)
                outcomes[name] = kind
        started = [line.split(" ", 1)[1] for line in stdout.splitlines() if line.startswith("START ")]
        if rc == 0:
            break
        if not started or started[-1] in outcomes:
            bad.append(("loader", rc, stdout[-2000:]))
            break
        bad.append((started[-1], rc))
        pending = pending[pending.index(Path(started[-1])) + 1 :]
    return outcomes, bad


def test_fuzz_weights_h5_byte_flips_in_a_subprocess(good, tmp_path):
    """HDF5 parses the bytes itself (no zip CRC in front), so a crash of the C library must show as a failure."""
    files = []

    # The same flips every run: a random draw once made HDF5's C library spin for over 9 minutes on one file,
    # a hang in HDF5 that CI must not meet by chance.
    @settings(max_examples=200, deadline=None, database=None, derandomize=True)
    @given(flips=FLIPS)
    def write_flipped(flips):
        path = tmp_path / f"flip{len(files):04d}.weights.h5"
        path.write_bytes(flipped(good.bytes["weights.h5"], flips))
        files.append(path)

    write_flipped()
    assert len(files) >= 100
    outcomes, bad = run_loader(good.paths["npz"], files, tmp_path)
    assert not bad, f"HDF5 crashed or hung on: {bad}"
    assert len(outcomes) == len(files)
    other = {name: kind for name, kind in outcomes.items() if kind not in ("ok", "ModelFileError", "ValueError")}
    assert not other, other
    assert list(outcomes.values()).count("ModelFileError") > 10


# ---- 8. more hostile cases ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("npkeras_state", "message"),
    [
        ({"random_state": "garbage"}, r"its saved random state is invalid \(TypeError: state must be a dict\)"),
        ({"random_state": None}, r"its saved random state is invalid"),
        ({"random_state": {"bit_generator": "MT19937", "state": {}}}, r"state must be for a PCG64 RNG"),
        ({"random_state": {"bit_generator": "os.system", "state": {}}}, r"state must be for a PCG64 RNG"),
        ({"random_state": {"bit_generator": "PCG64"}}, r"its saved random state is invalid \(KeyError"),
        ({"random_state": {"bit_generator": "PCG64", "state": {"state": -1, "inc": 1}}}, r"OverflowError"),
        ({"random_state": {"bit_generator": "PCG64", "state": {"state": 2**200, "inc": 1}}}, r"OverflowError"),
        ({"random_state": {"bit_generator": "PCG64", "state": "x"}}, r"its saved random state is invalid"),
        ({"layer_random_states": [1, 2]}, r"its saved random state is invalid \(AttributeError"),
    ],
)
def test_bogus_random_state_in_metadata(good, tmp_path, npkeras_state, message):
    metadata = json.loads(members_of(good.bytes["npz"])["metadata.json"])
    metadata["npkeras"] = npkeras_state
    path = write(tmp_path / "m.keras", rebuilt(good.bytes["npz"], {"metadata.json": json.dumps(metadata)}))
    before = npkeras.backend.random.get_state()
    with pytest.raises(ModelFileError, match=message):
        npkeras.models.load_model(path)
    assert npkeras.backend.random.get_state() == before


@pytest.mark.parametrize("metadata", ["[1, 2]", '{"npkeras": "garbage"}', '{"npkeras": [1]}', None])
def test_metadata_that_is_not_npkeras_state_is_ignored(good, tmp_path, metadata):
    data = rebuilt(good.bytes["npz"], {"metadata.json": metadata} if metadata else None, drop={"metadata.json"})
    model = npkeras.models.load_model(write(tmp_path / "m.keras", data))
    assert_same(model.get_weights(), good.weights)


def test_metadata_not_json(good, tmp_path):
    data = rebuilt(good.bytes["h5"], {"metadata.json": "{oops"})
    with pytest.raises(ModelFileError, match=r"metadata\.json is not valid JSON"):
        npkeras.models.load_model(write(tmp_path / "m.keras", data))


def test_zip_path_traversal_names_are_never_extracted(good, tmp_path):
    """Members named '../x' or '/abs' are never written anywhere: loading reads members in memory."""
    escape = tmp_path / "outside.txt"
    inner = tmp_path / "inner"
    inner.mkdir()
    data = rebuilt(good.bytes["npz"], {"../outside.txt": b"x", str(escape): b"x"})
    model = npkeras.models.load_model(write(inner / "m.keras", data))
    assert not escape.exists() and sorted(p.name for p in inner.iterdir()) == ["m.keras"]
    assert_same(model.get_weights(), good.weights)


@pytest.mark.parametrize(("fields", "value"), [(METHOD, 99), (METHOD, 1)], ids=["aes", "shrink"])
def test_unsupported_compression_method_in_archive(good, tmp_path, fields, value):
    data = patch_headers(good.bytes["npz"], "config.json", *fields, "<H", value)
    with pytest.raises(ModelFileError, match=rf"member 'config.json' uses compression method {value}; model files"):
        npkeras.models.load_model(write(tmp_path / "m.keras", data))


def test_bzip2_garbage_in_archive(good, tmp_path):
    data = patch_headers(good.bytes["h5"], "model.weights.h5", *METHOD, "<H", zipfile.ZIP_BZIP2)
    with pytest.raises(ModelFileError, match=r"'model.weights.h5' uses compression method 12; model files are stored"):
        npkeras.models.load_model(write(tmp_path / "m.keras", data))


# ---- cases that found bugs (each was an xfail until npkeras was fixed) --------------------------
@pytest.mark.parametrize("member", ["config.json", "metadata.json", "model.weights.h5"])
def test_encrypted_member_in_archive(good, tmp_path, member):
    data = patch_headers(good.bytes["h5"], member, *FLAGS, "<H", 0x1)
    with pytest.raises(ModelFileError, match=rf"member '{member}' is encrypted; model files never are"):
        npkeras.models.load_model(write(tmp_path / "m.keras", data))


@pytest.mark.parametrize(
    ("method", "content"),
    [(zipfile.ZIP_DEFLATED, b"\xff" * 64), (zipfile.ZIP_LZMA, b"\x00\x00\x05\x00" + b"\xff" * 5 + b"\0" * 55)],
    ids=["deflate", "lzma"],
)
def test_bad_compressed_stream_in_archive(good, tmp_path, method, content):
    data = patch_headers(rebuilt(good.bytes["npz"], {"config.json": content}), "config.json", *METHOD, "<H", method)
    with pytest.raises(ModelFileError, match=r"damaged zip archive: error|uses compression method 14"):
        npkeras.models.load_model(write(tmp_path / "m.keras", data))


@pytest.mark.parametrize(
    ("fields", "value", "content"),
    [
        (FLAGS, 0x1, None),
        (FLAGS, 0x20, None),
        (FLAGS, 0x41, None),
        (METHOD, 99, None),
        (METHOD, zipfile.ZIP_DEFLATED, b"\xff" * 64),
    ],
    ids=["encrypted", "patched-data", "strong-encryption", "method-99", "bad-deflate"],
)
def test_bad_npz_member_headers(good, target, tmp_path, fields, value, content):
    name = "layers/dense/vars/0.npy"
    data = good.bytes["weights.npz"] if content is None else rebuilt(good.bytes["weights.npz"], {name: content})
    path = write(tmp_path / "w.weights.npz", patch_headers(data, name, *fields, "<H", value))
    with pytest.raises(
        ModelFileError, match=r"'layers/dense/vars/0(\.npy' is encrypted|\.npy' uses compression|' is dam)"
    ):
        target.load_weights(path)


@pytest.mark.parametrize(
    "text",
    [
        '{"class_name": "Sequential", "module": 5}',
        '{"class_name": "Sequential", "config": "x"}',
        '{"class_name": "Sequential", "config": {"layers": 5}}',
        '{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": [1]}]}}',
    ],
)
def test_model_from_json_hostile_config(text):
    with pytest.raises(ValueError):
        npkeras.models.model_from_json(text)


VDS_LOADER = """
import sys, faulthandler
faulthandler.enable()
import npkeras
from npkeras.saving import ModelFileError
model = npkeras.models.load_model(sys.argv[1])
try:
    model.load_weights(sys.argv[2])
    print("ok")
except ModelFileError as e:
    print("ModelFileError", e)
"""


@pytest.mark.parametrize("source", ["other-file", "itself"])
def test_h5_virtual_dataset_is_refused(good, tmp_path, source):
    def virtual(f):
        layout = h5py.VirtualLayout(shape=(6, 4), dtype="float32")
        if source == "other-file":
            layout[:] = h5py.VirtualSource(str(good.paths["weights.h5"]), "layers/dense/vars/0", shape=(6, 4))
        else:  # a VDS whose source is itself
            layout[:] = h5py.VirtualSource(".", "/layers/dense/vars/0", shape=(6, 4))
        del f["layers/dense/vars/0"]
        f.create_virtual_dataset("layers/dense/vars/0", layout)

    path = h5_copy(good.paths["weights.h5"], tmp_path / "vds.weights.h5", virtual)
    result = run_python(VDS_LOADER, good.paths["npz"], path, timeout=60)
    assert result.returncode == 0, f"rc={result.returncode}: {result.stderr[-1500:]}"
    assert result.stdout.startswith("ModelFileError")


def test_h5_external_storage_is_refused(good, target, tmp_path):
    secret = write(tmp_path / "secret.bin", np.arange(24, dtype="<f4").tobytes())

    def external(f):
        del f["layers/dense/vars/0"]
        f.create_dataset("layers/dense/vars/0", shape=(6, 4), dtype="<f4", external=[(str(secret), 0, 96)])

    path = h5_copy(good.paths["weights.h5"], tmp_path / "ext.weights.h5", external)
    with pytest.raises(ModelFileError, match=r"(?i)external"):
        target.load_weights(path)


HUGE_UNITS_LOADER = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))  # a huge allocation fails here, whatever the OS
import npkeras
from npkeras.saving import ModelFileError
try:
    npkeras.models.load_model(sys.argv[1])
    print("ok")
except ValueError as e:
    print(type(e).__name__, str(e)[:300])
except MemoryError as e:
    print("MemoryError", str(e)[:300])
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS caps memory on Linux")
def test_huge_units_are_refused_before_allocating(good, tmp_path):
    path = write(tmp_path / "m.keras", with_config(good, dense_config(good, units=10**12)))
    env = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    result = run_python(HUGE_UNITS_LOADER, path, timeout=60, env=env)
    assert result.returncode == 0, result.stderr[-1500:]
    assert result.stdout.startswith(("ModelFileError", "ValueError")), result.stdout
