"""sum_to: the one helper that folds a broadcast gradient back to its input's shape."""


def sum_to(grad, shape):
    """Sum `grad` over the axes that broadcasting expanded so its shape becomes `shape`."""
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(shape) if n == 1 and grad.shape[lead + i] != 1)
    out = grad.sum(axis=axes, keepdims=True)
    if lead:
        out = out.reshape(out.shape[lead:])
    return out
