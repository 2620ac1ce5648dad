"""Weight files in Keras 3's layout, as bytes: HDF5 (h5py, optional) or npz (NumPy only).

Both hold one group per saved object, at Keras's path ("layers/dense", "layers/lstm/cell", "optimizer"; ""
for the model itself), with the entries its save_own_variables wrote under "vars/<entry>": its variables as
"vars/0", "vars/1", ..., and whatever names a custom save_own_variables gives. In HDF5 the group is
"<path>/vars" with a "name" attribute, as Keras writes it. In npz each variable is its own array under
"<path>/vars/<i>"; Keras's own npz store pickles a dict per group instead (and cannot read it back
with allow_pickle=False), so npz weights are npkeras's, readable by anything that reads npz.

`WeightGroups` maps path -> {entry name: array}. Reading validates everything a hostile file could get
wrong (names, dtypes, declared sizes) and raises ModelFileError; the loader checks the counts and indices of the
entries a layer loads by default.
"""

import contextlib
import io
import lzma
import re
import tokenize
import zipfile
import zlib

import numpy as np

from npkeras.saving.errors import ModelFileError

# An array may declare at most this many times the bytes its file stores (uncompressed weights are
# ~1:1; DEFLATE cannot pass ~1032:1), plus a floor so tiny files with small arrays always load.
MAX_EXPANSION = 100
EXPANSION_FLOOR_BYTES = 1 << 24
_INDEX = re.compile(r"(0|[1-9][0-9]{0,8})")
_ENTRY = re.compile(r"[^/\x00-\x1f\x7f]{1,200}")  # an entry's name: what an HDF5 or npz member name can hold
# What reading a damaged zip member can raise (zipfile lets the decompressors' errors through).
ZIP_ERRORS = (
    zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError,
    zlib.error, lzma.LZMAError,
)  # fmt: skip
READABLE_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def check_zip_member(info, source):
    """Refuse an encrypted member, or one packed with a method other than stored or DEFLATE."""
    if info.flag_bits & 0x41:
        raise ModelFileError(f"{source}: member {info.filename!r} is encrypted; model files never are.")
    if info.compress_type not in READABLE_METHODS:
        raise ModelFileError(
            f"{source}: member {info.filename!r} uses compression method {info.compress_type}; "
            "model files are stored or DEFLATE-compressed."
        )


