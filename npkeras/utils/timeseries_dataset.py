"""timeseries_dataset_from_array: sliding windows over a series, batched, as keras.utils builds them."""

import numpy as np

from npkeras.utils.batched_dataset import BatchedDataset


def _check(data, start_index, end_index, sampling_rate, sequence_stride):
    n = len(data)
    if start_index:
        if start_index < 0:
            raise ValueError(f"`start_index` must be 0 or greater. Received: start_index={start_index}")
        if start_index >= n:
            raise ValueError(
                "`start_index` must be lower than the length of the data. "
                f"Received: start_index={start_index}, for data of length {n}"
            )
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError(
                "`end_index` must be higher than `start_index`. "
                f"Received: start_index={start_index}, and end_index={end_index} "
            )
        if end_index >= n:
            raise ValueError(
                "`end_index` must be lower than the length of the data. "
                f"Received: end_index={end_index}, for data of length {n}"
            )
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: end_index={end_index}")
    for name, value in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if value <= 0:
            raise ValueError(f"`{name}` must be higher than 0. Received: {name}={value}")
        if value >= n:
            raise ValueError(
                f"`{name}` must be lower than the length of the data. Received: {name}={value}, for data of length {n}"
            )


def timeseries_dataset_from_array(
    data,
    targets,
    sequence_length,
    sequence_stride=1,
    sampling_rate=1,
    batch_size=128,
    shuffle=False,
    seed=None,
    start_index=None,
    end_index=None,
):
    """A BatchedDataset of windows (batch, sequence_length, ...) of `data`, with `targets` (or windows alone).

    Window i holds data[start_index + p_i + k * sampling_rate] for k < sequence_length, with p_i the i-th start
    position in range(0, num_windows, sequence_stride), num_windows = end_index - start_index -
    (sequence_length - 1) * sampling_rate (at most len(targets)); its target is targets[start_index + p_i].
    shuffle=True permutes the windows (np.random.RandomState(seed), as Keras permutes the start positions),
    and again after every epoch.
    """
    _check(data, start_index, end_index, sampling_rate, sequence_stride)
    start = 0 if start_index is None else start_index
    end = len(data) if end_index is None else end_index
    num_seqs = end - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        num_seqs = min(num_seqs, len(targets))
    positions = np.arange(0, max(num_seqs, 0), sequence_stride, dtype=np.int64)
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(positions)
    series = np.asarray(data)[start:end]
    offsets = np.arange(sequence_length, dtype=np.int64) * sampling_rate

    def windows(rows):
        return series[positions[rows][:, None] + offsets]  # one gather for the whole batch

    y = None if targets is None else np.asarray(targets)[start:end][positions]
    reshuffle = seed if shuffle else None  # a new order of the windows after every epoch, as Keras's shuffle buffer
    return BatchedDataset(positions, y, batch_size, load=windows, length=len(positions), reshuffle_seed=reshuffle)
