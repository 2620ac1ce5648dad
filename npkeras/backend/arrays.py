"""The one conversion of user data (lists, arrays) into the arrays npkeras computes with."""

import numpy as np

from npkeras.backend.config import floatx


def numeric_array(data, what, error=TypeError, dtype=None):
    """`data` as an ndarray of numbers, of `dtype` if given; otherwise float64 becomes floatx
    (Keras's autocast) and ints stay ints.

    Non-numeric data (strings, objects) raises `error` with a message naming `what`.
    """
    try:
        arr = np.asarray(data)
    except ValueError as e:  # NumPy's "inhomogeneous shape"
        raise ValueError(
            f"{what} is ragged: its rows have different lengths, so it is not an array ({e}). Pad sequences to one "
            "length first (npkeras.utils.pad_sequences)."
        ) from None
    if arr.dtype.kind not in "biuf":
        example = arr.reshape(-1)[:1]
        raise error(
            f"{what} must be numeric (float, int or bool), but received an array of dtype {arr.dtype} "
            f"(for example {example!r}). Convert strings or objects to numbers first."
        )
    if dtype is not None:
        return arr.astype(dtype, copy=False)
    if arr.dtype == np.float64:
        arr = arr.astype(floatx())
    return arr
