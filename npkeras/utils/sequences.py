"""Padding variable-length sequences into one array, like keras.utils.pad_sequences."""

import operator

import numpy as np

MODES = ("pre", "post")


def _is_text_dtype(dtype):
    """True for dtypes that can hold a str padding value: object, str and bytes."""
    return dtype is object or np.dtype(dtype).kind in "OUS"


def _lengths_and_sample_shape(sequences):
    """Each sequence's length, and the element shape of the first non-empty one (() if none)."""
    lengths = []
    sample_shape = None
    for seq in sequences:
        try:
            lengths.append(len(seq))
        except TypeError as e:
            raise ValueError(f"`sequences` must be a list of iterables. Found non-iterable: {seq}") from e
        if sample_shape is None and lengths[-1]:
            sample_shape = np.asarray(seq).shape[1:]
    return lengths, (() if sample_shape is None else sample_shape)


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0):
    """Pads (or truncates) each sequence to `maxlen` and stacks them: shape (len(sequences), maxlen, *element).

    Args:
        sequences: a list (or anything with a length) of sequences; each sequence a list or array
            of scalars, or of equally shaped arrays (then the output has their shape after maxlen).
        maxlen: the output length; None means the length of the longest sequence.
        dtype: the output dtype; use object (or a str dtype) for sequences of strings.
        padding: "pre" or "post": where `value` is added to sequences shorter than maxlen.
        truncating: "pre" or "post": where values are cut from sequences longer than maxlen.
        value: the padding value (a str needs dtype=object or a str dtype).

    Empty sequences come out as all padding. As in Keras, values are cast to `dtype` (so floats
    are truncated toward zero in the default int32). Beyond Keras: an empty list gives shape (0, 0),
    maxlen=0 gives (n, 0) for either truncating mode, dtype="object" as a string is accepted with a
    str value, and a negative maxlen is a ValueError.
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable.")
    lengths, sample_shape = _lengths_and_sample_shape(sequences)
    if maxlen is None:
        maxlen = max(lengths, default=0)
    maxlen = operator.index(maxlen)
    if maxlen < 0:
        raise ValueError(f"`maxlen` must be a non-negative integer or None. Received: maxlen={maxlen}")
    if truncating not in MODES:
        raise ValueError(f'Truncating type "{truncating}" not understood')
    if padding not in MODES:
        raise ValueError(f'Padding type "{padding}" not understood')
    if isinstance(value, str) and not _is_text_dtype(dtype):
        raise ValueError(
            f"`dtype` {dtype} is not compatible with `value`'s type: {type(value)}\n"
            "You should set `dtype=object` for variable length strings."
        )
    x = np.full((len(lengths), maxlen) + sample_shape, value, dtype=dtype)
    if maxlen == 0:
        return x
    rows, pieces = [], []
    for row, (seq, length) in enumerate(zip(sequences, lengths)):
        if not length:
            continue
        kept = np.asarray(seq[-maxlen:] if truncating == "pre" else seq[:maxlen], dtype=dtype)
        if kept.ndim == 0:
            raise ValueError(
                f"The sequence at position {row} is a single value ({seq!r}), not a sequence of values; "
                "pass a list of its elements instead (e.g. list(text) for characters)."
            )
        if kept.shape[1:] != sample_shape:
            raise ValueError(
                f"Shape of sample {kept.shape[1:]} of sequence at position {row} "
                f"is different from expected shape {sample_shape}"
            )
        rows.append(row)
        pieces.append(kept)
    if not pieces:
        return x
    # One scatter for all sequences: (row, column) of every kept element.
    kept_lengths = np.array([len(p) for p in pieces])
    starts = np.cumsum(kept_lengths) - kept_lengths
    cols = np.arange(kept_lengths.sum()) - np.repeat(starts, kept_lengths)
    if padding == "pre":
        cols += np.repeat(maxlen - kept_lengths, kept_lengths)
    x[np.repeat(rows, kept_lengths), cols] = np.concatenate(pieces)
    return x
