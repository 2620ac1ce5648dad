"""The Conv op and `ops.conv`: values against a loop reference, gradients, chunking, frozen inputs, memory."""

import itertools
import math
import tracemalloc

import numpy as np
import pytest

import npkeras
from npkeras import ops
from npkeras.autograd import GradientTape, Tensor, gradient_check
from npkeras.autograd.engine import gradients
from npkeras.backend import blas_threads_scope, get_blas_threads, set_blas_threads, threads
from npkeras.ops import convolution
from npkeras.ops.convolution import Conv, ConvMaxPool, conv, conv_geometry

# ---- a reference written with explicit loops --------------------------------------------


def tf_pads(n, k, s, d, padding):
    """(before, after) by TensorFlow's rule, derived here independently of npkeras.ops.windows."""
    span = (k - 1) * d + 1
    if padding == "valid":
        return 0, 0
    if padding == "causal":
        return span - 1, 0
    total = max((math.ceil(n / s) - 1) * s + span - n, 0)
    return total // 2, total - total // 2


def naive_conv2d(x, kernel, strides=(1, 1), padding="valid", dilation=(1, 1), bias=None, relu=False):
    """Cross-correlation of x (b, h, w, c) with kernel (kh, kw, c, f), one output pixel and kernel tap at a time."""
    b, h, w, c = x.shape
    kh, kw, _, f = kernel.shape
    (top, bottom), (left, right) = (
        tf_pads(h, kh, strides[0], dilation[0], padding),
        tf_pads(w, kw, strides[1], dilation[1], padding),
    )
    xp = np.zeros((b, h + top + bottom, w + left + right, c))
    xp[:, top : top + h, left : left + w] = x
    oh = (xp.shape[1] - (kh - 1) * dilation[0] - 1) // strides[0] + 1
    ow = (xp.shape[2] - (kw - 1) * dilation[1] - 1) // strides[1] + 1
    y = np.zeros((b, oh, ow, f))
    for n in range(b):
        for r in range(oh):
            for q in range(ow):
                for i in range(kh):
                    for j in range(kw):
                        pixel = xp[n, r * strides[0] + i * dilation[0], q * strides[1] + j * dilation[1]]
                        y[n, r, q] += pixel @ kernel[i, j]  # (c,) @ (c, f)
    if bias is not None:
        y += bias
    return np.maximum(y, 0) if relu else y


def naive_conv1d(x, kernel, stride=1, padding="valid", dilation=1, bias=None, relu=False):
    """x (b, steps, c), kernel (k, c, f): the 2-D reference on a height-1 image."""
    y = naive_conv2d(x[:, None], kernel[None], (1, stride), padding, (1, dilation), bias, relu)
    return y[:, 0]


def test_reference_on_a_hand_computed_case():
    x = np.arange(9.0).reshape(1, 3, 3, 1)
    kernel = np.array([[1.0, 0.0], [0.0, -1.0]]).reshape(2, 2, 1, 1)  # x[i, j] - x[i + 1, j + 1]
    np.testing.assert_array_equal(naive_conv2d(x, kernel)[0, :, :, 0], [[-4, -4], [-4, -4]])
    same = naive_conv2d(x, kernel, padding="same")[0, :, :, 0]  # pads (0, 1) on both axes
    np.testing.assert_array_equal(same, [[-4, -4, 2], [-4, -4, 5], [6, 7, 8]])
    np.testing.assert_array_equal(
        naive_conv1d(np.array([[[1.0], [2.0], [4.0]]]), np.array([[[1.0]], [[10.0]]]), padding="causal")[0, :, 0],
        [10, 21, 42],
    )


