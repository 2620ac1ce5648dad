"""Axis arguments checked against a rank, with NumPy's AxisError naming the op that got them."""

import numpy as np


def canonical_axis(axis, ndim, op_name):
    """`axis` as a non-negative int; AxisError (a ValueError) naming `op_name` when out of range."""
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"{op_name}: `axis` must be an integer. Received axis={axis!r}")
    if not -ndim <= axis < ndim:
        raise np.exceptions.AxisError(int(axis), ndim, msg_prefix=op_name)
    return int(axis) % ndim


def canonical_axes(axis, ndim, op_name):
    """A sorted tuple of non-negative axes; None means every axis."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if np.isscalar(axis) else tuple(axis)
    axes = tuple(canonical_axis(a, ndim, op_name) for a in axes)
    if len(set(axes)) != len(axes):
        raise ValueError(f"{op_name}: repeated axis in axis={axis!r}")
    return tuple(sorted(axes))