class WeightGroups(dict):
    """path -> {entry name: array}; `names` holds each group's object name (HDF5's "name" attribute)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.names = {}


# ---- HDF5 -------------------------------------------------------------------------------
def _h5py():
    try:
        import h5py
    except ImportError as e:
        raise ImportError(
            "Reading and writing HDF5 weights (.weights.h5, and .keras files made by Keras) needs h5py: "
            "pip install 'npkeras[h5]'. Without it, save with weights_format='npz'."
        ) from e
    return h5py


def h5_available():
    try:
        _h5py()
    except ImportError:
        return False
    return True


def to_h5_bytes(groups):
    h5py = _h5py()
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        for path, entries in groups.items():
            group = f.create_group(f"{path}/vars" if path else "vars")
            name = groups.names.get(path)
            if name:
                group.attrs["name"] = name
            for key, array in entries.items():
                group[key] = np.asarray(array)
    return buffer.getvalue()


def from_h5_bytes(data, source):
    h5py = _h5py()
    if not data.startswith(b"\x89HDF\r\n\x1a\n"):
        raise ModelFileError(f"{source} is not an HDF5 file (its first bytes are {data[:8]!r}).")
    budget = [max(EXPANSION_FLOOR_BYTES, MAX_EXPANSION * len(data))]
    try:
        with h5py.File(io.BytesIO(data), "r") as f:
            groups = WeightGroups()
            _collect_h5(f, "", groups, budget, source, h5py)
            return groups
    except ModelFileError:
        raise
    except (OSError, KeyError, ValueError, TypeError, RuntimeError, RecursionError, AttributeError, OverflowError,
            IndexError, MemoryError) as e:  # fmt: skip
        raise ModelFileError(f"{source} is a damaged HDF5 file: {type(e).__name__}: {e}") from None


def _collect_h5(group, path, groups, budget, source, h5py, visited=None):
    """Find every "vars" group under `group`, following hard links only, each group once."""
    visited = set() if visited is None else visited
    for key in group:
        where = f"{path}/{key}" if path else key
        link = group.get(key, getlink=True)
        if not isinstance(link, h5py.HardLink):
            raise ModelFileError(f"{source}: '{where}' is a {type(link).__name__}; weights files hold no links.")
        item = group.get(key)
        if not isinstance(item, h5py.Group):
            continue
        if item.id in visited:
            raise ModelFileError(f"{source}: '{where}' links back to a group already read (a loop).")
        visited.add(item.id)
        if key == "vars":
            groups[path] = _h5_vars(item, path, budget, source, h5py)
            name = item.attrs.get("name")
            if isinstance(name, (str, bytes)):
                groups.names[path] = name.decode("utf-8", "replace") if isinstance(name, bytes) else name
        else:
            _collect_h5(item, where, groups, budget, source, h5py, visited)


def _h5_vars(vars_group, path, budget, source, h5py):
    datasets = {}
    for key in vars_group:
        item = vars_group.get(key)
        if not isinstance(item, h5py.Dataset):
            raise ModelFileError(f"{source}: '{path}/vars/{key}' should be an array but is a group.")
        datasets[key] = item
    entries = {}
    for key in _entry_names(datasets, f"{path}/vars", source):
        ds, where = datasets[key], f"{path}/vars/{key}"
        if ds.is_virtual or ds.external:  # their bytes come from other files, which a weights file never names
            raise ModelFileError(f"{source}: '{where}' reads its data from other files (virtual or external).")
        _check_dtype(ds.dtype, where, source)
        _spend(budget, int(np.prod(ds.shape, dtype=object)) * ds.dtype.itemsize, where, source)
        entries[key] = np.asarray(ds[()])
    return entries


# ---- npz --------------------------------------------------------------------------------
def to_npz_bytes(groups):
    arrays = {}
    for path, entries in groups.items():
        for key, array in entries.items():
            arrays[f"{path}/vars/{key}" if path else f"vars/{key}"] = np.asarray(array)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def from_npz_bytes(data, source):
    if not data.startswith(b"PK"):
        raise ModelFileError(f"{source} is not an npz file (its first bytes are {data[:4]!r}).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except ZIP_ERRORS as e:
        raise ModelFileError(f"{source} is a damaged npz file: {e}") from None
    budget = [max(EXPANSION_FLOOR_BYTES, MAX_EXPANSION * len(data))]
    by_path = {}
    for info in members:
        name = info.filename
        if not name.endswith(".npy"):
            raise ModelFileError(f"{source}: unexpected member {name!r} (an npz holds only .npy arrays).")
        parts = name[: -len(".npy")].rsplit("/", 2)
        if len(parts) < 2 or parts[-2] != "vars":
            raise ModelFileError(f"{source}: array {name!r} is not under a '<path>/vars/<index>' name.")
        check_zip_member(info, source)
        path = parts[0] if len(parts) == 3 else ""
        by_path.setdefault(path, {})[parts[-1]] = info
    ordered = {
        path: {key: infos[key] for key in _entry_names(infos, f"{path}/vars" if path else "vars", source)}
        for path, infos in by_path.items()
    }
    for infos in ordered.values():  # every header is checked before any array is read
        for info in infos.values():
            _check_npy_header(archive, info, budget, source)
    groups = WeightGroups()
    for path, infos in ordered.items():
        groups[path] = {key: _read_npy(archive, info, source) for key, info in infos.items()}
    return groups


def _check_npy_header(archive, info, budget, source):
    where = info.filename[: -len(".npy")]
    with _npy_errors(where, source), archive.open(info) as f:
        major, _ = np.lib.format.read_magic(f)
        read_header = getattr(np.lib.format, f"read_array_header_{major}_0", np.lib.format.read_array_header_2_0)
        shape, _, dtype = read_header(f)
    _check_dtype(dtype, where, source)
    if any(d < 0 for d in shape):
        raise ModelFileError(f"{source}: array '{where}' is damaged: its header declares shape {shape}.")
    declared = int(np.prod(shape, dtype=object)) * dtype.itemsize
    if declared > MAX_EXPANSION * max(info.compress_size, 1) + EXPANSION_FLOOR_BYTES:
        raise ModelFileError(
            f"{source}: array '{where}' declares shape {shape} of {dtype} but stores only "
            f"{info.compress_size} bytes; refusing a possible decompression bomb."
        )
    _spend(budget, declared, where, source)


def _read_npy(archive, info, source):
    where = info.filename[: -len(".npy")]
    with _npy_errors(where, source), archive.open(info) as f:
        return np.lib.format.read_array(f, allow_pickle=False)


@contextlib.contextmanager
def _npy_errors(where, source):
    try:
        yield
    except ModelFileError:
        raise
    except (*ZIP_ERRORS, TypeError, SyntaxError, OverflowError, tokenize.TokenError, RecursionError, MemoryError) as e:
        raise ModelFileError(f"{source}: array '{where}' is damaged: {type(e).__name__}: {e}") from None


# ---- shared checks ----------------------------------------------------------------------
def valid_entry_name(key):
    """Whether `key` can name an entry of a weights file: 1 to 200 characters, no '/' and no control characters."""
    return isinstance(key, str) and _ENTRY.fullmatch(key) is not None


def _entry_names(keys, where, source):
    """The entries' names, variable indices first in numeric order, then the others (a custom
    save_own_variables's) sorted; a name no member name could hold is an error."""
    bad = sorted(repr(k) for k in keys if not valid_entry_name(k))
    if bad:
        raise ModelFileError(f"{source}: '{where}' holds entries with invalid names: {bad[:5]}.")
    indices = sorted((k for k in keys if _INDEX.fullmatch(k)), key=int)
    return indices + sorted(k for k in keys if not _INDEX.fullmatch(k))


def ordered_indices(keys, where, source):
    """The keys "0".."n-1" in order, as a layer's variables are saved; anything else is an error."""
    if any(not isinstance(k, str) or not _INDEX.fullmatch(k) for k in keys):
        bad = sorted(k for k in keys if not _INDEX.fullmatch(str(k)))
        raise ModelFileError(f"{source}: '{where}' holds entries that are not variable indices: {bad[:5]}.")
    indices = sorted(int(k) for k in keys)
    if indices != list(range(len(indices))):
        raise ModelFileError(f"{source}: the variables of '{where}' are numbered {indices[:10]}, not 0..n-1.")
    return [str(i) for i in indices]


def _check_dtype(dtype, where, source):
    dtype = np.dtype(dtype)
    if dtype.kind not in "biuf" or dtype.fields is not None or dtype.subdtype is not None:
        raise ModelFileError(f"{source}: array '{where}' has dtype {dtype}; weights must be numbers.")


def _spend(budget, nbytes, where, source):
    budget[0] -= nbytes
    if budget[0] < 0:
        raise ModelFileError(
            f"{source}: array '{where}' makes the arrays declare far more bytes than the file holds; "
            "refusing a possible decompression bomb."
        )
