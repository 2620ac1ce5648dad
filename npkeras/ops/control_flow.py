"""Keras's control-flow ops run as Python control flow: cond, switch, while_loop, fori_loop, map,
vectorized_map, scan, associative_scan. Gradients flow through the ops the bodies call."""

import numpy as np

from npkeras.autograd.tensor import Tensor, as_tensor


def _flatten(tree):
    if isinstance(tree, (list, tuple)):
        return [leaf for item in tree for leaf in _flatten(item)]
    if isinstance(tree, dict):
        return [leaf for key in sorted(tree) for leaf in _flatten(tree[key])]
    return [tree]


def _pack(tree, leaves):
    """`leaves` (an iterator) arranged like `tree`."""
    if isinstance(tree, (list, tuple)):
        return type(tree)(_pack(item, leaves) for item in tree)
    if isinstance(tree, dict):
        return {key: _pack(tree[key], leaves) for key in sorted(tree)}
    return next(leaves)


def _stack(trees):
    from npkeras.ops.shaping import stack

    flats = [_flatten(t) for t in trees]
    return _pack(trees[0], iter([stack(list(column)) for column in zip(*flats)]))


def _truth(pred):
    return bool(np.asarray(pred.data if isinstance(pred, Tensor) else pred))


def cond(pred, true_fn, false_fn):
    return true_fn() if _truth(pred) else false_fn()


def switch(index, branches, *operands):
    """branches[index](*operands); the index is clamped to the branches, as Keras does."""
    i = int(np.asarray(index.data if isinstance(index, Tensor) else index))
    return branches[min(max(i, 0), len(branches) - 1)](*operands)


def while_loop(cond, body, loop_vars, maximum_iterations=None):  # noqa: A002 - Keras's names
    is_sequence = isinstance(loop_vars, (list, tuple))
    state = tuple(loop_vars) if is_sequence else (loop_vars,)
    steps = 0
    while (maximum_iterations is None or steps < maximum_iterations) and _truth(cond(*state)):
        out = body(*state)
        state = tuple(out) if isinstance(out, (list, tuple)) else (out,)
        steps += 1
    return type(loop_vars)(state) if is_sequence else state[0]


def fori_loop(lower, upper, body_fun, init_val):
    value = init_val
    for i in range(int(np.asarray(lower)), int(np.asarray(upper))):
        value = body_fun(i, value)
    return value


def _leading_slices(xs, n):
    flat = [as_tensor(x) for x in _flatten(xs)]
    return [_pack(xs, iter([x[i] for x in flat])) for i in range(n)]


def _length(xs, length, op_name):
    flat = _flatten(xs)
    if not flat or flat[0] is None:
        if length is None:
            raise ValueError(f"{op_name}: got no `xs` to scan over and `length` not provided.")
        return int(length)
    return int(length) if length is not None else np.shape(flat[0])[0]


def map(f, xs):  # noqa: A001 - Keras's name
    """f applied to each slice of xs along the first axis, the results stacked."""
    n = _length(xs, None, "map")
    return _stack([f(x) for x in _leading_slices(xs, n)])


def vectorized_map(function, elements):
    return map(function, elements)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """jax.lax.scan's loop: carry, y = f(carry, x) over the leading axis; returns (carry, stacked ys)."""
    if not callable(f):
        raise TypeError(f"`f` should be a callable. Received: f={f}")
    n = _length(xs, length, "scan")
    slices = _leading_slices(xs, n) if xs is not None else [None] * n
    order = range(n - 1, -1, -1) if reverse else range(n)
    carry, ys = init, [None] * n
    for i in order:
        carry, ys[i] = f(carry, slices[i])
    if n == 0 or ys[0] is None:
        return carry, None
    return carry, _stack(ys)


def associative_scan(f, elems, reverse=False, axis=0):
    """Running combination with an associative `f` along `axis`: out[i] = f(out[i-1], elems[i])."""
    from npkeras.ops.rearranging import flip
    from npkeras.ops.shaping import concatenate, getitem

    flat = [as_tensor(e) for e in _flatten(elems)]
    if reverse:
        flat = [flip(e, axis) for e in flat]
    n = flat[0].shape[axis]
    if any(e.shape[axis] != n for e in flat):
        raise ValueError(f"associative_scan: inputs must share the size of axis {axis}: {[e.shape for e in flat]}")
    lead = (slice(None),) * (axis % flat[0].ndim)
    acc = [getitem(e, lead + (slice(0, 1),)) for e in flat]
    outs = [[a] for a in acc]
    for i in range(1, n):
        step = [getitem(e, lead + (slice(i, i + 1),)) for e in flat]
        acc = _flatten(f(_pack(elems, iter(acc)), _pack(elems, iter(step))))
        for column, a in zip(outs, acc):
            column.append(a)
    result = [concatenate(column, axis=axis) for column in outs]
    if reverse:
        result = [flip(r, axis) for r in result]
    return _pack(elems, iter(result))
