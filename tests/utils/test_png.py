"""npkeras's PNG decoder: every colour type and row filter, palettes, 16-bit, and clear refusals."""

import struct
import zlib

import numpy as np
import pytest

from npkeras.utils.png import decode_png
from tests.fixtures.data_utils_files import _chunk, encode_png


@pytest.mark.parametrize("channels", [1, 2, 3, 4])
def test_round_trip_every_colour_type_and_filter(channels):
    image = np.random.default_rng(channels).integers(0, 256, (11, 7, channels), dtype=np.uint8)  # 11 rows: 5 filters
    np.testing.assert_array_equal(decode_png(encode_png(image)), image)


def test_palette_with_and_without_transparency():
    palette = np.array([[255, 0, 0], [0, 255, 0], [0, 0, 255]], np.uint8)
    index = np.array([[0, 1, 2], [2, 1, 0]], np.uint8)
    np.testing.assert_array_equal(decode_png(encode_png(index, palette)), palette[index])
    data = encode_png(index, palette)
    at = data.index(b"IDAT") - 4
    with_trns = data[:at] + _chunk(b"tRNS", bytes([0, 128])) + data[at:]
    rgba = decode_png(with_trns)
    np.testing.assert_array_equal(rgba[..., 3], [[0, 128, 255], [255, 128, 0]])


def test_sixteen_bit_samples_scale_to_eight():
    values = np.array([[0, 0x1234, 0xFFFF]], dtype=">u2")
    raw = b"\x00" + values.tobytes()
    png = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 3, 1, 16, 0, 0, 0, 0))
    png += _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b"")
    np.testing.assert_array_equal(decode_png(png)[..., 0], [[0, 0x12, 0xFF]])


def test_refusals():
    with pytest.raises(ValueError, match="Not a PNG"):
        decode_png(b"GIF89a")
    interlaced = encode_png(np.zeros((2, 2, 3), np.uint8))
    at = interlaced.index(b"IHDR") + 4
    header = bytearray(interlaced[at : at + 13])
    header[12] = 1
    bad = interlaced[: at - 8] + _chunk(b"IHDR", bytes(header)) + interlaced[at + 17 :]
    with pytest.raises(ValueError, match=r"npkeras\[images\]"):
        decode_png(bad)


def test_corrupt_data_is_named():
    good = encode_png(np.zeros((4, 4, 3), np.uint8))
    at = good.index(b"IDAT") - 4
    short = good[:at] + _chunk(b"IDAT", zlib.compress(b"\x00" * 5)) + _chunk(b"IEND", b"")
    with pytest.raises(ValueError, match="Corrupt PNG: 5 bytes of image data for 4 rows"):
        decode_png(short)
    garbage = good[:at] + _chunk(b"IDAT", b"not zlib") + _chunk(b"IEND", b"")
    with pytest.raises(ValueError, match="does not decompress"):
        decode_png(garbage)