def arrays(x_shape, kernel_shape, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(x_shape), rng.standard_normal(kernel_shape), rng.standard_normal(kernel_shape[-1])


def op_for(x_shape, kernel_shape, strides, padding, dilation, relu=False):
    return Conv(*conv_geometry(x_shape, kernel_shape, strides, padding, dilation), relu=relu)


def fits(size, k, d, padding):
    return padding != "valid" or size >= (k - 1) * d + 1


# ---- forward over a grid ----------------------------------------------------------------

SIZES_2D = [(5, 5), (6, 4)]  # odd and even, square and not
KERNELS_2D = [(3, 3), (2, 3), (3, 1), (1, 1), (2, 2)]
GEOMETRY = [((1, 1), (1, 1)), ((2, 2), (1, 1)), ((1, 1), (2, 2)), ((1, 2), (1, 1)), ((1, 1), (2, 1))]
CHANNELS = [(1, 1, 2), (2, 2, 1), (1, 5, 3)]  # (batch, in channels, filters)

GRID_2D = [
    (size, kernel, strides, dilation, padding, channels)
    for size, kernel, (strides, dilation), padding, channels in itertools.product(
        SIZES_2D, KERNELS_2D, GEOMETRY, ["valid", "same"], CHANNELS
    )
    if all(fits(n, k, d, padding) for n, k, d in zip(size, kernel, dilation))
]


@pytest.mark.parametrize("size, kernel, strides, dilation, padding, channels", GRID_2D)
def test_conv2d_matches_the_loop_reference(size, kernel, strides, dilation, padding, channels):
    b, c, f = channels
    x, k, _ = arrays((b, *size, c), (*kernel, c, f))
    y = conv(x, k, strides=strides, padding=padding, dilation_rate=dilation)
    expected = naive_conv2d(x, k, strides, padding, dilation)
    assert isinstance(y, npkeras.Tensor)
    assert y.shape == expected.shape
    if padding == "same":
        assert y.shape[1:3] == tuple(math.ceil(n / s) for n, s in zip(size, strides))
    np.testing.assert_allclose(np.asarray(y), expected, rtol=1e-10, atol=1e-12)


GRID_1D = [
    (steps, kernel, stride, dilation, padding, channels)
    for steps, kernel, (stride, dilation), padding, channels in itertools.product(
        [7, 8], [1, 2, 3], [(1, 1), (2, 1), (1, 2)], ["valid", "same", "causal"], CHANNELS
    )
]


@pytest.mark.parametrize("steps, kernel, stride, dilation, padding, channels", GRID_1D)
def test_conv1d_matches_the_loop_reference(steps, kernel, stride, dilation, padding, channels):
    b, c, f = channels
    x, k, _ = arrays((b, steps, c), (kernel, c, f), seed=1)
    y = conv(x, k, strides=stride, padding=padding, dilation_rate=dilation)
    expected = naive_conv1d(x, k, stride, padding, dilation)
    assert y.shape == expected.shape
    np.testing.assert_allclose(np.asarray(y), expected, rtol=1e-10, atol=1e-12)


def test_causal_output_depends_only_on_the_past():
    x, k, _ = arrays((1, 9, 2), (3, 2, 4))
    y = np.asarray(conv(x, k, padding="causal", dilation_rate=2))
    x2 = x.copy()
    x2[:, 6:] += 100.0  # change the future from step 6 on
    y2 = np.asarray(conv(x2, k, padding="causal", dilation_rate=2))
    np.testing.assert_array_equal(y2[:, :6], y[:, :6])
    assert not np.allclose(y2[:, 6:], y[:, 6:])


@pytest.mark.parametrize("relu", [False, True])
@pytest.mark.parametrize(
    "kernel, strides, padding",
    [((3, 3), (1, 1), "valid"), ((2, 3), (2, 1), "same"), ((1, 1), (1, 1), "same"), ((1, 1), (2, 2), "valid")],
    ids=["3x3", "2x3-strided", "pointwise", "1x1-strided"],
)
def test_conv_op_adds_bias_and_fuses_relu(kernel, strides, padding, relu):
    x, k, bias = arrays((2, 5, 6, 3), (*kernel, 3, 4), seed=2)
    op = op_for(x.shape, k.shape, strides, padding, 1, relu=relu)
    y = op(Tensor(x), Tensor(k), Tensor(bias))
    expected = naive_conv2d(x, k, strides, padding, bias=bias, relu=relu)
    np.testing.assert_allclose(y.data, expected, rtol=1e-10, atol=1e-12)
    if relu:
        assert (y.data == 0).any() and (y.data > 0).any()


def test_float32_in_float32_out():
    x, k, _ = arrays((2, 6, 6, 3), (3, 3, 3, 4))
    y = conv(x.astype(np.float32), k.astype(np.float32), padding="same")
    assert y.dtype == np.float32
    np.testing.assert_allclose(np.asarray(y), naive_conv2d(x, k, padding="same"), rtol=1e-4, atol=1e-5)


def test_conv_accepts_uppercase_padding_and_channels_last():
    x, k, _ = arrays((1, 4, 4, 2), (3, 3, 2, 1))
    y = conv(x, k, padding="SAME", data_format="channels_last")
    np.testing.assert_allclose(np.asarray(y), naive_conv2d(x, k, padding="same"), rtol=1e-10)


@pytest.mark.parametrize(
    "x_shape, k_shape, kwargs, match",
    [
        ((1, 4, 4, 2), (3, 3, 2, 1), {"data_format": "channels_first"}, "channels_last"),
        ((4, 4, 2), (3, 3, 2, 1), {}, "rank"),
        ((1, 4, 4, 2), (3, 2, 1), {}, "rank"),
        ((1, 2, 2, 4, 4, 2), (1, 1, 3, 3, 2, 1), {}, "rank"),  # 3-D is supported since conv3d; 4-D is not
        ((1, 4, 4, 2), (3, 3, 2, 1), {"padding": "full"}, "padding"),
        ((1, 4, 4, 2), (3, 3, 2, 1), {"strides": 0}, "strides"),
        ((1, 4, 4, 2), (3, 3, 2, 1), {"strides": (1, 1, 1)}, "strides"),
        ((1, 4, 4, 2), (3, 3, 2, 1), {"dilation_rate": -1}, "dilation_rate"),
    ],
)
def test_conv_bad_arguments(x_shape, k_shape, kwargs, match):
    with pytest.raises(ValueError, match=match):
        conv(np.zeros(x_shape), np.zeros(k_shape), **kwargs)


def test_conv_refuses_fewer_input_channels_than_the_kernel_has():
    x, k, _ = arrays((1, 5, 5, 2), (3, 3, 3, 4))
    with pytest.raises(ValueError, match="channel"):
        conv(x, k)


@pytest.mark.parametrize("kernel", [(3, 3), (4, 4)])
def test_conv_refuses_a_kernel_larger_than_the_input(kernel):
    with pytest.raises(ValueError, match="negative|larger|output size"):
        conv(np.zeros((1, 2, 2, 1)), np.zeros((*kernel, 1, 1)))


# ---- gradients --------------------------------------------------------------------------

GRAD_GRID = [
    (size, kernel, strides, dilation, padding)
    for size, kernel, (strides, dilation), padding in itertools.product(
        [(5, 4)], [(3, 3), (2, 3), (3, 1), (1, 1)], GEOMETRY[:3], ["valid", "same"]
    )
    if all(fits(n, k, d, padding) for n, k, d in zip(size, kernel, dilation))
]
VARIANTS = ["plain", "bias", "bias-relu", "relu"]


def all_variants_on(cases, picks):
    """Every case without bias and with bias + relu; the other variants on the cases at `picks`."""
    out = [(*case, v) for case in cases for v in ("plain", "bias-relu")]
    return out + [(*cases[i], v) for i in picks for v in ("bias", "relu")]


@pytest.mark.parametrize(
    "size, kernel, strides, dilation, padding, variant", all_variants_on(GRAD_GRID, range(0, len(GRAD_GRID), 3))
)
def test_conv2d_gradients(size, kernel, strides, dilation, padding, variant):
    x, k, bias = arrays((2, *size, 2), (*kernel, 2, 2), seed=3)
    relu = variant.endswith("relu")

    def fn(*tensors):
        return op_for(x.shape, k.shape, strides, padding, dilation, relu=relu)(*tensors)

    inputs = (x, k, bias) if variant.startswith("bias") else (x, k)
    assert gradient_check(fn, *inputs)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize(
    "kernel, stride, dilation, padding",
    [(3, 1, 1, "valid"), (2, 2, 1, "same"), (3, 1, 2, "causal"), (1, 1, 1, "same"), (3, 2, 1, "causal")],
)
def test_conv1d_gradients(kernel, stride, dilation, padding, variant):
    x, k, bias = arrays((2, 7, 3), (kernel, 3, 2), seed=4)
    relu = variant.endswith("relu")

    def fn(*tensors):
        return op_for(x.shape, k.shape, stride, padding, dilation, relu=relu)(*tensors)

    inputs = (x, k, bias) if variant.startswith("bias") else (x, k)
    assert gradient_check(fn, *inputs)


def test_ops_conv_gradients_with_five_channels_and_batch_one():
    x, k, _ = arrays((1, 4, 5, 5), (2, 3, 5, 1), seed=5)
    assert gradient_check(lambda a, w: conv(a, w, padding="same"), x, k)


def test_gradient_of_x_and_kernel_by_hand():
    """y = sum over windows: d/dx counts how many windows cover each pixel, times the kernel sum."""
    x = np.random.default_rng(0).standard_normal((1, 4, 4, 1))
    xt, kt = Tensor(x, requires_grad=True), Tensor(np.ones((3, 3, 1, 1)), requires_grad=True)
    gx, gk = gradients(conv(xt, kt), [xt, kt])
    coverage = np.array([1, 2, 2, 1])  # windows covering each row (or column) of a 4-pixel axis, kernel 3
    np.testing.assert_array_equal(gx[0, :, :, 0], np.outer(coverage, coverage))
    # d/dkernel[i, j] sums the 2x2 block of x that kernel position (i, j) visits
    expected = np.array([[x[0, i : i + 2, j : j + 2, 0].sum() for j in range(3)] for i in range(3)])
    np.testing.assert_allclose(gk[:, :, 0, 0], expected, rtol=1e-12)


# ---- chunking ---------------------------------------------------------------------------


@pytest.fixture
def chunk_log(monkeypatch):
    """The (start, stop) sample ranges whose patches the Conv op builds, in the order asked for."""
    log = []
    patches = Conv._patches

    def spy(self, start, stop):
        log.append((start, stop))
        return patches(self, start, stop)

    monkeypatch.setattr(Conv, "_patches", spy)
    return log


def forward_and_grads(op, x, k, bias, gy, chunk_log):
    """((forward chunks, backward chunks), (y, gx, gk, gb)) for one fresh op."""
    tensors = [Tensor(a, requires_grad=True) for a in (x, k, bias)]
    chunk_log.clear()
    y = op(*tensors)
    forward_chunks = sorted(chunk_log)
    chunk_log.clear()
    grads = gradients(y, tensors, output_gradient=gy)
    return (forward_chunks, sorted(chunk_log)), (y.data.copy(), *grads)


@pytest.mark.parametrize("batch", [3, 5])
@pytest.mark.parametrize(
    "kernel, strides, padding, relu",
    [((3, 3), 1, "same", True), ((2, 3), 2, "valid", False), ((1, 1), 1, "valid", True), ((3, 1), 1, "valid", False)],
    ids=["3x3-same-relu", "2x3-strided", "pointwise-relu", "3x1"],
)
def test_chunked_equals_unchunked(monkeypatch, chunk_log, batch, kernel, strides, padding, relu):
    x, k, bias = arrays((batch, 7, 6, 3), (*kernel, 3, 4), seed=6)
    gy = np.random.default_rng(7).standard_normal(conv(x, k, strides=strides, padding=padding).shape)

    def run():
        return forward_and_grads(op_for(x.shape, k.shape, strides, padding, 1, relu=relu), x, k, bias, gy, chunk_log)

    whole_chunks, whole = run()
    assert whole_chunks[0] == [(0, batch)]  # the default: a small batch is one chunk
    monkeypatch.setattr(convolution, "CHUNK_BYTES", 1)
    split_chunks, split = run()
    one_each = [(i, i + 1) for i in range(batch)]
    assert split_chunks[0] == one_each  # one sample per chunk
    assert split_chunks[1] in ([], one_each)  # backward rebuilds patches per chunk (none for pointwise needs)
    for got, want, name in zip(split, whole, ["y", "gx", "gk", "gb"]):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-12, err_msg=name)
    np.testing.assert_allclose(whole[0], naive_conv2d(x, k, (strides,) * 2, padding, bias=bias, relu=relu), rtol=1e-10)


