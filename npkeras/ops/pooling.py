"""Max and average pooling (1-D and 2-D, channels_last) over strided views of the input.

Both loop over the ph * pw positions inside a window; each step handles one strided view
holding that position of every window at once, so cost does not depend on the number of
windows in Python. Max pooling sends each window's gradient to its first maximum (the
scan order TensorFlow and PyTorch use); "same" average pooling divides by the number of
real pixels in each window, as TensorFlow does.
"""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import as_tensor
from npkeras.ops.math import cast
from npkeras.ops.windows import normalize_tuple, output_size, pad_spatial, padding_amounts, unpad_spatial, window_slice


def window_keys(pool_size, strides, out_size):
    """One index per position inside the window, selecting that position of every window."""
    (ph, pw), (sh, sw), (oh, ow) = pool_size, strides, out_size
    return [(slice(None), window_slice(i, sh, oh), window_slice(j, sw, ow)) for i in range(ph) for j in range(pw)]


def gradient_buffer(shape, dtype, pool_size, strides, out_size):
    """The zeroed input gradient; when windows tile the input only the part they miss is zeroed,
    since every position's share is then written over its own pixels."""
    if pool_size != strides:
        return np.zeros(shape, dtype=dtype)
    return zero_uncovered(np.empty(shape, dtype=dtype), strides, out_size)


def zero_uncovered(g, strides, out_size):
    """Zero the trailing rows and columns of `g` that no tiling window reaches; returns `g`."""
    covered = tuple(n * s for n, s in zip(out_size, strides, strict=True))
    g[:, covered[0] :] = 0
    g[:, :, covered[1] :] = 0
    return g


def max_windows(xp, keys):
    """Each window's maximum, (b, oh, ow, c)."""
    first, *rest = keys
    y = xp[first].copy()
    for key in rest:
        np.maximum(y, xp[key], out=y)
    return y


def route_to_max(gy, xp, y, keys, gxp, tiles):
    """Add each window's gradient `gy` to its first maximum in `gxp` (the gradient of `xp`)."""
    unclaimed = None  # windows whose maximum no earlier position has taken
    for n, key in enumerate(keys):
        if n and n == len(keys) - 1:
            hit = unclaimed  # the last position takes whatever is left
        else:
            hit = np.equal(xp[key], y)
            if unclaimed is None:
                unclaimed = ~hit
            else:
                hit &= unclaimed
                unclaimed ^= hit
        if tiles:
            np.multiply(gy, hit, out=gxp[key])
        else:
            gxp[key] += gy * hit


class _Pool(Function):
    """Shared geometry: 1-D inputs (b, length, c) are pooled as (b, 1, length, c)."""

    saved = ("keys", "out_size", "padded_shape", "x4_shape", "x_shape")

    def __init__(self, pool_size, strides, pads):
        self.pool_size, self.strides, self.pads = pool_size, strides, pads

    def _prepare(self, x, fill):
        self.x_shape = x.shape
        x4 = x[:, None] if x.ndim == 3 else x
        self.x4_shape = x4.shape
        xp = pad_spatial(x4, self.pads, fill)
        self.padded_shape = xp.shape
        self.out_size = tuple(
            output_size(n, p, s, 1, (0, 0)) for n, p, s in zip(xp.shape[1:3], self.pool_size, self.strides, strict=True)
        )
        self.keys = window_keys(self.pool_size, self.strides, self.out_size)
        return xp

    def _finish(self, y4):
        return y4.reshape(y4.shape[0], y4.shape[2], y4.shape[3]) if len(self.x_shape) == 3 else y4

    def _gradient_buffer(self, dtype):
        return gradient_buffer(self.padded_shape, dtype, self.pool_size, self.strides, self.out_size)

    def _unpad(self, gxp):
        return unpad_spatial(gxp, self.pads, self.x4_shape).reshape(self.x_shape)


class MaxPool(_Pool):
    """Each window's maximum; backward sends a window's gradient to its first maximum (row-major order)."""

    saved = _Pool.saved + ("xp", "y")

    def forward(self, x):
        lowest = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min  # what padding never beats
        self.xp = self._prepare(x, lowest)
        self.y = max_windows(self.xp, self.keys)
        return self._finish(self.y)

    def backward(self, gy):
        gxp = self._gradient_buffer(gy.dtype)
        route_to_max(gy.reshape(self.y.shape), self.xp, self.y, self.keys, gxp, self.pool_size == self.strides)
        return self._unpad(gxp)


