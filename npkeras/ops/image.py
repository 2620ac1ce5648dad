"""Image ops: resizing as a separable linear map, and projective (affine) transforms of a batch.

Resizing follows TensorFlow's `tf.image.resize` without antialiasing (what Keras-TensorFlow runs): half-pixel
centres, "bilinear" (clamped neighbours), "nearest" (floor of the scaled centre) and "bicubic" (Keys' kernel with
a = -0.5, its coefficients read from a 1024-step table, taps outside the image dropped and the rest renormalized).
Each of these is a matrix per spatial axis, so the op is two tensor products forward and two transposed ones back.

`affine_transform` samples, for each output pixel (x, y), the input at
((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1, one 8-number transform per image, as
TensorFlow's ImageProjectiveTransformV3: the coordinates are computed for the whole batch at once and read
by one gather; its gradient scatters back by one bincount.
"""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import as_tensor
from npkeras.ops.shaping import pad

RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "bicubic")
AFFINE_INTERPOLATIONS = ("nearest", "bilinear")
FILL_MODES = ("reflect", "wrap", "constant", "nearest")
_TABLE_SIZE = 1024


def _keys_table(a=-0.5):
    x = np.arange(_TABLE_SIZE + 1, dtype=np.float32) / np.float32(_TABLE_SIZE)
    near = ((a + 2) * x - (a + 3)) * x * x + 1  # |t| in [0, 1]
    x1 = x + 1
    far = ((a * x1 - 5 * a) * x1 + 8 * a) * x1 - 4 * a  # |t| in [1, 2]
    return near.astype(np.float32), far.astype(np.float32)


def resize_matrix(in_size, out_size, interpolation):
    """The (out_size, in_size) float64 matrix that resizes one axis as tf.image.resize does."""
    scale = np.float32(in_size) / np.float32(out_size)
    centres = (np.arange(out_size, dtype=np.float32) + np.float32(0.5)) * scale
    columns = np.arange(in_size)
    if interpolation == "nearest":
        return (np.minimum(np.floor(centres).astype(np.int64), in_size - 1)[:, None] == columns).astype(np.float64)
    src = centres - np.float32(0.5)
    base = np.floor(src).astype(np.int64)
    frac = (src - base).astype(np.float64)
    if interpolation == "bilinear":
        taps, weights = base[:, None] + np.arange(2), np.stack([1.0 - frac, frac], 1)
    else:
        taps, weights = _bicubic_taps(base, frac, in_size)
    one_hot = np.clip(taps, 0, in_size - 1)[:, :, None] == columns  # clamped taps may repeat: summed
    return (one_hot * weights[:, :, None]).sum(axis=1)


def _bicubic_taps(base, frac, in_size):
    near, far = _keys_table()
    offset = np.rint(frac * _TABLE_SIZE).astype(np.int64)
    taps = base[:, None] + np.arange(-1, 3)
    weights = np.stack([far[offset], near[offset], near[_TABLE_SIZE - offset], far[_TABLE_SIZE - offset]], 1)
    weights = np.where((taps >= 0) & (taps < in_size), weights.astype(np.float64), 0.0)
    return taps, weights / weights.sum(axis=1, keepdims=True)


class Resize(Function):
    """Resize axes (h_axis, w_axis) by the matrices `mh` (out_h, in_h) and `mw` (out_w, in_w)."""

    def __init__(self, mh, mw, h_axis, w_axis):
        self.mh, self.mw, self.h_axis, self.w_axis = mh, mw, h_axis, w_axis

    def _apply(self, x, mh, mw):
        mh, mw = mh.astype(x.dtype, copy=False), mw.astype(x.dtype, copy=False)
        y = np.moveaxis(np.tensordot(mh, x, axes=([1], [self.h_axis])), 0, self.h_axis)
        return np.moveaxis(np.tensordot(mw, y, axes=([1], [self.w_axis])), 0, self.w_axis)

    def forward(self, x):
        return self._apply(x, self.mh, self.mw)

    def backward(self, gy):
        return self._apply(gy, self.mh.T, self.mw.T)


