"""CSVLogger: one CSV row of logs per epoch (header first), flushed as it is written."""

import collections
import csv
import io
import os

import numpy as np

from npkeras.backend import collective
from npkeras.callbacks.callback import Callback


class CSVLogger(Callback):
    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.filename, self.sep, self.append = os.fspath(filename), separator, append
        self.writer = self.keys = self.csv_file = None

    def on_train_begin(self, logs=None):
        has_rows = self.append and os.path.exists(self.filename) and os.path.getsize(self.filename) > 0
        self.append_header = not has_rows
        if collective.is_chief():  # on several processes, process 0 writes the file
            self.csv_file = open(self.filename, "a" if self.append else "w", newline="")  # noqa: SIM115 (closed at end)
        else:
            self.csv_file = io.StringIO()
        self.writer, self.keys = None, None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
        if self.writer is None:
            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch", *self.keys], delimiter=self.sep)
            if self.append_header:
                self.writer.writeheader()
        row = collections.OrderedDict({"epoch": epoch})
        row.update((key, _cell(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file is not None:
            self.csv_file.close()
            self.csv_file = None
        self.writer = None


def _cell(value):
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, np.ndarray)) and np.ndim(value) > 0:
        return f'"[{", ".join(map(str, np.ravel(value)))}]"'
    return float(value) if isinstance(value, (np.floating, np.integer)) else value