OPS_IN_CHUNKS = {
    "3x3-same-relu": lambda x, k: op_for(x.shape, k.shape, 1, "same", 1, relu=True),
    "2x3-strided": lambda x, k: op_for(x.shape, k.shape, 2, "valid", 1),
    "pointwise-relu": lambda x, k: op_for(x.shape, k.shape, 1, "valid", 1, relu=True),
    "conv-relu-maxpool": lambda x, k: ConvMaxPool((1, 1), ((0, 0), (0, 0)), (1, 1), True, (2, 2)),
}


@pytest.mark.parametrize("name", OPS_IN_CHUNKS)
def test_chunks_on_all_cores_equal_chunks_on_one(monkeypatch, chunk_log, name):
    """Inside fit (BLAS on one thread) the chunks are shared among the cores: same values, same bits every run."""
    kernel = (1, 1) if name.startswith("pointwise") else (3, 3)
    x, k, bias = (a.astype(np.float32) for a in arrays((7, 8, 8, 3), (*kernel, 3, 4), seed=16))
    gy = np.random.default_rng(17).standard_normal(np.shape(OPS_IN_CHUNKS[name](x, k)(Tensor(x), Tensor(k)).data))
    gy = gy.astype(np.float32)
    monkeypatch.setattr(convolution, "CHUNK_BYTES", 1)
    monkeypatch.setattr(convolution, "CHUNKS_ON_ALL_CORES_FROM", 1)
    _, one_core = forward_and_grads(OPS_IN_CHUNKS[name](x, k), x, k, bias, gy, chunk_log)
    before = get_blas_threads()
    set_blas_threads(1)
    try:
        with blas_threads_scope():
            if threads.chunk_threads() < 2:
                pytest.skip("BLAS has one thread here: chunks would run one after another")
            (chunks, _), all_cores = forward_and_grads(OPS_IN_CHUNKS[name](x, k), x, k, bias, gy, chunk_log)
            _, again = forward_and_grads(OPS_IN_CHUNKS[name](x, k), x, k, bias, gy, chunk_log)
    finally:
        set_blas_threads(before)
    assert chunks == [(i, i + 1) for i in range(7)]
    for got, want, repeat, label in zip(all_cores, one_core, again, ["y", "gx", "gk", "gb"], strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5, err_msg=label)
        np.testing.assert_array_equal(repeat, got, err_msg=label)


