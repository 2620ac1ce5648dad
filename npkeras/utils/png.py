"""A small PNG decoder on the standard library's zlib: 8-bit grayscale, gray+alpha, RGB, RGBA and palette
images, non-interlaced; 16-bit samples are scaled to 8 bits. The five row filters are undone a row at a
time (each row depends on the one above; Sub, Average and Paeth also on the byte to the left)."""

import struct
import zlib

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # colour type -> samples per pixel


def is_png(data):
    return data[:8] == SIGNATURE


def _chunks(data):
    pos = 8
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        yield kind, data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IEND":
            return


def _paeth_row(line, prior, bpp):
    """Undo the Paeth filter. Each byte's predictor needs the byte decoded just before it, so this one filter is
    a sequential scan; on Python ints it runs about ten times faster than on per-pixel NumPy slices."""
    out, up = bytearray(line.tobytes()), prior.tobytes()
    for i in range(len(out)):
        if i >= bpp:
            a, b, c = out[i - bpp], up[i], up[i - bpp]
        else:
            a, b, c = 0, up[i], 0
        pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
        out[i] = (out[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
    return np.frombuffer(bytes(out), np.uint8)


def _average_row(line, prior, bpp):
    """Undo the Average filter (sequential for the same reason as Paeth)."""
    out, up = bytearray(line.tobytes()), prior.tobytes()
    for i in range(len(out)):
        left = out[i - bpp] if i >= bpp else 0
        out[i] = (out[i] + ((left + up[i]) >> 1)) & 0xFF
    return np.frombuffer(bytes(out), np.uint8)


def _unfilter(raw, height, stride, bpp):
    rows = np.frombuffer(raw, np.uint8)[: height * (stride + 1)].reshape(height, stride + 1)
    image = np.zeros((height, stride), np.uint8)
    prior = np.zeros(stride, np.uint8)
    for y in range(height):
        kind, line = rows[y, 0], rows[y, 1:]
        if kind == 0:
            row = line.copy()
        elif kind == 1:  # Sub: a running sum modulo 256 over each byte lane
            lanes = np.zeros(((stride + bpp - 1) // bpp) * bpp, np.uint32)
            lanes[:stride] = line
            row = (np.cumsum(lanes.reshape(-1, bpp), axis=0) & 0xFF).reshape(-1)[:stride].astype(np.uint8)
        elif kind == 2:
            row = line + prior
        elif kind == 3:
            row = _average_row(line, prior, bpp)
        elif kind == 4:
            row = _paeth_row(line, prior, bpp)
        else:
            raise ValueError(f"Corrupt PNG: unknown row filter {kind}.")
        image[y] = row
        prior = row
    return image


def decode_png(data):
    """(height, width, channels) uint8 array of a PNG file's bytes; palette images come back RGB (RGBA with a
    tRNS chunk)."""
    if not is_png(data):
        raise ValueError("Not a PNG file (bad signature).")
    header, idat, palette, transparency = None, [], None, None
    for kind, body in _chunks(data):
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"PLTE":
            palette = np.frombuffer(body, np.uint8).reshape(-1, 3)
        elif kind == b"tRNS":
            transparency = np.frombuffer(body, np.uint8)
    if header is None or not idat:
        raise ValueError("Corrupt PNG: no IHDR or IDAT chunk.")
    width, height, depth, colour, _, _, interlace = header
    if colour not in _CHANNELS or depth not in (8, 16) or interlace:
        raise ValueError(
            f"Unsupported PNG (bit depth {depth}, colour type {colour}, interlace {interlace}): npkeras's own "
            "decoder reads 8- and 16-bit non-interlaced images; install Pillow (pip install 'npkeras[images]') "
            "for the others."
        )
    channels = _CHANNELS[colour]
    bpp = channels * depth // 8
    try:
        raw = zlib.decompress(b"".join(idat))
    except zlib.error as e:
        raise ValueError(f"Corrupt PNG: its image data does not decompress ({e}).") from None
    if len(raw) < height * (width * bpp + 1):
        raise ValueError(f"Corrupt PNG: {len(raw)} bytes of image data for {height} rows of {width} pixels.")
    pixels = _unfilter(raw, height, width * bpp, bpp)
    if depth == 16:
        pixels = (pixels.reshape(height, -1, 2)[..., 0]).copy()  # the high byte: 16 bits scaled to 8
    image = pixels.reshape(height, width, channels)
    if colour == 3:
        if palette is None:
            raise ValueError("Corrupt PNG: a palette image without a PLTE chunk.")
        index = image[..., 0]
        rgb = palette[index]
        if transparency is None:
            return rgb
        alpha = np.full(len(palette), 255, np.uint8)
        alpha[: len(transparency)] = transparency[: len(palette)]
        return np.concatenate([rgb, alpha[index][..., None]], axis=-1)
    return image
