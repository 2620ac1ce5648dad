"""ModelCheckpoint: save the model (or its weights) during training; each save is atomic."""

import os
import warnings

import numpy as np

from npkeras.callbacks.callback import Callback
from npkeras.callbacks.monitor import improvement_op


class ModelCheckpoint(Callback):
    """`filepath` may hold {epoch} and any log key ("ckpt-{epoch:02d}-{val_loss:.2f}.keras")."""

    def __init__(
        self,
        filepath,
        monitor="val_loss",
        verbose=0,
        save_best_only=False,
        save_weights_only=False,
        mode="auto",
        save_freq="epoch",
        initial_value_threshold=None,
    ):
        super().__init__()
        self.filepath = os.fspath(filepath)
        self.monitor, self.verbose = monitor, verbose
        self.save_best_only, self.save_weights_only, self.mode = save_best_only, save_weights_only, mode
        self.best = initial_value_threshold
        self.monitor_op = None
        if save_freq != "epoch" and (not isinstance(save_freq, int) or save_freq < 1):
            raise ValueError(f"Unrecognized save_freq: {save_freq}. Expected 'epoch' or a positive integer.")
        self.save_freq = save_freq
        if save_weights_only and not self.filepath.endswith((".weights.h5", ".weights.npz")):
            raise ValueError(
                "When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided must end in "
                f"`.weights.h5` (Keras weights format) or `.weights.npz`. Received: filepath={self.filepath}"
            )
        if not save_weights_only and not self.filepath.endswith(".keras"):
            raise ValueError(
                f"The filepath provided must end in `.keras` (Keras model format). Received: filepath={self.filepath}"
            )
        self._batches_seen = 0
        self._epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq != "epoch":
            self._batches_seen += 1
            if self._batches_seen % self.save_freq == 0:
                self._save(self._epoch, batch, logs or {})

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch, None, logs or {})

    def _save(self, epoch, batch, logs):
        path = self._path(epoch, batch, logs)
        if self.save_best_only:
            if self.monitor_op is None:
                self.monitor_op = improvement_op("ModelCheckpoint", self.monitor, self.mode)
            current = logs.get(self.monitor)
            if current is None:  # saved all the same, as Keras does
                warnings.warn(f"Can save best model only with {self.monitor} available.", stacklevel=3)
            elif self.best is not None and not self.monitor_op(current, self.best):
                if self.verbose > 0:
                    print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {self.best:.5f}")
                return
            else:
                if self.verbose > 0:
                    previous = "None" if self.best is None else f"{self.best:.5f}"
                    print(
                        f"\nEpoch {epoch + 1}: {self.monitor} improved from {previous} to {current:.5f}, "
                        f"saving model to {path}"
                    )
                self.best = current
        elif self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: saving model to {path}")
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(path, overwrite=True)
        else:
            self.model.save(path, overwrite=True)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: finished saving model to {path}")

    def _path(self, epoch, batch, logs):
        values = {k: float(v) if isinstance(v, (np.floating, np.integer)) else v for k, v in logs.items()}
        try:
            if batch is None or "batch" not in self.filepath:
                return self.filepath.format(epoch=epoch + 1, **values)
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **values)
        except KeyError as e:
            raise KeyError(
                f'Failed to format this callback filepath: "{self.filepath}". Reason: {e!r} is not among the logs '
                f"({sorted(logs)})."
            ) from e
