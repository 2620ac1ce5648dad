"""Weight files as bytes: HDF5 and npz round trips, and what reading refuses."""

import io

import numpy as np
import pytest

from npkeras.saving import ModelFileError
from npkeras.saving.weight_files import (
    WeightGroups,
    from_h5_bytes,
    from_npz_bytes,
    h5_available,
    to_h5_bytes,
    to_npz_bytes,
)


def groups():
    g = WeightGroups(
        {
            "": {},
            "layers/dense": {"0": np.ones((2, 3), np.float32), "1": np.zeros(3, np.float32)},
            "optimizer": {"0": np.int64(4)},
        }
    )
    g.names.update({"": "sequential", "layers/dense": "dense", "optimizer": "adam"})
    return g


def test_npz_round_trip_keeps_order_dtype_and_shape():
    back = from_npz_bytes(to_npz_bytes(groups()), "test")
    assert list(back["layers/dense"]) == ["0", "1"]
    assert list(back["layers/dense"]["0"].shape) == [2, 3] and back["optimizer"]["0"].dtype == np.int64
    np.testing.assert_array_equal(back["layers/dense"]["0"], np.ones((2, 3)))
    assert "" not in back  # an object without variables leaves no array in npz


def test_h5_round_trip_writes_keras_groups_and_names():
    h5py = pytest.importorskip("h5py")
    data = to_h5_bytes(groups())
    with h5py.File(io.BytesIO(data)) as f:
        assert f["layers/dense/vars"].attrs["name"] == "dense" and f["vars"].attrs["name"] == "sequential"
        assert f["layers/dense/vars/1"].shape == (3,)
    back = from_h5_bytes(data, "test")
    assert back[""] == {} and back.names["optimizer"] == "adam"
    np.testing.assert_array_equal(back["optimizer"]["0"], 4)


def test_named_entries_come_back_after_the_indices_in_both_formats():
    """A custom save_own_variables names its entries: they come back by name, variable indices first, in numeric
    order (10 after 9), then the names sorted."""
    g = WeightGroups({"layers/d": {"variables": np.ones(2), "10": np.zeros(1), "9": np.zeros(3), "0": np.ones(1)}})
    readers = [from_npz_bytes(to_npz_bytes(g), "test")]
    if h5_available():
        readers.append(from_h5_bytes(to_h5_bytes(g), "test"))
    for back in readers:
        assert list(back["layers/d"]) == ["0", "9", "10", "variables"]
        np.testing.assert_array_equal(back["layers/d"]["variables"], [1.0, 1.0])


def npz_of(**arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("arrays", "message"),
    [
        ({"layers/d/vars/0": np.array(["a"])}, "dtype <U1; weights must be numbers"),
        ({"layers/d/vars/\x01": np.zeros(1)}, "'layers/d/vars' holds entries with invalid names"),
        ({"layers/d/weights": np.zeros(1)}, "not under a '<path>/vars/<index>' name"),
    ],
)
def test_npz_refuses_what_is_not_a_weights_file(arrays, message):
    with pytest.raises(ModelFileError, match=message):
        from_npz_bytes(npz_of(**arrays), "test")


def test_npz_object_arrays_are_never_unpickled():
    data = npz_of(**{"layers/d/vars/0": np.array([{"a": 1}], dtype=object)})
    with pytest.raises(ModelFileError, match="dtype object"):
        from_npz_bytes(data, "test")


def test_npz_huge_declared_shape_is_refused_before_allocating():
    buffer = io.BytesIO()
    header = {"descr": "<f4", "fortran_order": False, "shape": (10**9, 10**3)}
    np.lib.format.write_array_header_1_0(buffer, header)
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("layers/d/vars/0.npy", buffer.getvalue() + b"\0" * 64)
    with pytest.raises(ModelFileError, match="decompression bomb"):
        from_npz_bytes(out.getvalue(), "test")


def test_not_npz_and_not_hdf5():
    with pytest.raises(ModelFileError, match="not an npz file"):
        from_npz_bytes(b"hello", "test")
    pytest.importorskip("h5py")
    with pytest.raises(ModelFileError, match="not an HDF5 file"):
        from_h5_bytes(b"PK\x03\x04 nope", "test")
