"""split_dataset: arrays, tuples/lists or dicts of arrays split into a left and a right part, as keras.utils does."""

import random

import numpy as np


def _split_sizes(left_size, right_size, total):
    """Keras's rules for the two sizes: ints are counts, floats fractions (rounded), None the complement."""
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if size is not None and type(size) not in (int, float):
            raise TypeError(
                f"Invalid `{name}` Type. Expected: int or float or None, Received: type({name})={type(size)}."
            )
    if left_size == 0 and right_size == 0:
        raise ValueError(
            "Both `left_size` and `right_size` are zero. At least one of the split sizes must be non-zero."
        )
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if (type(size) is int and not 0 < size < total) or (type(size) is float and not 0 < size < 1):
            raise ValueError(
                f"`{name}` should be either a positive integer smaller than {total}, or a float within the range "
                f"`[0, 1]`. Received: {name}={size}"
            )
    if type(left_size) is float and type(right_size) is float and left_size + right_size > 1:
        raise ValueError(
            "The sum of `left_size` and `right_size` is greater than 1. It must be less than or equal to 1."
        )
    left = round(left_size * total) if type(left_size) is float else left_size
    right = round(right_size * total) if type(right_size) is float else right_size
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total:
        raise ValueError(
            f"The sum of `left_size` and `right_size` should be smaller than the {total}. "
            f"Received: left_size + right_size = {left + right}and total_length = {total}"
        )
    for size, side in ((left, "left"), (right, "right")):
        if size == 0:
            raise ValueError(
                f"With `dataset` of length={total}, `left_size`={left} and `right_size`={right}."
                f"Resulting {side} side dataset split will be empty. Adjust any of the aforementioned parameters"
            )
    return int(left), int(right)


def _parts(dataset):
    """(arrays, rebuild): the arrays the samples are rows of, and how to put a split back in `dataset`'s form."""
    if isinstance(dataset, dict):
        keys = list(dataset)
        return [np.asarray(dataset[k]) for k in keys], lambda arrays: dict(zip(keys, arrays))
    arrays_list = isinstance(dataset, list) and dataset and all(isinstance(a, np.ndarray) and a.ndim for a in dataset)
    if isinstance(dataset, tuple) or arrays_list:  # one array per feature; a plain list is a list of samples
        kind = type(dataset)
        return [np.asarray(a) for a in dataset], lambda arrays: kind(arrays)
    return [np.asarray(dataset)], lambda arrays: arrays[0]


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None, preferred_backend=None):
    """(left, right): the first `left_size` samples and the last `right_size` ones (after an optional shuffle),
    each in the form `dataset` came in (an array, a tuple/list of arrays, or a dict of arrays).

    The shuffle is Python's random.shuffle seeded with `seed`, as keras.utils.split_dataset does (so the same seed
    gives Keras's split), drawn from a private random.Random: the global Python random state is not touched.
    """
    if right_size is None and left_size is None:
        raise ValueError(
            "At least one of the `left_size` or `right_size` must be specified. Received: left_size=None and "
            "right_size=None"
        )
    arrays, rebuild = _parts(dataset)
    lengths = {len(a) for a in arrays}
    if len(lengths) != 1:
        raise ValueError(f"Received a list of arrays with different lengths: {sorted(lengths)}")
    total = lengths.pop()
    order = list(range(total))
    if shuffle:
        if seed is None:
            seed = random.randint(0, int(1e6))
        random.Random(seed).shuffle(order)
    left, right = _split_sizes(left_size, right_size, total)
    order = np.asarray(order, dtype=np.int64)
    left_rows, right_rows = order[:left], order[total - right :]
    return rebuild([a[left_rows] for a in arrays]), rebuild([a[right_rows] for a in arrays])
