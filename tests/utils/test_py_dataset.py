"""PyDataset: the base says what a subclass must define; Sequence is its older name."""

import pytest

from npkeras.utils import PyDataset, Sequence


def test_a_subclass_must_define_len_and_getitem():
    with pytest.raises(NotImplementedError, match="__len__"):
        len(PyDataset())
    with pytest.raises(NotImplementedError, match="__getitem__"):
        PyDataset()[0]


def test_num_batches_and_the_keras_arguments():
    class Three(PyDataset):
        def __len__(self):
            return 3

    data = Three(workers=4, use_multiprocessing=True, max_queue_size=2)
    assert data.num_batches == 3 and (data.workers, data.max_queue_size) == (4, 2) and Sequence is PyDataset