class AvgPool(_Pool):
    """Each window's mean over its real (unpadded) pixels; backward shares a window's gradient equally among them."""

    saved = _Pool.saved + ("count",)

    def forward(self, x):
        xp = self._prepare(x, 0.0)
        first, *rest = self.keys
        y = xp[first].copy()
        for key in rest:
            y += xp[key]
        self.count = self._window_counts()
        y /= self.count
        return self._finish(y)

    def _window_counts(self):
        """How many real (unpadded) pixels each window covers: (oh, ow, 1), or a scalar."""
        if not any(p for pair in self.pads for p in pair):
            return self.pool_size[0] * self.pool_size[1]
        counts = []
        for n, p, s, (before, _), o in zip(
            self.x4_shape[1:3], self.pool_size, self.strides, self.pads, self.out_size, strict=True
        ):
            start = np.arange(o) * s - before
            counts.append(np.minimum(start + p, n) - np.maximum(start, 0))
        return np.multiply.outer(counts[0], counts[1])[..., None].astype(np.float64)

    def backward(self, gy):
        g = (gy.reshape(-1, *self.out_size, gy.shape[-1]) / self.count).astype(gy.dtype, copy=False)
        gxp = self._gradient_buffer(gy.dtype)
        for key in self.keys:
            if self.pool_size == self.strides:
                gxp[key] = g
            else:
                gxp[key] += g
        return self._unpad(gxp)


def pool_geometry(x_shape, pool_size, strides, padding):
    """Pool size, strides and explicit pads as 2-D tuples for a 1-D or 2-D pooling."""
    rank = len(x_shape) - 2
    pool_size = normalize_tuple(pool_size, rank, "pool_size")
    strides = pool_size if strides is None else normalize_tuple(strides, rank, "strides")
    pads = tuple(
        padding_amounts(n, p, s, 1, padding) for n, p, s in zip(x_shape[1:-1], pool_size, strides, strict=True)
    )
    if rank == 1:
        pool_size, strides, pads = (1, *pool_size), (1, *strides), ((0, 0), *pads)
    return pool_size, strides, pads


def _pool(op_class, inputs, pool_size, strides, padding, data_format):
    inputs = as_tensor(inputs)
    if op_class is AvgPool and inputs.dtype.kind not in "fc":  # an average of integers is a float
        inputs = cast(inputs, np.result_type(inputs.dtype, np.float32))
    if data_format not in (None, "channels_last"):
        raise ValueError(f"npkeras pools channels_last only. Received data_format={data_format!r}")
    if inputs.ndim not in (3, 4, 5):
        raise ValueError(
            f"Pooling takes a 1-D, 2-D or 3-D batch (rank 3, 4 or 5). Received inputs.shape={inputs.shape}"
        )
    padding = padding.lower() if isinstance(padding, str) else padding
    if padding not in ("valid", "same"):
        raise ValueError(f'`padding` must be "valid" or "same". Received padding={padding!r}')
    if inputs.ndim == 5:
        from npkeras.ops.volumetric import pool3d  # built on this module's ops

        return pool3d(inputs, pool_size, strides, padding, average=op_class is AvgPool)
    pool_size, strides, pads = pool_geometry(inputs.shape, pool_size, strides, padding)
    spatial = inputs.shape[1:-1] if inputs.ndim == 4 else (1, inputs.shape[1])
    for n, p, s, pad in zip(spatial, pool_size, strides, pads, strict=True):
        if output_size(n, p, s, 1, pad) <= 0:
            raise ValueError(
                f"Computed output size would be zero or negative. Received: inputs.shape={inputs.shape}, "
                f"pool_size={pool_size}, strides={strides}, padding={padding!r}"
            )
    return op_class(pool_size, strides, pads)(inputs)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Keras's `ops.max_pool` for 1-D and 2-D channels_last inputs."""
    return _pool(MaxPool, inputs, pool_size, strides, padding, data_format)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Keras's `ops.average_pool`; "same" windows average only the real pixels they cover."""
    return _pool(AvgPool, inputs, pool_size, strides, padding, data_format)
