"""Normalization: moments, batch_normalization, and the fused training-mode batch norm."""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import as_tensor
from npkeras.backend import collective, elementwise
from npkeras.backend.global_state import context
from npkeras.backend.parallel import run_chunks, split_evenly
from npkeras.backend.scratch import scratch
from npkeras.ops import math, reduction, shaping

WIDE_ROW = 256  # values per row that a narrow-channel batch is folded into


class ChannelRows(Function):
    """An op over a batch seen as rows of channels (the channel axis moved last), handled in chunks of rows.

    With few channels the rows are folded `fold` at a time into wide rows (ResNet's 16 channels into
    256): NumPy's loops run along a row, and a 16-value row cost more in loop overhead than in
    arithmetic (a chunk's sum over rows 96 us as 4096x16, 8 us as 256x256). Per-channel vectors are
    tiled to the wide row (`_wide`) and per-column results summed back per channel (`_per_channel`).
    """

    fold = 1
    relu = False  # max(y, 0) fused into the output pass; backward then passes gradient only where y > 0

    def _as_rows(self, a):
        """`a` as a C-contiguous (values per channel, channels) array, the channel axis moved last, folded."""
        channels = a.shape[self.channel_axis]
        rows = np.ascontiguousarray(np.moveaxis(a, self.channel_axis, -1)).reshape(-1, channels)
        self.fold = fold = _fold(len(rows), channels)
        return rows.reshape(len(rows) // fold, fold * channels)

    def _scale_shift(self, rows, scale, shift, dtype):
        """rows * scale + shift (per channel) into new rows of `dtype`, chunk by chunk on every core."""
        y_rows = np.empty(rows.shape, dtype)
        scale, shift = self._wide(scale), self._wide(shift)

        def chunk_scale_shift(chunk, _):
            _, (start, stop) = chunk
            out = y_rows[start:stop]
            np.multiply(rows[start:stop], scale, out=out)
            out += shift
            if self.relu:
                elementwise.relu(out, out=out)

        run_chunks(chunk_scale_shift, self.chunks)
        if self.relu and context.grad_mode is not False:
            self.y_rows = y_rows
        return y_rows

    def _relu_grad(self, g, start, stop, out):
        """A chunk of gradient rows `g` passed where the fused ReLU's output was positive, into `out`."""
        passed = np.greater(self.y_rows[start:stop], 0, out=scratch("relu_passed", g.shape, np.bool_))
        return np.multiply(g, passed, out=out)

    def _wide(self, v):
        """A per-channel vector tiled along a (folded) row."""
        return np.tile(v, self.fold) if self.fold > 1 else v

    def _per_channel(self, v):
        """Per-column values of a (folded) row summed per channel."""
        return v.reshape(self.fold, -1).sum(axis=0) if self.fold > 1 else v

    def _from_rows(self, rows):
        """The inverse of `_as_rows`: an array of the input's shape (a view, transposed if axis isn't last)."""
        moved_shape = [n for i, n in enumerate(self.x_shape) if i != self.channel_axis] + [
            self.x_shape[self.channel_axis]
        ]
        return np.moveaxis(rows.reshape(moved_shape), -1, self.channel_axis)


class BatchNormTraining(ChannelRows):
    """y = gamma * (x - mean) / sqrt(var + epsilon) + beta with the batch's own statistics.

    Statistics are taken over every axis but `axis` (biased variance, as Keras). After the
    forward pass `mean` and `variance` hold them for the moving averages. gamma and beta are
    optional (scale=False / center=False), so `forward` takes them by keyword.

    The batch is seen as rows of channels and handled in chunks of rows that fit in cache, on
    every core (backend/parallel.py): each pass reads the batch from memory once and does its
    arithmetic on the chunk in cache. Forward reads x twice (per-chunk mean and squared
    deviations, combined exactly as Chan et al.'s parallel variance) and writes y once; backward
    reads x and dy twice and writes dx once. Nothing but x itself is kept for backward.

    `synchronized` (with data parallelism over processes) takes the statistics, and the sums of dy and
    dy * x_hat that dx needs, over the global batch: two small Allreduces forward, one backward.
    """

    saved = (
        "channel_axis",
        "chunks",
        "fold",
        "gamma",
        "inv_std",
        "mean",
        "scale",
        "variance",
        "x_rows",
        "x_shape",
        "y_rows",
    )

    def __init__(self, axis, epsilon, has_gamma=True, has_beta=True, synchronized=False, relu=False):
        self.axis, self.epsilon, self.has_gamma, self.has_beta = axis, epsilon, has_gamma, has_beta
        self.synchronized = synchronized and collective.communicator() is not None
        self.relu = relu

    def forward(self, x, *params):
        self.x_shape, self.channel_axis = x.shape, self.axis % x.ndim
        self.x_rows = rows = self._as_rows(x)  # each (folded) column is a group of its own until the end
        self.chunks = row_chunks(rows)
        sums, squares = np.empty((len(self.chunks), rows.shape[1])), np.empty((len(self.chunks), rows.shape[1]))

        def chunk_moments(chunk, _):
            k, (start, stop) = chunk
            block = rows[start:stop]
            sums[k] = column_sums(block)
            deviations = np.subtract(block, (sums[k] / max(len(block), 1)).astype(block.dtype), out=_scratch(block))
            squares[k] = column_dots(deviations, deviations)

        run_chunks(chunk_moments, self.chunks)
        sizes = np.array([stop - start for _, (start, stop) in self.chunks], dtype=np.float64)[:, None]
        count, total = len(rows) * self.fold, self._per_channel(sums.sum(axis=0))
        if self.synchronized:  # the statistics of the global batch, from every process's sums
            head = collective.allreduce_sum(np.concatenate([[count], total]))
            count, total = head[0], head[1:]
        n = max(count, 1)
        mean = total / n
        chunk_means = sums / np.maximum(sizes, 1)
        squared = self._per_channel(
            squares.sum(axis=0) + (sizes * np.square(chunk_means - self._wide(mean))).sum(axis=0)
        )
        if self.synchronized:
            collective.allreduce_sum(squared)
        variance = squared / n
        self.mean, self.variance = mean.astype(x.dtype), variance.astype(x.dtype)
        self.inv_std = (1.0 / np.sqrt(self.variance + self.epsilon)).astype(x.dtype)
        params = list(params)
        self.gamma = params.pop(0) if self.has_gamma else None
        beta = params.pop(0) if self.has_beta else None
        self.scale = self.inv_std if self.gamma is None else (self.gamma * self.inv_std).astype(x.dtype)
        shift = -self.mean * self.scale if beta is None else (beta - self.mean * self.scale).astype(x.dtype)
        return self._from_rows(self._scale_shift(rows, self.scale, shift, rows.dtype))

    def backward(self, gy):
        rows, columns, channels = self.x_rows, self.x_rows.shape[1], len(self.mean)
        gy_rows = self._as_rows(gy)
        sums_gy, sums_gy_dev = np.empty((len(self.chunks), columns)), np.empty((len(self.chunks), columns))
        mean = self._wide(self.mean)
        gx_rows = np.empty_like(rows) if self.input_requires_grad(0) else None

        def chunk_sums(chunk, _):
            k, (start, stop) = chunk
            block, g = rows[start:stop], gy_rows[start:stop]
            if self.relu:  # the passed gradient is kept where dx goes: the second pass reads and writes it in place
                into = scratch("relu_grad", g.shape, g.dtype) if gx_rows is None else gx_rows[start:stop]
                g = self._relu_grad(g, start, stop, into)
            deviations = np.subtract(block, mean, out=_scratch(block))
            sums_gy[k] = column_sums(g)
            sums_gy_dev[k] = column_dots(g, deviations)

        run_chunks(chunk_sums, self.chunks)
        n = max(len(rows) * self.fold, 1)
        sum_gy = self._per_channel(sums_gy.sum(axis=0))
        sum_gy_xhat = self._per_channel(sums_gy_dev.sum(axis=0)) * self.inv_std
        grads = []
        if self.input_requires_grad(0):
            batch_gy, batch_gy_xhat = sum_gy, sum_gy_xhat
            if self.synchronized:  # the global batch's sums, each process's weighed by its share of the loss
                both = collective.allreduce_sum(np.concatenate([sum_gy, sum_gy_xhat]) * collective.share())
                batch_gy, batch_gy_xhat = both[:channels], both[channels:]
            mean_gy = self._wide((batch_gy / n).astype(rows.dtype))
            xhat_factor = self._wide((self.inv_std * batch_gy_xhat / n).astype(rows.dtype))
            scale = self._wide(self.scale)
            g_rows = gx_rows if self.relu else gy_rows

            def chunk_input_grad(chunk, _):  # dx = scale * (dy - mean(dy) - x_hat * mean(dy * x_hat))
                _, (start, stop) = chunk
                out = gx_rows[start:stop]
                deviations = np.subtract(rows[start:stop], mean, out=_scratch(out))
                deviations *= xhat_factor
                np.subtract(g_rows[start:stop], deviations, out=out)
                out -= mean_gy
                out *= scale

            run_chunks(chunk_input_grad, self.chunks)
            grads.append(self._from_rows(gx_rows))
        else:
            grads.append(None)
        if self.has_gamma:
            grads.append(sum_gy_xhat.astype(gy.dtype))
        if self.has_beta:
            grads.append(sum_gy.astype(gy.dtype))
        return tuple(grads)


class ScaleShift(ChannelRows):
    """y = x * scale + shift, with one scale and one shift per channel along `axis`: batch norm by given statistics.

    One pass over the batch in cache-sized chunks on every core, where the same sum written as
    (x - mean) * inv_std * gamma + beta took four (ResNet-20's evaluate spent 30% of its time there).
    TensorFlow computes batch_normalization the same way, as x * inv + (offset - mean * inv).
    """

    saved = ("channel_axis", "chunks", "fold", "scale", "x_rows", "x_shape", "y_rows")

    def __init__(self, axis, relu=False):
        self.axis, self.relu = axis, relu

    def forward(self, x, scale, shift):
        self.x_shape, self.channel_axis = x.shape, self.axis % x.ndim
        rows = self._as_rows(x)
        self.chunks, self.scale, self.x_rows = row_chunks(rows), scale, rows  # x itself when channels are last
        return self._from_rows(self._scale_shift(rows, scale, shift, np.result_type(x, scale, shift)))

    def backward(self, gy):
        gy_rows = self._as_rows(gy)
        if self.relu:
            gy_rows = self._relu_grad(gy_rows, 0, len(gy_rows), np.empty_like(gy_rows))
        gx = self._from_rows(gy_rows * self._wide(self.scale)) if self.input_requires_grad(0) else None
        gscale = self._per_channel(np.einsum("ij,ij->j", gy_rows, self.x_rows)) if self.input_requires_grad(1) else None
        gshift = self._per_channel(gy_rows.sum(axis=0)) if self.input_requires_grad(2) else None
        return gx, gscale, gshift


# Rows per chunk: about 1 MiB of them (a core's L2 cache), and a batch of less than two chunks stays on the
# calling thread. Each chunk's few NumPy calls hand the GIL between the threads, so smaller chunks lost:
# fit's forward + backward of ResNet's (64, 32, 32, 16) batch 2.74 ms in 256 KiB chunks on both cores,
# 1.88 in 1 MiB ones; its (64, 8, 8, 64) batch 0.84 ms on both cores, 0.66 on one.
CHUNK_BYTES = 1 << 20
# A chunk's column sums are taken in its own precision (float32: BLAS's ones @ block, 3.7 us for a
# 256x256 chunk where a float64 sum took 28 us, and einsum 11 us against 38) up to this many rows, so
# that no float32 sum runs over more than a few thousand values; the chunks' sums add up in float64.
OWN_PRECISION_ROWS = 4096


def column_sums(block):
    """Sum over a chunk's rows per column, as float64 (summed in float32 for short float32 chunks)."""
    if _own_precision(block):
        return np.matmul(_ones(len(block), block.dtype), block)
    return block.sum(axis=0, dtype=np.float64)


def column_dots(a, b):
    """sum(a * b) over a chunk's rows per column, as float64 (see `column_sums`)."""
    if _own_precision(a):
        return np.einsum("ij,ij->j", a, b)
    return np.einsum("ij,ij->j", a, b, dtype=np.float64)


def _own_precision(block):
    return block.dtype in (np.float32, np.float64) and len(block) <= OWN_PRECISION_ROWS


def _ones(n, dtype):
    ones = scratch("batch_norm_ones", (n,), dtype)
    ones.fill(1)
    return ones


def _fold(rows, channels):
    """How many rows of `channels` values to fold into one: a power of two dividing `rows`, up to WIDE_ROW values."""
    fold = 1
    while fold * 2 * channels <= WIDE_ROW and rows % (fold * 2) == 0:
        fold *= 2
    return fold


def row_chunks(rows):
    """Numbered row ranges (k, (start, stop)) of about CHUNK_BYTES each, evenly sized; at least one."""
    parts = -(-rows.nbytes // CHUNK_BYTES)
    return list(enumerate(split_evenly(len(rows), parts, None if parts > 1 else 1)))


def _scratch(block):
    return scratch("batch_norm", block.shape, block.dtype)


def moments(x, axes, keepdims=False, synchronized=False):
    """Keras's `ops.moments`: the mean and (biased) variance of `x` over `axes`."""
    x = as_tensor(x)
    mean = reduction.mean(x, axis=axes, keepdims=True)
    variance = reduction.mean(math.square(x - mean), axis=axes, keepdims=keepdims)
    if not keepdims:
        mean = shaping.reshape(mean, variance.shape)
    return mean, variance


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """Keras's `ops.batch_normalization`: normalize `x` by given statistics along `axis`."""
    return normalize_by(x, mean, variance, axis, offset, scale, epsilon)


def normalize_by(x, mean, variance, axis, offset, scale, epsilon, relu=False):
    """`batch_normalization`, then max(y, 0) in the same pass if `relu`."""
    x = as_tensor(x)
    channels = (x.shape[axis % x.ndim],)

    def per_channel(v):
        return shaping.reshape(as_tensor(v), channels)

    inv = 1.0 / math.sqrt(per_channel(variance) + epsilon)
    if scale is not None:
        inv = inv * per_channel(scale)
    shift = -per_channel(mean) * inv
    if offset is not None:
        shift = shift + per_channel(offset)
    return ScaleShift(axis, relu)(x, inv, shift)
