"""Transposed convolution (1-D and 2-D, channels_last): the input gradient of a convolution, as an op.

`conv_transpose(x, kernel)` with a kernel (kh, kw, out_channels, in_channels) is the adjoint of the
convolution that maps an output-sized image to x with that same kernel, so its three passes are the
convolution's passes in another order, on the im2col machinery of convolution.py:
- forward: one GEMM x @ kernel.T gives every input pixel's patch, and col2im adds the patches into
  the (padded) output, tap by tap;
- input gradient: a plain convolution of the output gradient with the kernel (strided, padded);
- kernel gradient: the patches of the padded output gradient against x, one GEMM per chunk.
Output sizes follow TensorFlow (and so Keras): "valid" gives (n - 1) * s + max(span, s), "same" n * s,
and `output_padding` p gives (n - 1) * s + span + p ("valid") or (n - 1) * s + k % 2 + p ("same").
3-D inputs are handed to volumetric.py, which builds on this op.
"""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.autograd.tensor import as_tensor
from npkeras.backend.parallel import run_chunks, split_evenly
from npkeras.backend.scratch import scratch
from npkeras.backend.threads import matmul
from npkeras.ops.convolution import CHUNK_BYTES, Conv, Window, col2im, im2col
from npkeras.ops.windows import normalize_tuple, output_size, pad_spatial, padding_amounts, unpad_spatial


def transposed_output_size(size, kernel, stride, dilation, padding, output_padding):
    """The length of one output axis of a transposed convolution (TensorFlow's rule), None if unknown."""
    if size is None:
        return None
    span = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(span, stride) - span if output_padding is None else output_padding
        return (size - 1) * stride + span + extra
    if output_padding is None:
        return size * stride
    return (size - 1) * stride + kernel % 2 + output_padding


