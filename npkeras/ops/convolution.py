"""Convolution (1-D and 2-D, channels_last) as im2col followed by one GEMM, ReLU fused.

im2col is one copy from a strided view of the input (samples, oh, ow, kh, kw, channels), so
there is no loop over pixels or samples. The column layout (kh, kw, channels) matches Keras's
kernel layout (kh, kw, in, out), so the kernel reshapes into the GEMM for free. The input
gradient of a stride-1 convolution is a convolution too (the output gradient, padded, with the
kernel turned half a circle), so it is one more im2col and GEMM; strided ones add each kernel
position's block back into the input gradient (col2im), with no `np.add.at`.

The batch is processed in chunks whose patch matrix fits in cache (CHUNK_BYTES): a patch
matrix written to memory and read back by the GEMM costs more than the GEMM itself on a
2-core machine (notes' CNN, batch 256: 33 ms whole vs 20 ms in chunks of 16 samples for the
second convolution). Inside fit the chunks are shared among the cores (backend/parallel.py),
each core running its chunks' copies and GEMMs on one BLAS thread: with batch norm chunked the
same way, ResNet-20 on 32x32 images went from 95 to 208 training samples/s. Backward rebuilds each
chunk's patches instead of keeping them, so a convolution holds no more than its input and
output between the passes.
"""

from collections import namedtuple

import numpy as np
from numpy.lib.stride_tricks import as_strided

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import as_tensor
from npkeras.backend import elementwise
from npkeras.backend.global_state import context
from npkeras.backend.parallel import run_chunks, split_evenly
from npkeras.backend.scratch import scratch
from npkeras.backend.threads import matmul
from npkeras.ops.pooling import route_to_max, zero_uncovered
from npkeras.ops.windows import (
    normalize_tuple,
    output_size,
    pad_spatial,
    pad_spatial_into,
    padding_amounts,
    unpad_spatial,
    window_slice,
)

CHUNK_BYTES = 1 << 21
# The input gradient of a stride-1 convolution: the transposed convolution (a GEMM over every input
# pixel) unless the input has this many times the GEMM rows of the direct way (output gradient times
# the kernel, then col2im), as valid convolutions on small images do. Per chunk, one BLAS thread: the
# notes' CNN's 13x13x32 -> 11x11x64 layer 0.90 ms transposed against 0.80 direct, its 5x5x64 ->
# 3x3x64 layer 0.68 against 0.35; a 32x32x16 'same' layer 0.73 against 1.70.
DIRECT_INPUT_GRAD_FROM = 1.25
# A batch of fewer samples runs its chunks in the calling thread, its GEMMs lifted to all BLAS threads
# (whose workers spin between calls), instead of sharing the chunks among the cores: waking a helper
# thread and waiting for it costs 50-170 us here, more than a small batch's chunks gain. The notes' CNN,
# in-process A/B over 16 alternated epochs, best epoch: batch 32 3,719 against 3,382 samples/s shared;
# batch 128 4,175 against 4,603 (so shared from 64). Every convolution of a batch runs the same way: a
# helper thread competing with BLAS's still-spinning workers lost to both (3,093).
CHUNKS_ON_ALL_CORES_FROM = 64
# Inside autograd a batch whose whole patch matrix takes at most this much keeps it from forward for the
# kernel gradient instead of rebuilding each chunk's, while it still fits the 32 MiB L3 cache beside the
# rest: the notes' CNN at batch 32 rebuilt 3.7 MB per step (10% of its step), and kept +8% samples/s.
# ResNet-20's 9.4 MB per 64-filter layer at batch 64 gained nothing (with 16 MiB here, -5%).
KEEP_PATCHES_BYTES = 1 << 23

Window = namedtuple("Window", "kernel_size strides dilation out_size")


def is_pointwise(window, padded_shape):
    """A 1x1 convolution over every pixel: its patch matrix is the input itself."""
    return window.kernel_size == (1, 1) and window.strides == (1, 1) and window.out_size == tuple(padded_shape[1:3])