def test_uneven_chunks_cover_the_batch(monkeypatch, chunk_log):
    x, k, bias = (a.astype(np.float32) for a in arrays((5, 6, 6, 2), (3, 3, 2, 3), seed=8))
    gy = np.random.default_rng(9).standard_normal((5, 4, 4, 3)).astype(np.float32)
    _, whole = forward_and_grads(op_for(x.shape, k.shape, 1, "valid", 1), x, k, bias, gy, chunk_log)
    per_sample = 4 * 4 * (3 * 3 * 2 + 1) * 4  # float32 patches and their ones column
    monkeypatch.setattr(convolution, "CHUNK_BYTES", 2 * per_sample)  # two samples' worth: 3 chunks for 5
    (chunks, back_chunks), split = forward_and_grads(op_for(x.shape, k.shape, 1, "valid", 1), x, k, bias, gy, chunk_log)
    assert chunks == back_chunks == [(0, 1), (1, 3), (3, 5)]
    for got, want in zip(split, whole):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


# ---- inputs that get no gradient --------------------------------------------------------


@pytest.mark.parametrize("kernel", [(3, 3), (1, 1)], ids=["im2col", "pointwise"])
@pytest.mark.parametrize("relu", [False, True])
def test_constant_kernel_gets_no_gradient_while_bias_does(kernel, relu):
    x, k, bias = arrays((2, 5, 5, 3), (*kernel, 3, 4), seed=10)
    xt, kt, bt = Tensor(x), Tensor(k), Tensor(bias, requires_grad=True)
    gy = np.random.default_rng(11).standard_normal(conv(x, k).shape)
    op = op_for(x.shape, k.shape, 1, "valid", 1, relu=relu)
    y = op(xt, kt, bt)
    expected_y = y.data.copy()
    gx, gk, gb = gradients(y, [xt, kt, bt], output_gradient=gy)
    assert gx is None and gk is None
    mask = expected_y > 0 if relu else 1.0
    np.testing.assert_allclose(gb, (gy * mask).sum(axis=(0, 1, 2)), rtol=1e-10)