def resize(
    images,
    size,
    interpolation="bilinear",
    antialias=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    fill_mode="constant",
    fill_value=0.0,
    data_format=None,
):
    """Keras's `ops.image.resize` for a batch (rank 4) or one image (rank 3): optionally crop or pad (centred,
    with `fill_value`) to the target aspect ratio first, then resize to `size` = (height, width)."""
    images = as_tensor(images)
    if interpolation not in RESIZE_INTERPOLATIONS:
        raise ValueError(
            "Invalid value for argument `interpolation`. npkeras resizes with one of "
            f"{RESIZE_INTERPOLATIONS}. Received: interpolation={interpolation}"
        )
    if antialias:
        raise ValueError("npkeras does not implement antialiased resizing (antialias=True).")
    if fill_mode != "constant":
        raise ValueError(
            f"Invalid value for argument `fill_mode`. Only `'constant'` is supported. Received: fill_mode={fill_mode}"
        )
    if pad_to_aspect_ratio and crop_to_aspect_ratio:
        raise ValueError("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`.")
    if len(size) != 2:
        raise ValueError(f"Argument `size` must be a tuple of two elements (height, width). Received: size={size}")
    if images.ndim not in (3, 4):
        raise ValueError(
            "Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). "
            f"Received input with shape: images.shape={images.shape}"
        )
    h_axis = images.ndim - (2 if data_format == "channels_first" else 3)
    if crop_to_aspect_ratio:
        images = _crop_to_aspect_ratio(images, size, h_axis)
    elif pad_to_aspect_ratio:
        images = _pad_to_aspect_ratio(images, size, h_axis, fill_value)
    mh = resize_matrix(images.shape[h_axis], size[0], interpolation)
    mw = resize_matrix(images.shape[h_axis + 1], size[1], interpolation)
    return Resize(mh, mw, h_axis, h_axis + 1)(images)


def _float32_int(value):
    """int32(float32(value)), as Keras-TensorFlow computes crop and pad sizes."""
    return int(np.float32(value))


def _aspect_sizes(height, width, size):
    """(height for the target ratio at this width, width for it at this height)."""
    target_h, target_w = size
    return (
        _float32_int(np.float32(width * target_h) / np.float32(target_w)),
        _float32_int(np.float32(height * target_w) / np.float32(target_h)),
    )


def _crop_to_aspect_ratio(images, size, h_axis):
    height, width = images.shape[h_axis], images.shape[h_axis + 1]
    crop_h, crop_w = _aspect_sizes(height, width, size)
    crop_h, crop_w = max(min(height, crop_h), 1), max(min(width, crop_w), 1)
    top, left = _float32_int(np.float32(height - crop_h) / 2), _float32_int(np.float32(width - crop_w) / 2)
    key = [slice(None)] * images.ndim
    key[h_axis], key[h_axis + 1] = slice(top, top + crop_h), slice(left, left + crop_w)
    return images[tuple(key)]


def _pad_to_aspect_ratio(images, size, h_axis, fill_value):
    height, width = images.shape[h_axis], images.shape[h_axis + 1]
    pad_h, pad_w = _aspect_sizes(height, width, size)
    top = _float32_int(np.float32(max(height, pad_h) - height) / 2)  # the same amount on both sides, as Keras pads
    left = _float32_int(np.float32(max(width, pad_w) - width) / 2)
    if not (top or left):
        return images
    widths = [(0, 0)] * images.ndim
    widths[h_axis], widths[h_axis + 1] = (top, top), (left, left)
    return pad(images, widths, constant_values=fill_value)


def _fill_coordinates(coord, size, fill_mode):
    """Map sample coordinates outside [0, size - 1] back inside, with TensorFlow's formulas for each fill mode."""
    if fill_mode == "constant":
        return coord
    if size <= 1:
        return np.zeros_like(coord)
    if fill_mode == "reflect":  # (d c b a | a b c d | d c b a)
        period = 2.0 * size
        low = np.where(coord < -period, period * np.trunc(-coord / period) + coord, coord)
        low = np.where(low < -size, low + period, -low - 1)
        high = coord - period * np.trunc(coord / period)
        high = np.where(high >= size, period - high - 1, high)
    elif fill_mode == "wrap":  # (a b c d | a b c d | a b c d)
        span = size - 1.0
        low = coord + size * (np.trunc(-coord / span) + 1)
        high = coord - size * np.trunc(coord / span)
    else:  # nearest: (a a a a | a b c d | d d d d)
        low = high = coord
    mapped = np.where(coord < 0, low, np.where(coord > size - 1, high, coord))
    return np.clip(mapped, 0, size - 1)


