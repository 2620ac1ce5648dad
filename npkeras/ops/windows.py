"""Sliding-window geometry shared by convolution and pooling: padding, output sizes, slices.

Everything here works on the spatial axes of a channels_last batch, one axis at a time, and
follows TensorFlow's rules: "same" gives ceil(size / stride) outputs and puts the odd pixel
of padding after the input, "causal" pads only before it.
"""

import numpy as np


def normalize_tuple(value, n, name, allow_zero=False):
    """`value` as a tuple of `n` positive ints (an int is repeated), or a ValueError naming `name`."""
    if isinstance(value, (int, np.integer)):
        values = (value,) * n
    elif isinstance(value, (tuple, list)):
        values = tuple(value)
    else:
        values = ()
    least = 0 if allow_zero else 1
    if len(values) != n or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values):
        raise ValueError(f"The `{name}` argument must be a tuple of {n} integers. Received {name}={value!r}")
    if any(v < least for v in values):
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(f"The `{name}` argument must be {kind}. Received {name}={value!r}")
    return tuple(int(v) for v in values)


def padding_amounts(size, window, stride, dilation, padding):
    """(before, after) padding of one spatial axis for "valid", "same" or "causal"."""
    span = (window - 1) * dilation + 1
    if padding == "valid":
        return 0, 0
    if padding == "causal":
        return span - 1, 0
    out = -(-size // stride)
    total = max((out - 1) * stride + span - size, 0)
    return total // 2, total - total // 2


def output_size(size, window, stride, dilation, pads):
    """How many windows fit along one axis of `size` padded by `pads`; below 1 means none."""
    return (size + pads[0] + pads[1] - (window - 1) * dilation - 1) // stride + 1


def window_slice(offset, stride, count):
    """The input positions that window element `offset` visits for `count` outputs."""
    return slice(offset, offset + stride * (count - 1) + 1, stride)


def pad_spatial(x, pads, value=0.0):
    """`x` (batch, h, w, channels) with `pads` ((top, bottom), (left, right)) added; no copy if none."""
    (top, bottom), (left, right) = pads
    if not (top or bottom or left or right):
        return x
    b, h, w, c = x.shape
    return pad_spatial_into(x, pads, np.empty((b, h + top + bottom, w + left + right, c), dtype=x.dtype), value)


def pad_spatial_into(x, pads, out, value=0.0):
    """`x` (batch, h, w, channels) with `pads` of `value` around it, written into `out`; returns `out`."""
    (top, bottom), (left, right) = pads
    h, w = x.shape[1:3]
    out[:, :top] = value
    out[:, top + h :] = value
    out[:, top : top + h, :left] = value
    out[:, top : top + h, left + w :] = value
    out[:, top : top + h, left : left + w] = x
    return out


def unpad_spatial(gx, pads, shape):
    """The part of a padded gradient that belongs to the unpadded input of `shape`."""
    (top, _), (left, _) = pads
    if gx.shape == shape:
        return gx
    return gx[:, top : top + shape[1], left : left + shape[2], :]