def im2col(xp, window, out):
    """Write the patches of padded `xp` (b, h, w, c) into `out`, (b * oh * ow, >= kh * kw * c).

    One copy from a strided view (b, oh, ow, kh, kw, c) of `xp`: with dilation 1 a kernel row's
    kw * c values lie side by side in both, so NumPy copies them as one run. A one-channel image
    would make that run kw floats long, so it is copied a kernel position at a time instead, in runs
    of an output row (the notes' first layer, 32 images of 28x28: 0.16 ms against 0.55).
    """
    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = window
    b, c = xp.shape[0], xp.shape[3]
    cols = out[:, : kh * kw * c].reshape(b, oh, ow, kh, kw, c)
    if c == 1:
        for i in range(kh):
            rows = window_slice(i * dh, sh, oh)
            for j in range(kw):
                np.copyto(cols[:, :, :, i, j, :], xp[:, rows, window_slice(j * dw, sw, ow), :])
        return out
    sb, sy, sx, sc = xp.strides
    patches = as_strided(xp, (b, oh, ow, kh, kw, c), (sb, sy * sh, sx * sw, sy * dh, sx * dw, sc), writeable=False)
    np.copyto(cols, patches)
    return out


def col2im(gcols, window, gxp):
    """The adjoint of im2col: add each patch's gradient into `gxp` (b, h, w, c)."""
    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = window
    b, c = gxp.shape[0], gxp.shape[3]
    gcols = gcols.reshape(b, oh, ow, kh, kw, c)
    for i in range(kh):
        rows = window_slice(i * dh, sh, oh)
        for j in range(kw):
            gxp[:, rows, window_slice(j * dw, sw, ow), :] += gcols[:, :, :, i, j, :]


