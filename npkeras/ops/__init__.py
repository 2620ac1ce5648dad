"""Differentiable operations under Keras 3's `keras.ops` names and signatures."""

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
from npkeras.ops.broadcast import sum_to
from npkeras.ops.convolution import conv
from npkeras.ops.creation import (
    arange,
    convert_to_numpy,
    convert_to_tensor,
    equal,
    full,
    greater,
    greater_equal,
    less,
    less_equal,
    logical_and,
    logical_or,
    not_equal,
    one_hot,
    ones,
    ones_like,
    sign,
    zeros,
    zeros_like,
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
from npkeras.ops.normalization import batch_normalization, moments
from npkeras.ops.pooling import average_pool, max_pool
from npkeras.ops.reduction import argmax, argmin, max, mean, min, std, sum, var
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

__all__ = [name for name in dir() if not name.startswith("_")]
