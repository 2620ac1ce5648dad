"""3-D convolution and pooling (channels_last, (batch, depth, height, width, channels)) on the 2-D ops.

A 3-D convolution is a 2-D one over height and width once the depth windows are laid out as
channels: DepthWindows copies, from one strided view, every output depth's kd input slices side
by side, (batch * out_depth, height, width, kd * channels); the kernel (kd, kh, kw, c, f) turned
to (kh, kw, kd * c, f) then makes convolution.py's im2col + GEMM op compute exactly the 3-D sum,
forward and backward. A 3-D transposed convolution is the adjoint of that chain: the 2-D transposed
convolution of transposed_convolution.py over height and width, then DepthOverlapAdd, which adds
each input depth's kd slices back into the output depths they cover.

Max and average pooling separate over the axes (the maximum, and TensorFlow's "same" average, which
divides by the real pixels a window covers, a product over the axes): 2-D pooling over height and
width, then 1-D pooling over depth, both pooling.py's ops.
"""

import numpy as np
from numpy.lib.stride_tricks import as_strided

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import as_tensor
from npkeras.ops.convolution import Conv
from npkeras.ops.pooling import average_pool, max_pool
from npkeras.ops.shaping import reshape, transpose
from npkeras.ops.transposed_convolution import ConvTranspose, conv_transpose_geometry, transposed_output_size
from npkeras.ops.windows import normalize_tuple, output_size, padding_amounts, window_slice


def gather_depth_windows(x, window, stride, dilation, pads):
    """(b, d, h, w, c) -> (b * od, h, w, k * c): the k depth slices each output depth reads, padded."""
    b, d, h, w, c = x.shape
    before, after = pads
    xp = x
    if before or after:
        xp = np.zeros((b, d + before + after, h, w, c), dtype=x.dtype)
        xp[:, before : before + d] = x
    od = output_size(xp.shape[1], window, stride, dilation, (0, 0))
    sb, sd, sh, sw, sc = xp.strides
    view = as_strided(xp, (b, od, h, w, window, c), (sb, sd * stride, sh, sw, sd * dilation, sc))
    return np.ascontiguousarray(view).reshape(b * od, h, w, window * c)


def scatter_depth_windows(g, x_shape, window, stride, dilation, pads):
    """The adjoint of gather_depth_windows: add each window's k slices back into a (b, d, h, w, c) array."""
    b, d, h, w, c = x_shape
    before, after = pads
    od = g.shape[0] // b if b else 0
    g6 = g.reshape(b, od, h, w, window, c)
    gxp = np.zeros((b, d + before + after, h, w, c), dtype=g.dtype)
    for t in range(window):  # one strided block per depth tap
        gxp[:, window_slice(t * dilation, stride, od)] += g6[:, :, :, :, t]
    return gxp[:, before : before + d]


class DepthWindows(Function):
    """gather_depth_windows as an op: the depth half of a 3-D convolution's im2col."""

    saved = ("x_shape",)

    def __init__(self, window, stride, dilation, pads):
        self.geometry = (window, stride, dilation, pads)

    def forward(self, x):
        self.x_shape = x.shape
        return gather_depth_windows(x, *self.geometry)

    def backward(self, gy):
        return scatter_depth_windows(gy, self.x_shape, *self.geometry)


class DepthOverlapAdd(Function):
    """scatter_depth_windows as an op (the depth half of a 3-D transposed convolution); out_shape (b, d, h, w, c)."""

    def __init__(self, out_shape, window, stride, dilation, pads):
        self.out_shape, self.geometry = out_shape, (window, stride, dilation, pads)

    def forward(self, x):
        return scatter_depth_windows(x, self.out_shape, *self.geometry)

    def backward(self, gy):
        return gather_depth_windows(np.ascontiguousarray(gy), *self.geometry)