def test_op_backward_returns_none_for_inputs_that_need_no_gradient():
    x, k, bias = arrays((2, 5, 5, 3), (3, 3, 3, 4), seed=12)
    op = op_for(x.shape, k.shape, 1, "same", 1)
    op(Tensor(x, requires_grad=True), Tensor(k), Tensor(bias, requires_grad=True))
    gx, gk, gb = op.backward(np.ones((2, 5, 5, 4)))
    assert gk is None
    assert gx.shape == x.shape
    np.testing.assert_allclose(gb, np.full(4, 2 * 5 * 5.0))


def test_frozen_layer_kernel_gets_no_gradient_but_bias_and_input_do():
    layer = npkeras.layers.Conv2D(4, 3, activation="relu")
    x = np.random.default_rng(13).standard_normal((2, 6, 6, 3)).astype(np.float32)
    layer.build(x.shape)
    layer.bias.assign(np.full(4, 0.1, np.float32))
    layer.kernel.trainable = False
    xt = ops.convert_to_tensor(x)
    with GradientTape() as tape:
        tape.watch(xt)
        y = layer(xt)
        loss = ops.sum(y)
    gk, gb, gx = tape.gradient(loss, [layer.kernel, layer.bias, xt])
    assert gk is None
    np.testing.assert_allclose(np.asarray(gb), (np.asarray(y) > 0).sum(axis=(0, 1, 2)), rtol=1e-6)
    assert gx.shape == x.shape and np.abs(np.asarray(gx)).sum() > 0
    assert [w.name for w in layer.trainable_weights] == ["bias"]


