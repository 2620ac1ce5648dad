"""Depthwise and separable convolution (1-D and 2-D, channels_last).

A depthwise convolution filters every input channel on its own with `depth_multiplier` kernels:
kernel (kh, kw, channels, multiplier), output channel c * multiplier + m. It has no sum over
channels, so it is no GEMM; it is computed as a tap accumulation: for each of the kh * kw kernel
positions one strided view of the padded input (that position of every window at once) is scaled
per channel and added into the output. The loop is over taps only, never over samples or pixels;
backward walks the same views (the input gradient added back tap by tap, as col2im does).
A separable convolution is a depthwise one followed by a 1x1 convolution (convolution.py's op).
"""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import as_tensor
from npkeras.ops.convolution import check_conv_arguments, conv, conv_geometry
from npkeras.ops.windows import output_size, pad_spatial, unpad_spatial, window_slice


class DepthwiseConv(Function):
    """y = depthwise_conv(x, kernel) over 2 spatial axes; 1-D inputs ride along as height 1."""

    saved = ("kernel4", "kernel_shape", "out_size", "x4_shape", "x_shape", "xp")

    def __init__(self, strides, pads, dilation):
        self.strides, self.pads, self.dilation = strides, pads, dilation

    def _taps(self):
        """(i, j, index of that kernel position's view of every window in the padded input)."""
        kh, kw = self.kernel4.shape[:2]
        (sh, sw), (dh, dw), (oh, ow) = self.strides, self.dilation, self.out_size
        for i in range(kh):
            for j in range(kw):
                yield i, j, (slice(None), window_slice(i * dh, sh, oh), window_slice(j * dw, sw, ow))

    def forward(self, x, kernel):
        self.x_shape, self.kernel_shape = x.shape, kernel.shape
        if x.ndim == 3:  # (b, length, c) -> (b, 1, length, c); kernel (k, c, m) -> (1, k, c, m)
            x, kernel = x[:, None], kernel[None]
        self.x4_shape, self.kernel4 = x.shape, kernel
        self.xp = xp = pad_spatial(x, self.pads)
        kh, kw, c, m = kernel.shape
        self.out_size = tuple(
            output_size(n, k, s, d, (0, 0))
            for n, k, s, d in zip(xp.shape[1:3], (kh, kw), self.strides, self.dilation, strict=True)
        )
        dtype = np.result_type(xp, kernel)
        y = np.zeros((m, xp.shape[0], *self.out_size, c), dtype=dtype)  # multiplier first: every step runs over c
        term = np.empty(y.shape[1:], dtype=dtype)
        for i, j, key in self._taps():
            view = xp[key]
            for n in range(m):
                y[n] += np.multiply(view, kernel[i, j, :, n], out=term)
        y = np.moveaxis(y, 0, -1).reshape(*y.shape[1:4], c * m)  # output channel c * m + n: one copy
        return y[:, 0] if len(self.x_shape) == 3 else y

    def backward(self, gy):
        kh, kw, c, m = self.kernel4.shape
        b, (oh, ow) = self.x4_shape[0], self.out_size
        g = np.ascontiguousarray(np.moveaxis(np.asarray(gy).reshape(b, oh, ow, c, m), -1, 0))  # (m, b, oh, ow, c)
        need_x, need_k = self.input_requires_grad(0), self.input_requires_grad(1)
        gxp = np.zeros(self.xp.shape, dtype=g.dtype) if need_x else None
        gk = np.empty(self.kernel4.shape, dtype=g.dtype) if need_k else None
        kernel = self.kernel4.astype(g.dtype, copy=False)
        term = np.empty(g.shape[1:], dtype=g.dtype)
        for i, j, key in self._taps():
            for n in range(m):
                if need_k:
                    gk[i, j, :, n] = np.multiply(self.xp[key], g[n], out=term).sum(axis=(0, 1, 2))
                if need_x:
                    gxp[key] += np.multiply(g[n], kernel[i, j, :, n], out=term)
        gx = unpad_spatial(gxp, self.pads, self.x4_shape).reshape(self.x_shape) if need_x else None
        return gx, (gk.reshape(self.kernel_shape) if need_k else None)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Keras's `ops.depthwise_conv` for 1-D and 2-D channels_last inputs; kernel (*k, channels, multiplier)."""
    inputs, kernel = as_tensor(inputs), as_tensor(kernel)
    padding = check_conv_arguments(
        "depthwise_conv",
        inputs,
        kernel,
        padding,
        data_format,
        (3, 4),
        "1-D or 2-D",
        "a depthwise kernel",
        "depthwise kernel's channels",
    )
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
    return DepthwiseConv(strides, pads, dilation)(inputs, kernel)


def separable_conv(
    inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None, dilation_rate=1
):
    """Keras's `ops.separable_conv`: a depthwise convolution, then a 1x1 convolution mixing its channels."""
    depthwise = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format, dilation_rate)
    return conv(depthwise, pointwise_kernel, 1, "valid", data_format)