def conv3d(inputs, kernel, strides=1, padding="valid", dilation_rate=1, bias=None, relu=False):
    """A 3-D convolution (channels_last), with an optional bias and fused ReLU."""
    inputs, kernel = as_tensor(inputs), as_tensor(kernel)
    strides = normalize_tuple(strides, 3, "strides")
    dilation = normalize_tuple(dilation_rate, 3, "dilation_rate")
    pads = tuple(
        padding_amounts(n, k, s, d, padding)
        for n, k, s, d in zip(inputs.shape[1:4], kernel.shape[:3], strides, dilation, strict=True)
    )
    for n, k, s, d, p in zip(inputs.shape[1:4], kernel.shape[:3], strides, dilation, pads, strict=True):
        if output_size(n, k, s, d, p) <= 0:
            raise ValueError(
                "Computed output size would be zero or negative: the kernel is larger than the padded input. "
                f"Received inputs.shape={inputs.shape}, kernel.shape={kernel.shape}, strides={strides}, "
                f"padding={padding!r}, dilation_rate={dilation_rate}"
            )
    kd, kh, kw, c, f = kernel.shape
    windows = DepthWindows(kd, strides[0], dilation[0], pads[0])(inputs)
    turned = reshape(transpose(kernel, (1, 2, 0, 3, 4)), (kh, kw, kd * c, f))
    op = Conv(strides[1:], pads[1:], dilation[1:], relu=relu)
    y = op(windows, turned) if bias is None else op(windows, turned, as_tensor(bias))
    od = output_size(inputs.shape[1], kd, strides[0], dilation[0], pads[0])
    return reshape(y, (inputs.shape[0], od, *y.shape[1:]))


def conv_transpose3d(inputs, kernel, strides=1, padding="valid", output_padding=None, dilation_rate=1):
    """The adjoint of conv3d (channels_last); kernel (kd, kh, kw, filters, input channels)."""
    inputs, kernel = as_tensor(inputs), as_tensor(kernel)
    strides = normalize_tuple(strides, 3, "strides")
    dilation = normalize_tuple(dilation_rate, 3, "dilation_rate")
    if output_padding is not None:
        output_padding = normalize_tuple(output_padding, 3, "output_padding", allow_zero=True)
    b, d, h, w, c = inputs.shape
    kd, kh, kw, f, _ = kernel.shape
    out_depth = transposed_output_size(d, kd, strides[0], dilation[0], padding, output_padding and output_padding[0])
    depth_pads = padding_amounts(out_depth, kd, strides[0], dilation[0], padding)
    if output_size(out_depth, kd, strides[0], dilation[0], depth_pads) != d:
        raise ValueError(
            f"`conv_transpose`: an output depth of {out_depth} would not convolve back to the input's {d}. "
            f"Received inputs.shape={inputs.shape}, kernel.shape={kernel.shape}, strides={strides}, "
            f"padding={padding!r}, output_padding={output_padding}"
        )
    planes = reshape(inputs, (b * d, h, w, c))
    turned = reshape(transpose(kernel, (1, 2, 0, 3, 4)), (kh, kw, kd * f, c))
    geometry = conv_transpose_geometry(
        planes.shape, turned.shape, strides[1:], padding, output_padding and output_padding[1:], dilation[1:]
    )
    y = ConvTranspose(*geometry)(planes, turned)  # (b * d, out_h, out_w, kd * f)
    out_shape = (b, out_depth, *y.shape[1:3], f)
    return DepthOverlapAdd(out_shape, kd, strides[0], dilation[0], depth_pads)(y)


def pool3d(inputs, pool_size, strides=None, padding="valid", average=False):
    """3-D max or average pooling (channels_last): over height and width, then over depth."""
    inputs = as_tensor(inputs)
    pool_size = normalize_tuple(pool_size, 3, "pool_size")
    strides = pool_size if strides is None else normalize_tuple(strides, 3, "strides")
    pool = average_pool if average else max_pool
    b, d, h, w, c = inputs.shape
    planes = pool(reshape(inputs, (b * d, h, w, c)), pool_size[1:], strides[1:], padding)
    oh, ow = planes.shape[1:3]
    y = pool(reshape(planes, (b, d, oh * ow, c)), (pool_size[0], 1), (strides[0], 1), padding)
    return reshape(y, (b, y.shape[1], oh, ow, c))