# ---- memory -----------------------------------------------------------------------------


def test_forward_and_backward_memory_stays_near_input_plus_output():
    """The notes' CNN second conv at batch 256: no full patch matrix (~36 MB) is ever held."""
    rng = np.random.default_rng(14)
    x = rng.standard_normal((256, 13, 13, 32), dtype=np.float32)
    k = (rng.standard_normal((3, 3, 32, 64), dtype=np.float32) * 0.1).astype(np.float32)
    bias = np.zeros(64, np.float32)
    gy = np.ones((256, 11, 11, 64), np.float32)
    io_bytes = x.nbytes + gy.nbytes
    full_patches = 256 * 11 * 11 * (3 * 3 * 32 + 1) * 4
    tensors = [Tensor(a, requires_grad=True) for a in (x, k, bias)]
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        y = op_for(x.shape, k.shape, 1, "valid", 1, relu=True)(*tensors)
        gx, gk, gb = gradients(y, tensors, output_gradient=gy)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert gx.shape == x.shape and gk.shape == k.shape and gb.shape == (64,)
    # output + gradient seed + input gradient are io_bytes + out_bytes; chunks add about 2 * CHUNK_BYTES
    assert peak < 3 * io_bytes, (peak, io_bytes)
    assert peak < io_bytes + full_patches


# ---- BLAS threads -----------------------------------------------------------------------


