"""The .keras archive: a zip of metadata.json, config.json and model.weights.h5 (or .npz), as Keras 3 writes it."""

import json
import zipfile
from datetime import datetime

from npkeras.saving.atomic import atomic_write
from npkeras.saving.errors import ModelFileError
from npkeras.saving.weight_files import (
    EXPANSION_FLOOR_BYTES,
    MAX_EXPANSION,
    ZIP_ERRORS,
    check_zip_member,
    from_h5_bytes,
    from_npz_bytes,
    to_h5_bytes,
    to_npz_bytes,
)

CONFIG, METADATA, ASSETS = "config.json", "metadata.json", "assets"
WEIGHTS = {"h5": "model.weights.h5", "npz": "model.weights.npz"}
KERAS_FORMAT_VERSION = "3.15.1"  # the Keras release whose file layout npkeras writes
MAX_JSON_BYTES = 64 << 20


def write_archive(filepath, config, groups, weights_format, extra_metadata, assets=None):
    """Write the archive to a temporary file beside `filepath`, then rename it into place; `assets` maps a
    path under "assets/" (a layer's object path, then the file's name) to the file's bytes."""
    weights = to_h5_bytes(groups) if weights_format == "h5" else to_npz_bytes(groups)
    metadata = {
        "keras_version": KERAS_FORMAT_VERSION,
        "date_saved": datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
        **extra_metadata,
    }
    with atomic_write(filepath) as f, zipfile.ZipFile(f, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr(METADATA, json.dumps(metadata))
        zf.writestr(CONFIG, json.dumps(config, default=json_default))
        zf.writestr(WEIGHTS[weights_format], weights)
        for path, data in (assets or {}).items():
            zf.writestr(f"{ASSETS}/{path}", data)


def read_archive(filepath):
    """(config, metadata, weight groups) of a .keras file; anything wrong raises ModelFileError."""
    source = f"The model file {str(filepath)!r}"
    with open(filepath, "rb") as f:
        magic = f.read(4)
        if magic != b"PK\x03\x04":
            raise ModelFileError(f"{source} is not a .keras archive (a zip file): it starts with {magic!r}.")
        try:
            with zipfile.ZipFile(f) as zf:
                names = set(zf.namelist())
                if CONFIG not in names:
                    raise ModelFileError(f"{source} has no {CONFIG}: it is not a Keras model archive.")
                config = _json_member(zf, CONFIG, source)
                metadata = _json_member(zf, METADATA, source) if METADATA in names else {}
                for fmt, member in WEIGHTS.items():
                    if member in names:
                        data = _member_bytes(zf, member, source, limit=None)
                        read = from_h5_bytes if fmt == "h5" else from_npz_bytes
                        groups = read(data, f"{source} ({member})")
                        break
                else:
                    raise ModelFileError(f"{source} holds no weights: expected {' or '.join(WEIGHTS.values())}.")
        except ZIP_ERRORS as e:
            if isinstance(e, ModelFileError):
                raise
            raise ModelFileError(f"{source} is a damaged zip archive: {type(e).__name__}: {e}") from None
    if not isinstance(config, dict):
        raise ModelFileError(f"{source}: {CONFIG} must hold a JSON object, not {type(config).__name__}.")
    if not isinstance(metadata, dict):
        metadata = {}
    return config, metadata, groups


def read_assets(filepath):
    """{path under "assets/": bytes} of a .keras file's asset files (Keras's layer vocabularies and the like).

    Only plain relative paths are taken: an absolute path, a ".." part or a backslash is refused."""
    source = f"The model file {str(filepath)!r}"
    assets = {}
    try:
        with zipfile.ZipFile(filepath) as zf:
            for info in zf.infolist():
                name = info.filename
                if not name.startswith(ASSETS + "/") or info.is_dir():
                    continue
                path = name[len(ASSETS) + 1 :]
                parts = path.split("/")
                if "\\" in path or not path or any(p in ("", ".", "..") for p in parts) or ":" in parts[0]:
                    raise ModelFileError(f"{source} holds an asset at {name!r}, which escapes the assets folder.")
                assets[path] = _member_bytes(zf, name, source, limit=None)
    except ZIP_ERRORS as e:
        if isinstance(e, ModelFileError):
            raise
        raise ModelFileError(f"{source} is a damaged zip archive: {type(e).__name__}: {e}") from None
    return assets


def _member_bytes(zf, name, source, limit):
    info = zf.getinfo(name)
    check_zip_member(info, source)
    if info.file_size > MAX_EXPANSION * max(info.compress_size, 1) + EXPANSION_FLOOR_BYTES:
        raise ModelFileError(
            f"{source}: member {name!r} declares {info.file_size} bytes but stores {info.compress_size}; "
            "refusing a possible decompression bomb."
        )
    if limit is not None and info.file_size > limit:
        raise ModelFileError(f"{source}: member {name!r} is {info.file_size} bytes, more than {limit} allowed.")
    with zf.open(info) as member:
        data = member.read(info.file_size + 1)  # never more than declared: a lying header cannot make it grow
    if len(data) != info.file_size:
        raise ModelFileError(f"{source}: member {name!r} holds {len(data)} bytes, not the {info.file_size} declared.")
    return data


def _json_member(zf, name, source):
    data = _member_bytes(zf, name, source, limit=MAX_JSON_BYTES)
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise ModelFileError(f"{source}: {name} is not valid JSON ({type(e).__name__}: {e}).") from None


def json_default(value):
    import numpy as np

    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"Cannot write {type(value).__name__} {value!r} to a model config (only JSON values).")