class ConvTranspose(Function):
    """y = conv_transpose(x, kernel) over 2 spatial axes; 1-D inputs ride along as height 1.

    `pads` are those of the convolution from y back to x (in output pixels), `out_size` y's spatial size.
    """

    saved = ("kernel", "kernel_shape", "x", "x_shape")

    def __init__(self, strides, pads, dilation, out_size):
        self.strides, self.pads, self.dilation, self.out_size = strides, pads, dilation, out_size

    def _chunks(self, b, per_sample):
        return split_evenly(b, -(-b * per_sample // CHUNK_BYTES))

    def forward(self, x, kernel):
        self.x_shape, self.kernel_shape = x.shape, kernel.shape
        if x.ndim == 3:  # (b, length, c) -> (b, 1, length, c); kernel (k, f, c) -> (1, k, f, c)
            x, kernel = x[:, None], kernel[None]
        self.x, self.kernel = x, kernel
        b, ih, iw, c = x.shape
        kh, kw, f, _ = kernel.shape
        (top, bottom), (left, right) = self.pads
        dtype = np.result_type(x, kernel)
        yp = np.zeros((b, self.out_size[0] + top + bottom, self.out_size[1] + left + right, f), dtype=dtype)
        window = Window((kh, kw), self.strides, self.dilation, (ih, iw))
        weights_t = np.ascontiguousarray(kernel.reshape(kh * kw * f, c).T)
        x2 = x.reshape(b * ih * iw, c)

        def forward_chunk(chunk, _):
            rows = slice(chunk[0] * ih * iw, chunk[1] * ih * iw)
            cols = matmul(x2[rows], weights_t, out=scratch("patches", (rows.stop - rows.start, kh * kw * f), dtype))
            col2im(cols, window, yp[chunk[0] : chunk[1]])

        run_chunks(forward_chunk, self._chunks(b, ih * iw * kh * kw * f * yp.itemsize))
        y = unpad_spatial(yp, self.pads, (b, *self.out_size, f))
        y = np.ascontiguousarray(y)
        return y[:, 0] if len(self.x_shape) == 3 else y

    def backward(self, gy):
        gy4 = np.ascontiguousarray(gy)[:, None] if len(self.x_shape) == 3 else np.ascontiguousarray(gy)
        x, kernel = self.x, self.kernel
        gx = gk = None
        if self.input_requires_grad(0):  # the convolution this op is the adjoint of
            gx = Conv(self.strides, self.pads, self.dilation).forward(gy4, kernel.astype(gy4.dtype, copy=False))
            gx = gx.reshape(self.x_shape)
        if self.input_requires_grad(1):
            kh, kw, f, c = kernel.shape
            b, ih, iw = x.shape[:3]
            gyp = pad_spatial(gy4, self.pads)
            window = Window((kh, kw), self.strides, self.dilation, (ih, iw))
            x2 = x.reshape(b * ih * iw, c).astype(gy4.dtype, copy=False)

            def kernel_chunk(chunk, partial):
                n = chunk[1] - chunk[0]
                cols = im2col(
                    gyp[chunk[0] : chunk[1]], window, scratch("patches", (n * ih * iw, kh * kw * f), gy.dtype)
                )
                partial[0] += matmul(cols.T, x2[chunk[0] * ih * iw : chunk[1] * ih * iw])

            partials = run_chunks(
                kernel_chunk,
                self._chunks(b, ih * iw * kh * kw * f * gy.itemsize),
                lambda: [np.zeros((kh * kw * f, c), gy.dtype)],
            )
            gk = sum(p[0] for p in partials).reshape(self.kernel_shape)
        return gx, gk


def conv_transpose_geometry(x_shape, kernel_shape, strides, padding, output_padding, dilation_rate):
    """Strides, dilation, pads (of the adjoint convolution) and output size as 2-D tuples."""
    rank = len(x_shape) - 2
    strides = normalize_tuple(strides, rank, "strides")
    dilation = normalize_tuple(dilation_rate, rank, "dilation_rate")
    if output_padding is not None:
        output_padding = normalize_tuple(output_padding, rank, "output_padding", allow_zero=True)
    out_size, pads = [], []
    for i in range(rank):
        n, k, s, d = x_shape[1 + i], kernel_shape[i], strides[i], dilation[i]
        out = transposed_output_size(n, k, s, d, padding, None if output_padding is None else output_padding[i])
        pad = padding_amounts(out, k, s, d, padding)
        if output_size(out, k, s, d, pad) != n:
            raise ValueError(
                f"`conv_transpose`: an output of size {out} on spatial axis {i} would not convolve back to the "
                f"input's size {n} with kernel_size={k}, strides={s}, padding={padding!r}, "
                f"output_padding={output_padding}. Received inputs.shape={tuple(x_shape)}"
            )
        out_size.append(out)
        pads.append(pad)
    if rank == 1:
        return (1, *strides), ((0, 0), *pads), (1, *dilation), (1, *out_size)
    return strides, tuple(pads), dilation, tuple(out_size)


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None, dilation_rate=1):
    """Keras's `ops.conv_transpose` for 1-D, 2-D and 3-D channels_last inputs; kernel (*k, out, in)."""
    inputs, kernel = as_tensor(inputs), as_tensor(kernel)
    if data_format not in (None, "channels_last"):
        raise ValueError(f"npkeras computes convolutions channels_last only. Received data_format={data_format!r}")
    if inputs.ndim not in (3, 4, 5) or kernel.ndim != inputs.ndim:
        raise ValueError(
            "`conv_transpose` takes a 1-D, 2-D or 3-D batch (rank 3, 4 or 5) and a kernel of the same rank. "
            f"Received inputs.shape={inputs.shape}, kernel.shape={kernel.shape}"
        )
    padding = padding.lower() if isinstance(padding, str) else padding
    if padding not in ("valid", "same"):
        raise ValueError(f"The `padding` argument must be one of 'valid', 'same'. Received: padding={padding}")
    if kernel.shape[-1] != inputs.shape[-1]:
        raise ValueError(
            "The number of input channels must match the last dimension of the kernel (the kernel is "
            f"(*kernel_size, filters, input_channels)). Received inputs.shape={inputs.shape}, "
            f"kernel.shape={kernel.shape}"
        )
    if inputs.ndim == 5:
        from npkeras.ops.volumetric import conv_transpose3d  # built on this module's op

        return conv_transpose3d(inputs, kernel, strides, padding, output_padding, dilation_rate)
    geometry = conv_transpose_geometry(inputs.shape, kernel.shape, strides, padding, output_padding, dilation_rate)
    return ConvTranspose(*geometry)(inputs, kernel)