def test_inside_the_scope_a_conv_splits_its_batch_among_the_cores_on_one_blas_thread_each(
    monkeypatch, chunk_log, gemm_thread_log
):
    """However large its GEMMs, a convolution of a large batch inside fit runs a share of it per core,
    not lifted GEMMs."""
    monkeypatch.setattr(convolution, "CHUNKS_ON_ALL_CORES_FROM", 4)
    before = get_blas_threads()
    set_blas_threads(1)
    x, k, _ = arrays((4, 12, 12, 8), (3, 3, 8, 16), seed=15)
    plain = np.asarray(conv(x, k))
    try:
        with blas_threads_scope():
            cores = threads.chunk_threads()
            if cores < 2:
                pytest.skip("BLAS runs on one thread here: nothing to share")
            monkeypatch.setattr(threads, "LARGE_GEMM_MACS", 1)  # any GEMM would be lifted outside a share
            chunk_log.clear()
            gemm_thread_log.clear()
            y = conv(x, k)
    finally:
        set_blas_threads(before)
    assert len(chunk_log) == cores and sorted(chunk_log)[0] == (0, 4 // cores)
    assert gemm_thread_log and all(set(n) == {1} for n in gemm_thread_log)
    np.testing.assert_allclose(np.asarray(y), plain, rtol=1e-12)


def test_inside_the_scope_a_small_batch_runs_in_the_calling_thread_with_its_gemms_lifted(
    monkeypatch, chunk_log, gemm_thread_log
):
    before = get_blas_threads()
    set_blas_threads(1)
    x, k, _ = arrays((convolution.CHUNKS_ON_ALL_CORES_FROM - 1, 6, 6, 8), (3, 3, 8, 16), seed=15)
    plain = np.asarray(conv(x, k))
    try:
        with blas_threads_scope():
            if threads.chunk_threads() < 2:
                pytest.skip("BLAS runs on one thread here: nothing to lift")
            lifted_to = [n for _, n in threads._large_gemm_threads]
            monkeypatch.setattr(threads, "LARGE_GEMM_MACS", 1)
            chunk_log.clear()
            gemm_thread_log.clear()
            y = conv(x, k)
    finally:
        set_blas_threads(before)
    assert chunk_log == [(0, len(x))]
    assert gemm_thread_log == [lifted_to]
    np.testing.assert_allclose(np.asarray(y), plain, rtol=1e-12)


# ---- ConvMaxPool: convolution and tiled max pooling in one op ----------------------------


def test_conv_max_pool_outside_autograd_keeps_no_convolution_output_and_pools_the_same(monkeypatch):
    """In evaluate/predict each chunk's convolution rows stay in a scratch buffer: the pooled output is the same."""
    monkeypatch.setattr(convolution, "CHUNK_BYTES", 1)  # a chunk per sample, each reusing the buffer
    x, k, bias = (a.astype(np.float32) for a in arrays((5, 9, 8, 3), (3, 3, 3, 4), seed=23))
    geometry = conv_geometry(x.shape, k.shape, 1, "valid", 1)
    recorded = convolution.ConvMaxPool(*geometry, True, (2, 2))
    want = np.asarray(recorded(*(npkeras.ops.convert_to_tensor(a) for a in (x, k, bias))))
    with npkeras.autograd.mode.no_grad():
        op = convolution.ConvMaxPool(*geometry, True, (2, 2))
        got = np.asarray(op(*(npkeras.ops.convert_to_tensor(a) for a in (x, k, bias))))
    assert recorded.y is not None and op.y is None
    np.testing.assert_array_equal(got, want)


POOL_GEOMETRY = [  # (channels, strides, padding, dilation): every place of a window lands on its own grid
    (2, 1, "valid", 1),
    (1, 1, "same", 1),
    (2, (2, 1), "same", 1),
    (1, 1, "valid", (2, 1)),
]


@pytest.mark.parametrize("pool", [(2, 2), (3, 2)])
@pytest.mark.parametrize("relu", [False, True])
@pytest.mark.parametrize("channels, strides, padding, dilation", POOL_GEOMETRY)
def test_conv_max_pool_equals_conv_then_max_pool_and_passes_gradient_check(
    pool, relu, channels, strides, padding, dilation
):
    from npkeras.ops.pooling import MaxPool

    x, k, bias = arrays((3, 9, 7, channels), (3, 3, channels, 4), seed=21)
    geometry = conv_geometry(x.shape, k.shape, strides, padding, dilation)
    tensors = [npkeras.ops.convert_to_tensor(a) for a in (x, k, bias)]
    fused = np.asarray(convolution.ConvMaxPool(*geometry, relu, pool)(*tensors))
    apart = np.asarray(MaxPool(pool, pool, ((0, 0), (0, 0)))(convolution.Conv(*geometry, relu)(*tensors)))
    np.testing.assert_array_equal(fused, apart)
    npkeras.gradient_check(lambda *a: convolution.ConvMaxPool(*geometry, relu, pool)(*a), x, k, bias)


@pytest.mark.parametrize("pool", [None, (2, 2)], ids=["Conv", "ConvMaxPool"])
def test_patches_kept_from_forward_give_the_bits_of_rebuilt_ones(monkeypatch, pool):
    rng = np.random.default_rng(21)
    x = rng.standard_normal((9, 10, 10, 3)).astype(np.float32)
    kernel, bias = rng.standard_normal((3, 3, 3, 4)).astype(np.float32), rng.standard_normal(4).astype(np.float32)
    monkeypatch.setattr(convolution, "CHUNK_BYTES", 4000)  # several chunks

    def run(mismatch=False):
        op = (
            Conv((1, 1), ((0, 0), (0, 0)), (1, 1), True)
            if pool is None
            else ConvMaxPool((1, 1), ((0, 0), (0, 0)), (1, 1), True, pool)
        )
        y = op(Tensor(x, requires_grad=True), Tensor(kernel, requires_grad=True), Tensor(bias, requires_grad=True))
        kept = op.kept_patches is not None
        if mismatch:
            op.kept_chunks = []  # as if backward's chunks differed: it must rebuild them
        return kept, [y.data, *op.backward(np.ones_like(y.data))]

    kept, results = run()
    assert kept
    _, rebuilt_on_mismatch = run(mismatch=True)
    monkeypatch.setattr(convolution, "KEEP_PATCHES_BYTES", 0)
    never_kept, rebuilt = run()
    assert not never_kept
    for other in (rebuilt_on_mismatch, rebuilt):
        for a, b in zip(results, other, strict=True):
            np.testing.assert_array_equal(a, b)
