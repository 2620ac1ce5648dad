"""PyDataset (and its older name Sequence): batches by index, for fit/evaluate/predict, as in Keras 3."""


class PyDataset:
    """Subclass and define __len__ (the number of batches) and __getitem__(index) returning one batch:
    x, (x, y) or (x, y, sample_weight). on_epoch_end() runs after each epoch (shuffle your data there).

    workers, use_multiprocessing and max_queue_size are accepted for Keras compatibility; npkeras
    reads the batches in the training thread."""

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self.workers, self.use_multiprocessing, self.max_queue_size = workers, use_multiprocessing, max_queue_size

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__(index) returning one batch.")

    def __len__(self):
        raise NotImplementedError(f"{type(self).__name__} must define __len__ (its number of batches).")

    @property
    def num_batches(self):
        return len(self)

    def on_epoch_end(self):
        """Called after every epoch."""


Sequence = PyDataset
