"""IDX files: write/read round trips, and clear errors for broken files."""

import gzip

import numpy as np
import pytest

from npkeras.datasets.idx import read_idx, write_idx


@pytest.mark.parametrize("suffix", ["", ".gz"])
@pytest.mark.parametrize(
    "array",
    [
        np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28),
        np.array([-128, 0, 127], dtype=np.int8),
        np.array([[-300, 2], [3, 32000]], dtype=np.int16),
        np.array([1, -2, 2**31 - 1], dtype=np.int32),
        np.array([[0.5, -1.25e10]], dtype=np.float32),
        np.array([np.pi, -np.e, 1e-300], dtype=np.float64),
    ],
    ids=["uint8", "int8", "int16", "int32", "float32", "float64"],
)
def test_round_trip(tmp_path, array, suffix):
    path = tmp_path / f"data-idx{suffix}"
    write_idx(path, array)
    back = read_idx(path)
    assert back.dtype == array.dtype
    assert back.shape == array.shape
    np.testing.assert_array_equal(back, array)
    back[...] = 0  # a normal, writable array


def test_labels_file_layout_matches_the_idx_spec(tmp_path):
    labels = np.array([9, 0, 0, 3], dtype=np.uint8)
    write_idx(tmp_path / "labels", labels)
    raw = (tmp_path / "labels").read_bytes()
    assert raw == bytes([0, 0, 0x08, 1, 0, 0, 0, 4, 9, 0, 0, 3])


def test_wider_types_are_stored_big_endian(tmp_path):
    write_idx(tmp_path / "ints", np.array([1], dtype=np.int32))
    assert (tmp_path / "ints").read_bytes() == bytes([0, 0, 0x0C, 1, 0, 0, 0, 1, 0, 0, 0, 1])


def test_gz_files_are_gzip_compressed(tmp_path):
    write_idx(tmp_path / "x.gz", np.zeros((10, 10), np.uint8))
    with gzip.open(tmp_path / "x.gz", "rb") as f:
        assert f.read(4) == bytes([0, 0, 0x08, 2])


def test_reads_files_written_by_hand(tmp_path):
    header = bytes([0, 0, 0x08, 3]) + (2).to_bytes(4, "big") + (2).to_bytes(4, "big") + (3).to_bytes(4, "big")
    (tmp_path / "images").write_bytes(header + bytes(range(12)))
    np.testing.assert_array_equal(read_idx(tmp_path / "images"), np.arange(12, dtype=np.uint8).reshape(2, 2, 3))
    assert read_idx(str(tmp_path / "images")).shape == (2, 2, 3)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\x00",
        b"PK\x03\x04" + bytes(20),  # a zip file
        bytes([1, 0, 0x08, 1, 0, 0, 0, 1, 7]),  # first magic byte not zero
        bytes([0, 0, 0x07, 1, 0, 0, 0, 1, 7]),  # unknown type code
    ],
    ids=["empty", "short", "zip", "bad-zero", "bad-type"],
)
def test_bad_magic_raises_value_error(tmp_path, content):
    path = tmp_path / "bad"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="IDX"):
        read_idx(path)


def test_truncated_header_raises_value_error(tmp_path):
    path = tmp_path / "short-header"
    path.write_bytes(bytes([0, 0, 0x08, 3]) + (2).to_bytes(4, "big"))
    with pytest.raises(ValueError, match="truncated"):
        read_idx(path)


def test_truncated_body_raises_value_error(tmp_path):
    path = tmp_path / "short-body"
    write_idx(path, np.zeros((4, 5), np.uint8))
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(ValueError) as info:
        read_idx(path)
    assert "[4, 5]" in str(info.value)


def test_trailing_bytes_raise_value_error(tmp_path):
    path = tmp_path / "long-body"
    write_idx(path, np.zeros(3, np.uint8))
    path.write_bytes(path.read_bytes() + b"\x00")
    with pytest.raises(ValueError):
        read_idx(path)


def test_corrupt_gzip_raises_value_error(tmp_path):
    good = tmp_path / "good.gz"
    write_idx(good, np.arange(1000, dtype=np.uint8).reshape(10, 100) % 251)
    truncated = tmp_path / "truncated.gz"
    truncated.write_bytes(good.read_bytes()[:-12])
    with pytest.raises(ValueError):
        read_idx(truncated)
    not_gzip = tmp_path / "plain.gz"
    not_gzip.write_bytes(b"this is not gzip data at all")
    with pytest.raises(ValueError):
        read_idx(not_gzip)


def test_missing_file_is_not_silently_empty(tmp_path):
    with pytest.raises((FileNotFoundError, ValueError)):
        read_idx(tmp_path / "nope")


def test_write_refuses_a_dtype_idx_cannot_hold(tmp_path):
    with pytest.raises(ValueError):
        write_idx(tmp_path / "x", np.zeros(3, np.int64))
