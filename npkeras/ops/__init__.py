"""Differentiable operations under Keras 3's `keras.ops` names and signatures."""

from npkeras.ops import linalg  # noqa: E402 - keras.ops.linalg
from npkeras.ops import operators as _operators  # noqa: F401 - attaches Tensor operators
from npkeras.ops.activation import (
    elu,
    gelu,
    hard_sigmoid,
    leaky_relu,
    log_softmax,
    logsumexp,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    softmax,
    softplus,
    softsign,
    swish,
    tanh,
)
from npkeras.ops.attention import dot_product_attention
from npkeras.ops.broadcast import sum_to
from npkeras.ops.complex_parts import angle, conj, conjugate, imag, real
from npkeras.ops.control_flow import (
    associative_scan,
    cond,
    fori_loop,
    map,
    scan,
    switch,
    vectorized_map,
    while_loop,
)
from npkeras.ops.convolution import conv
from npkeras.ops.core import (
    dtype,
    get_item,
    is_tensor,
    saturate_cast,
    scatter,
    scatter_update,
    select,
    slice,
    slice_update,
    stop_gradient,
    unstack,
    view,
)
from npkeras.ops.creation import (
    arange,
    array,
    convert_to_numpy,
    convert_to_tensor,
    empty,
    empty_like,
    equal,
    eye,
    full,
    full_like,
    geomspace,
    greater,
    greater_equal,
    identity,
    less,
    less_equal,
    linspace,
    logical_and,
    logical_or,
    logspace,
    not_equal,
    one_hot,
    ones,
    ones_like,
    sign,
    tri,
    zeros,
    zeros_like,
)
from npkeras.ops.crossentropy import binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy
from npkeras.ops.cumulative import cumprod, cumsum, trapezoid
from npkeras.ops.depthwise_convolution import depthwise_conv, separable_conv
from npkeras.ops.exponents import cbrt, exp2, expm1, log2, log10, logaddexp, logaddexp2, reciprocal, rsqrt
from npkeras.ops.indexing import (
    segment_max,
    segment_min,
    segment_prod,
    segment_sum,
    take,
    take_along_axis,
    unravel_index,
)
from npkeras.ops.integer_ops import (
    bitwise_and,
    bitwise_invert,
    bitwise_left_shift,
    bitwise_not,
    bitwise_or,
    bitwise_right_shift,
    bitwise_xor,
    gcd,
    lcm,
    ldexp,
    left_shift,
    right_shift,
)
from npkeras.ops.layer_normalization import layer_normalization, rms_normalization
from npkeras.ops.linalg import cdist, corrcoef, cross, einsum, inner, kron, norm, outer, tensordot, vander, vdot
from npkeras.ops.logic import (
    all,
    allclose,
    any,
    bincount,
    count_nonzero,
    histogram,
    isclose,
    isfinite,
    isin,
    isinf,
    isnan,
    isneginf,
    isposinf,
    isreal,
    logical_not,
    logical_xor,
    nonzero,
    signbit,
)
from npkeras.ops.math import (
    abs,
    absolute,
    add,
    cast,
    clip,
    divide,
    dot,
    exp,
    log,
    log1p,
    matmul,
    maximum,
    minimum,
    multiply,
    negative,
    power,
    sqrt,
    square,
    subtract,
    true_divide,
    where,
)
from npkeras.ops.matrices import diag, diagflat, diagonal, trace, tril, triu
from npkeras.ops.matrix_functions import (
    cholesky,
    cholesky_inverse,
    det,
    eig,
    eigh,
    inv,
    logdet,
    lstsq,
    matrix_rank,
    pinv,
    qr,
    slogdet,
    solve,
    solve_triangular,
    svd,
)
from npkeras.ops.nan_reductions import (
    nanargmax,
    nanargmin,
    nancumprod,
    nancumsum,
    nanmax,
    nanmean,
    nanmedian,
    nanmin,
    nanpercentile,
    nanprod,
    nanquantile,
    nanstd,
    nansum,
    nanvar,
)
from npkeras.ops.normalization import batch_normalization, moments
from npkeras.ops.pooling import average_pool, max_pool
from npkeras.ops.rearranging import (
    append,
    array_split,
    copy,
    diff,
    dsplit,
    dstack,
    flip,
    fliplr,
    flipud,
    hsplit,
    hstack,
    meshgrid,
    moveaxis,
    ndim,
    repeat,
    roll,
    rot90,
    size,
    split,
    swapaxes,
    tile,
    vsplit,
    vstack,
)
from npkeras.ops.reduction import amax, amin, argmax, argmin, average, max, mean, min, prod, ptp, std, sum, var
from npkeras.ops.rounding import ceil, floor, floor_divide, mod, round, trunc
from npkeras.ops.safe_arithmetic import divide_no_nan, fabs, fmax, fmin, fmod, heaviside, nan_to_num
from npkeras.ops.shaping import (
    broadcast_to,
    concatenate,
    expand_dims,
    getitem,
    pad,
    ravel,
    reshape,
    shape,
    squeeze,
    stack,
    transpose,
)
from npkeras.ops.signal import bartlett, blackman, hamming, hanning, kaiser, psnr
from npkeras.ops.sorting import (
    argpartition,
    argsort,
    digitize,
    in_top_k,
    median,
    percentile,
    quantile,
    searchsorted,
    sort,
    top_k,
    unique,
)
from npkeras.ops.special import erf, erfc, erfinv, i0, nextafter
from npkeras.ops.symbolic_dispatch import record_symbolic_calls as _record_symbolic_calls
from npkeras.ops.transposed_convolution import conv_transpose
from npkeras.ops.trigonometry import (
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctan2,
    arctanh,
    cos,
    cosh,
    deg2rad,
    hypot,
    rad2deg,
    sin,
    sinc,
    sinh,
    tan,
)
from npkeras.ops.unit_normalization import normalize

_record_symbolic_calls(globals(), [linalg])  # on KerasTensors, each op records a node of the functional graph

__all__ = [name for name in dir() if not name.startswith("_")]