class Conv(Function):
    """y = act(conv(x, kernel) + bias) over 2 spatial axes; 1-D inputs ride along as height 1.

    `pads` is ((top, bottom), (left, right)) in input pixels; act is None or "relu" (fused).
    Outside the 1x1 case the patch matrix carries a column of ones and the GEMM's weights the
    bias as their last row, so one GEMM adds the bias and one yields its gradient.
    """

    saved = (
        "bias_in_gemm",
        "kept_chunks",
        "kept_patches",
        "kernel2",
        "kernel4_shape",
        "kernel_shape",
        "pixels",
        "pointwise",
        "window",
        "x4_shape",
        "x_shape",
        "xp",
        "y",
    )

    def __init__(self, strides, pads, dilation, relu=False):
        self.strides, self.pads, self.dilation, self.relu = strides, pads, dilation, relu

    def forward(self, x, kernel, bias=None):
        self.x_shape, self.kernel_shape = x.shape, kernel.shape
        if x.ndim == 3:  # (b, length, c) -> (b, 1, length, c); kernel (k, c, f) -> (1, k, c, f)
            x, kernel = x[:, None], kernel[None]
        kh, kw, c, f = self.kernel4_shape = kernel.shape
        self.x4_shape = x.shape
        self.xp = xp = pad_spatial(x, self.pads)
        out_size = tuple(
            output_size(n, k, s, d, (0, 0))
            for n, k, s, d in zip(xp.shape[1:3], (kh, kw), self.strides, self.dilation, strict=True)
        )
        self.window = Window((kh, kw), self.strides, self.dilation, out_size)
        self.pixels = self._rows_per_sample()
        self.pointwise = is_pointwise(self.window, xp.shape)
        self.kernel2 = kernel.reshape(kh * kw * c, f)
        self.bias_in_gemm = bias is not None and not self.pointwise
        weights = self.kernel2
        if self.bias_in_gemm:
            weights = np.concatenate([weights, bias[None].astype(weights.dtype, copy=False)])
        dtype = np.result_type(xp, weights)
        self.y = self._gemm_rows(xp.shape[0] * self.pixels, f, dtype)
        self._start_outputs(f, dtype)
        cores = self._cores()
        chunks = self._chunks(cores)
        self.kept_patches, self.kept_chunks = self._patches_to_keep(), None

        def forward_chunk(chunk, _):
            out = self._chunk_rows(chunk, f, dtype)
            matmul(self._patches(*chunk), weights, out=out)
            if bias is not None and not self.bias_in_gemm:
                out += bias
            if self.relu and not self.relu_after_pooling:
                elementwise.relu(out, out=out)
            self._end_chunk(chunk, out)

        run_chunks(forward_chunk, chunks, cores=cores)
        if self.kept_patches is not None:
            self.kept_chunks = chunks  # ConvMaxPool's rows are in place order within a chunk: backward must match
        return self._outputs()

    def _patches_to_keep(self):
        """The buffer forward writes the batch's patches into for backward, or None (see KEEP_PATCHES_BYTES)."""
        rows, columns = self.xp.shape[0] * self.pixels, self.kernel2.shape[0] + self.bias_in_gemm
        if self.pointwise or context.grad_mode is False or rows * columns * self.xp.itemsize > KEEP_PATCHES_BYTES:
            return None
        return np.empty((rows, columns), self.xp.dtype)

    relu_after_pooling = False  # ConvMaxPool: max(relu(a), relu(b)) = relu(max(a, b)), on 4x fewer values

    def _rows_per_sample(self):
        """How many output positions of a sample the GEMM computes: all of them here."""
        oh, ow = self.window.out_size
        return oh * ow

    def _gemm_rows(self, rows, filters, dtype):
        """The GEMM's output `y` for the whole batch, (rows, filters)."""
        return np.empty((rows, filters), dtype)

    def _chunk_rows(self, chunk, filters, dtype):
        """Where a chunk's GEMM writes its rows."""
        return self.y[chunk[0] * self.pixels : chunk[1] * self.pixels]

    def _start_outputs(self, filters, dtype):
        """Hook: allocate outputs beyond the convolution's own `y`."""

    def _end_chunk(self, chunk, out):
        """Hook: use a chunk's activations `out` (rows, filters) while they are in cache."""

    def _outputs(self):
        b, (oh, ow), f = self.xp.shape[0], self.window.out_size, self.y.shape[1]
        y = self.y
        if not self.relu:
            del self.y  # backward needs it only for the ReLU mask
        return y.reshape(b, ow, f) if len(self.x_shape) == 3 else y.reshape(b, oh, ow, f)

    def _chunk_grad(self, gy, chunk):
        """The gradient w.r.t. a chunk's pre-activation output, (rows, filters)."""
        rows = slice(chunk[0] * self.pixels, chunk[1] * self.pixels)
        g = gy.reshape(-1, self.kernel2.shape[1])[rows]
        return g * (self.y[rows] > 0) if self.relu else g

    def _chunks(self, cores=None):
        """(start, stop) sample ranges of about CHUNK_BYTES of patches each, evenly sized."""
        b = self.xp.shape[0]
        per_sample = self.pixels * (self.kernel2.shape[0] + 1) * self.xp.itemsize
        return split_evenly(b, -(-b * per_sample // CHUNK_BYTES), cores)  # an empty batch is one empty chunk

    def _cores(self):
        """How many cores share the batch's chunks: all the policy allows, or 1 for a small batch."""
        return None if self.xp.shape[0] >= CHUNKS_ON_ALL_CORES_FROM else 1

    def _patches(self, start, stop):
        """The patch matrix of samples start..stop (a view of the input for 1x1 convolutions)."""
        xp = self.xp[start:stop]
        rows = (stop - start) * self.pixels
        if self.pointwise:
            return xp.reshape(rows, xp.shape[3])
        kept = self.kept_patches
        if kept is not None:
            buffer = kept[start * self.pixels : stop * self.pixels]
            if self.kept_chunks is not None:  # written by forward
                return buffer
        else:
            buffer = scratch("patches", (rows, self.kernel2.shape[0] + self.bias_in_gemm), xp.dtype)
        if self.bias_in_gemm:
            buffer[:, -1] = 1
        return self._im2col(xp, buffer)

    def _im2col(self, xp, out):
        """Write the patches of the GEMM's rows, in their order, into `out`; returns `out`."""
        return im2col(xp, self.window, out)

    def _col2im(self, gcols, gxp):
        """The adjoint of `_im2col`: add the rows' patch gradients into `gxp`."""
        col2im(gcols, self.window, gxp)

    def _spatial_grad(self, gc, n):
        """A chunk's GEMM-row gradient as the gradient of every output position, (n * oh * ow, filters)."""
        return gc

    def _in_spatial_order(self, gc, n):
        """A chunk's GEMM-row gradient in the row order `_col2im` takes."""
        return gc

    def _input_grad_by_transposed_conv(self):
        """Whether the input gradient is cheaper as a transposed convolution (see DIRECT_INPUT_GRAD_FROM)."""
        if self.pointwise or self.strides != (1, 1):
            return False
        height, width = self.x4_shape[1:3]
        return height * width < DIRECT_INPUT_GRAD_FROM * self.pixels

    def backward(self, gy):
        gy = np.ascontiguousarray(gy)  # a channels_first gradient arrives transposed: copy it once
        dtype = gy.dtype
        has_bias = len(self.inputs) == 3
        need_x, need_k = self.input_requires_grad(0), self.input_requires_grad(1)
        need_b = has_bias and self.input_requires_grad(2)
        need_gemm_w = need_k or (need_b and self.bias_in_gemm)  # kernel (and bias) rows of one GEMM
        by_transposed_conv = need_x and self._input_grad_by_transposed_conv()
        if by_transposed_conv:
            gxp, grad_of_input = np.empty(self.x4_shape, dtype=dtype), self._transposed_conv(dtype)
        elif need_x:
            gxp = (np.empty if self.pointwise else np.zeros)(self.xp.shape, dtype=dtype)
        gw_shape = (self.kernel2.shape[0] + self.bias_in_gemm, self.kernel2.shape[1])
        need_gb_sum = need_b and not self.bias_in_gemm

        def new_partials():  # one thread's sums over its chunks: [GEMM weights' gradient, bias gradient]
            return [np.zeros(gw_shape, dtype) if need_gemm_w else None, 0 if need_gb_sum else None]

        def backward_chunk(chunk, partials):
            gc = self._chunk_grad(gy, chunk)
            if need_gemm_w:
                partials[0] += matmul(self._patches(*chunk).T, gc)
            if need_gb_sum:
                partials[1] = partials[1] + gc.sum(axis=0)
            if by_transposed_conv:
                grad_of_input(self._spatial_grad(gc, chunk[1] - chunk[0]), gxp[chunk[0] : chunk[1]])
            elif need_x:
                gcols = matmul(self._in_spatial_order(gc, chunk[1] - chunk[0]), self.kernel2.T)
                gx_chunk = gxp[chunk[0] : chunk[1]]
                if self.pointwise:
                    gx_chunk[...] = gcols.reshape(gx_chunk.shape)
                else:
                    self._col2im(gcols, gx_chunk)

        cores = self._cores()
        chunks = self._chunks(cores)
        if self.kept_chunks != chunks:  # rebuild each chunk's patches after all
            self.kept_patches = self.kept_chunks = None
        partials = run_chunks(backward_chunk, chunks, new_partials, cores=cores)
        gw = sum(p[0] for p in partials) if need_gemm_w else None
        gb = sum(p[1] for p in partials) if need_gb_sum else None
        gx = unpad_spatial(gxp, self.pads, self.x4_shape).reshape(self.x_shape) if need_x else None  # a view
        gk = gw[: self.kernel2.shape[0]].reshape(self.kernel_shape) if need_k else None
        if need_b and self.bias_in_gemm:
            gb = gw[-1]
        return (gx, gk, gb) if has_bias else (gx, gk)

    def _transposed_conv(self, dtype):
        """For stride 1: a function writing a chunk's input gradient from its output gradient (rows, filters).

        dx is dy padded by the kernel's span less the forward padding, convolved with the kernel turned
        half a circle and its channel axes swapped: a strided copy and one GEMM straight into dx,
        where col2im would add kh * kw strided blocks into a padded gradient (about twice the time).
        """
        kh, kw, c, f = self.kernel4_shape
        (dh, dw), (oh, ow), (height, width) = self.dilation, self.window.out_size, self.x4_shape[1:3]
        (top, bottom), (left, right) = self.pads
        span_h, span_w = (kh - 1) * dh, (kw - 1) * dw
        grad_pads = ((span_h - top, span_h - bottom), (span_w - left, span_w - right))
        turned = self.kernel2.reshape(kh, kw, c, f)[::-1, ::-1].transpose(0, 1, 3, 2)
        turned = np.ascontiguousarray(turned, dtype=dtype).reshape(kh * kw * f, c)
        window = Window((kh, kw), (1, 1), self.dilation, (height, width))

        def grad_of_input(gc, gx_chunk):
            n = gx_chunk.shape[0]
            padded_shape = (n, oh + sum(grad_pads[0]), ow + sum(grad_pads[1]), f)
            padded = pad_spatial_into(gc.reshape(n, oh, ow, f), grad_pads, scratch("padded_grad", padded_shape, dtype))
            cols = im2col(padded, window, scratch("patches", (n * height * width, kh * kw * f), dtype))
            matmul(cols, turned, out=gx_chunk.reshape(-1, c))

        return grad_of_input


class ConvMaxPool(Conv):
    """Conv (ReLU fused) followed by max pooling over windows that tile its output, chunk by chunk.

    Exactly Conv then MaxPool (valid padding, pool size == strides), but the GEMM computes only the
    output positions some window covers, grouped by their place in the window: a chunk's rows are
    (place, sample, pooled row, pooled column). So pooling is a maximum over ph * pw contiguous
    blocks, its backward routes into contiguous blocks, and the rows a window misses (the 11th
    row and column of the notes' 11x11 maps, 17% of that GEMM) are never computed. Each place's
    patches are an im2col over a grid ph (pw) times coarser, started at that place.
    """

    saved = Conv.saved + ("pooled", "pooled_size")
    relu_after_pooling = True

    def __init__(self, strides, pads, dilation, relu, pool_size):
        super().__init__(strides, pads, dilation, relu)
        self.pool_size = pool_size

    def _rows_per_sample(self):
        (oh, ow), (ph, pw) = self.window.out_size, self.pool_size
        self.pooled_size = (oh // ph, ow // pw)
        return ph * pw * self.pooled_size[0] * self.pooled_size[1]

    def _places(self):
        """For each place in the pooling window: its first output position's offset in input pixels, and the grid."""
        (ph, pw), (sh, sw) = self.pool_size, self.strides
        grid = Window(self.window.kernel_size, (sh * ph, sw * pw), self.dilation, self.pooled_size)
        return [(a * sh, b * sw) for a in range(ph) for b in range(pw)], grid

    def _im2col(self, xp, out):
        offsets, grid = self._places()
        block = xp.shape[0] * grid.out_size[0] * grid.out_size[1]
        for n, (top, left) in enumerate(offsets):
            im2col(xp[:, top:, left:], grid, out[n * block : (n + 1) * block])
        return out

    def _in_spatial_order(self, gc, n):
        """The rows (place, sample, pooled row, pooled column) as (sample, row, column) of the covered positions."""
        (ph, pw), (poh, pow_), f = self.pool_size, self.pooled_size, gc.shape[1]
        spatial = scratch("spatial_rows", (n, poh, ph, pow_, pw, f), gc.dtype)
        np.copyto(spatial, gc.reshape(ph, pw, n, poh, pow_, f).transpose(2, 3, 0, 4, 1, 5))
        return spatial.reshape(-1, f)

    def _col2im(self, gcols, gxp):
        """The adjoint of the convolution's im2col over the covered positions (rows from `_in_spatial_order`):
        one add per kernel position, where one per place and position took 424 us against 338 (16 images)."""
        (ph, pw), (poh, pow_) = self.pool_size, self.pooled_size
        col2im(gcols, self.window._replace(out_size=(poh * ph, pow_ * pw)), gxp)

    def _blocks(self, rows):
        """A chunk's GEMM rows (rows, filters) as (places, pooled rows, filters)."""
        places = self.pool_size[0] * self.pool_size[1]
        return rows.reshape(places, rows.shape[0] // places, rows.shape[1])

    def _gemm_rows(self, rows, filters, dtype):
        """None outside autograd (evaluate, predict): each chunk's rows then live in cache only (`_chunk_rows`)."""
        return None if context.grad_mode is False else super()._gemm_rows(rows, filters, dtype)

    def _chunk_rows(self, chunk, filters, dtype):
        if self.y is not None:
            return super()._chunk_rows(chunk, filters, dtype)
        return scratch("conv_rows", ((chunk[1] - chunk[0]) * self.pixels, filters), dtype)  # used in-chunk

    def _start_outputs(self, filters, dtype):
        self.pooled = np.empty((self.xp.shape[0], *self.pooled_size, filters), dtype=dtype)

    def _end_chunk(self, chunk, out):
        pooled = self.pooled[chunk[0] : chunk[1]].reshape(-1, out.shape[1])
        blocks = self._blocks(out)
        if len(blocks) > 1:
            np.maximum.reduce(blocks, axis=0, out=pooled)
        else:  # a 1x1 pool
            np.copyto(pooled, blocks[0])
        if self.relu:
            elementwise.relu(pooled, out=pooled)

    def _outputs(self):
        return self.pooled

    def _chunk_grad(self, gy, chunk):
        f = self.y.shape[1]
        pooled = self.pooled[chunk[0] : chunk[1]].reshape(-1, f)
        g = gy[chunk[0] : chunk[1]].reshape(-1, f)
        if self.relu:  # a window's maximum is positive exactly when its ReLU passes gradient (`y` is before it)
            g = g * (pooled > 0)
        y = self._blocks(self.y[chunk[0] * self.pixels : chunk[1] * self.pixels])
        routed = scratch("routed", y.shape, g.dtype)  # used in-chunk
        route_to_max(g, y, pooled, range(len(y)), routed, tiles=True)
        return routed.reshape(-1, f)

    def _spatial_grad(self, gc, n):
        (oh, ow), (ph, pw), (poh, pow_) = self.window.out_size, self.pool_size, self.pooled_size
        f = gc.shape[1]
        spatial = zero_uncovered(scratch("spatial_grad", (n, oh, ow, f), gc.dtype), self.pool_size, self.pooled_size)
        blocks = gc.reshape(ph * pw, n, poh, pow_, f)
        for place, (a, b) in enumerate((a, b) for a in range(ph) for b in range(pw)):
            spatial[:, a : poh * ph : ph, b : pow_ * pw : pw] = blocks[place]
        return spatial.reshape(-1, f)


def conv_geometry(x_shape, kernel_shape, strides, padding, dilation_rate):
    """Strides, dilation and explicit pads as 2-D tuples for a 1-D or 2-D convolution."""
    rank = len(x_shape) - 2
    strides = normalize_tuple(strides, rank, "strides")
    dilation = normalize_tuple(dilation_rate, rank, "dilation_rate")
    pads = tuple(
        padding_amounts(n, k, s, d, padding)
        for n, k, s, d in zip(x_shape[1:-1], kernel_shape[:rank], strides, dilation, strict=True)
    )
    if rank == 1:
        strides, dilation, pads = (1, *strides), (1, *dilation), ((0, 0), *pads)
    return strides, pads, dilation


def check_conv_arguments(name, inputs, kernel, padding, data_format, ranks, dims, kernel_words, channel_words):
    """The lower-cased padding, once inputs, kernel, padding and data_format suit the convolution op `name`."""
    if data_format not in (None, "channels_last"):
        raise ValueError(f"npkeras computes convolutions channels_last only. Received data_format={data_format!r}")
    if inputs.ndim not in ranks or kernel.ndim != inputs.ndim:
        rank_words = ", ".join(str(r) for r in ranks[:-1]) + f" or {ranks[-1]}"
        raise ValueError(
            f"`{name}` takes a {dims} batch (rank {rank_words}) and {kernel_words} of the same rank. "
            f"Received inputs.shape={inputs.shape}, kernel.shape={kernel.shape}"
        )
    padding = padding.lower() if isinstance(padding, str) else padding
    if padding not in ("valid", "same", "causal"):
        raise ValueError(f'`padding` must be "valid", "same" or "causal". Received padding={padding!r}')
    if kernel.shape[-2] != inputs.shape[-1]:
        raise ValueError(
            f"`{name}`: the {channel_words} ({kernel.shape[-2]}) differ from the input's "
            f"({inputs.shape[-1]}). Received inputs.shape={inputs.shape}, kernel.shape={kernel.shape}"
        )
    return padding


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Keras's `ops.conv` for 1-D, 2-D and 3-D channels_last inputs."""
    inputs, kernel = as_tensor(inputs), as_tensor(kernel)
    padding = check_conv_arguments(
        "conv",
        inputs,
        kernel,
        padding,
        data_format,
        (3, 4, 5),
        "1-D, 2-D or 3-D",
        "a kernel",
        "kernel's input channels",
    )
    if inputs.ndim == 5:
        from npkeras.ops.volumetric import conv3d  # built on this module's op

        if padding == "causal":
            raise ValueError('`padding` must be "valid" or "same" for a 3-D convolution. Received padding="causal"')
        return conv3d(inputs, kernel, strides, padding, dilation_rate)
    strides, pads, dilation = conv_geometry(inputs.shape, kernel.shape, strides, padding, dilation_rate)
    spatial_x = inputs.shape[1:-1] if inputs.ndim == 4 else (1, inputs.shape[1])
    spatial_k = kernel.shape[:2] if kernel.ndim == 4 else (1, kernel.shape[0])
    for n, k, s, d, p in zip(spatial_x, spatial_k, strides, dilation, pads, strict=True):
        if output_size(n, k, s, d, p) <= 0:
            raise ValueError(
                "Computed output size would be zero or negative: the kernel is larger than the padded input. "
                f"Received inputs.shape={inputs.shape}, kernel.shape={kernel.shape}, strides={strides}, "
                f"padding={padding!r}, dilation_rate={dilation_rate}"
            )
    return Conv(strides, pads, dilation)(inputs, kernel)