def _sampling_taps(transform, batch, height, width, interpolation, fill_mode):
    """Flat pixel indices (taps, batch, height, width), their weights (zero outside the image) and the weight
    left to the fill value, for every output pixel of every image."""
    t = np.broadcast_to(np.asarray(transform, dtype=np.float64).reshape(-1, 8), (batch, 8))
    ys, xs = np.meshgrid(np.arange(height, dtype=np.float64), np.arange(width, dtype=np.float64), indexing="ij")
    a0, a1, a2, b0, b1, b2, c0, c1 = (t[:, i, None, None] for i in range(8))
    k = c0 * xs + c1 * ys + 1.0
    src_x = _fill_coordinates((a0 * xs + a1 * ys + a2) / k, width, fill_mode)
    src_y = _fill_coordinates((b0 * xs + b1 * ys + b2) / k, height, fill_mode)
    if interpolation == "nearest":  # std::round: halves away from zero
        iy, ix = _round_half_away(src_y)[None], _round_half_away(src_x)[None]
        weights = np.ones_like(iy, dtype=np.float64)
    else:
        y0, x0 = np.floor(src_y), np.floor(src_x)
        wy, wx = src_y - y0, src_x - x0
        y0, x0 = y0.astype(np.int64), x0.astype(np.int64)
        iy = np.stack([y0, y0, y0 + 1, y0 + 1])
        ix = np.stack([x0, x0 + 1, x0, x0 + 1])
        weights = np.stack([(1 - wy) * (1 - wx), (1 - wy) * wx, wy * (1 - wx), wy * wx])
    inside = (iy >= 0) & (iy < height) & (ix >= 0) & (ix < width)
    base = (np.arange(batch) * (height * width))[:, None, None]
    index = base + np.clip(iy, 0, height - 1) * width + np.clip(ix, 0, width - 1)
    return index, np.where(inside, weights, 0.0), np.where(inside, 0.0, weights).sum(axis=0)


class AffineTransform(Function):
    """Sample each image at its transformed coordinates (taps and weights computed once, in __init__):
    forward gathers, backward scatters the output gradient back with one bincount."""

    saved = ("in_shape",)

    def __init__(self, index, weights, fill_weight, fill_value, channels_first):
        self.index, self.weights, self.fill_weight = index, weights, fill_weight
        self.fill_value, self.channels_first = fill_value, channels_first

    def forward(self, x):
        self.in_shape = x.shape
        if self.channels_first:
            x = np.moveaxis(x, 1, -1)
        flat = x.reshape(-1, x.shape[-1])
        w = self.weights.astype(x.dtype)[..., None]
        out = (w * flat[self.index]).sum(axis=0)
        if self.fill_value:
            out += (self.fill_weight * self.fill_value).astype(x.dtype)[..., None]
        return np.ascontiguousarray(np.moveaxis(out, -1, 1) if self.channels_first else out)

    def backward(self, gy):
        if self.channels_first:
            gy = np.moveaxis(gy, 1, -1)
        channels = gy.shape[-1]
        contributions = self.weights[..., None] * gy  # (taps, batch, height, width, channels)
        slots = (self.index[..., None] * channels + np.arange(channels)).ravel()
        size = int(np.prod(self.in_shape))
        gx = np.bincount(slots, weights=contributions.ravel(), minlength=size).astype(gy.dtype)
        gx = gx.reshape(gy.shape)  # the transform keeps the image size
        return np.moveaxis(gx, -1, 1) if self.channels_first else gx


def affine_transform(
    images, transform, interpolation="bilinear", fill_mode="constant", fill_value=0.0, data_format="channels_last"
):
    """Apply one projective transform per image of a batch (rank 4), differentiable with respect to the images."""
    if interpolation not in AFFINE_INTERPOLATIONS:
        raise ValueError(
            "Invalid value for argument `interpolation`. Expected of one "
            f"{set(AFFINE_INTERPOLATIONS)}. Received: interpolation={interpolation}"
        )
    if fill_mode not in FILL_MODES:
        raise ValueError(
            f"Invalid value for argument `fill_mode`. Expected of one {FILL_MODES}. Received: fill_mode={fill_mode}"
        )
    images = as_tensor(images)
    channels_first = data_format == "channels_first"
    batch, height, width = (images.shape[0], *images.shape[2:]) if channels_first else images.shape[:3]
    taps = _sampling_taps(transform, batch, height, width, interpolation, fill_mode)
    return AffineTransform(*taps, float(fill_value), channels_first)(images)


class Flip(Function):
    """Reverse `axes` of the images where `flips` (one bool per image) is true."""

    def __init__(self, flips, axes):
        self.flips, self.axes = np.asarray(flips, dtype=bool).reshape(-1, 1, 1, 1), axes

    def forward(self, x):
        return np.where(self.flips, np.flip(x, axis=self.axes), x)

    def backward(self, gy):
        return np.where(self.flips, np.flip(gy, axis=self.axes), gy)


def flip_images(images, flips, axes):
    return Flip(flips, axes)(as_tensor(images))


def _round_half_away(v):
    return (np.sign(v) * np.floor(np.abs(v) + 0.5)).astype(np.int64)
