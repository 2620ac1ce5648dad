"""TensorBoard: fit's and evaluate's logs, weights and graph as TensorBoard event files, written with tensorboardX.

The event files are the ones Keras 3 writes, in `log_dir/train` and `log_dir/validation`:

- each epoch, at step `epoch`: `epoch_<name>` for every log (the "val_" ones in validation/, without the prefix), and
  `epoch_learning_rate` (and `epoch_steps_per_second` with write_steps_per_second) in train/;
- with update_freq "batch" or N: `batch_<name>` for every batch log, at the global batch count (1, 2, ... over all
  epochs) where it divides by N, and `batch_steps_per_second` with write_steps_per_second;
- at the end of each validation and of evaluate(): `evaluation_<name>_vs_iterations` in validation/, at step
  `optimizer.iterations`;
- every histogram_freq epochs: a histogram `<weight path>/histogram` of each weight (and `<weight path>/image`
  with write_images), the path as Keras 3 gives it ("sequential/dense/kernel");
- with write_graph, in train/: the model's config as the "keras" summary at step 0 (TensorBoard's conceptual graph;
  by fit and by evaluate) and, in fit, its layer graph (where Keras-TensorFlow has its traced train step's ops);
- every embeddings_freq epochs: each Embedding layer's matrix for TensorBoard's projector (with the rows of
  embeddings_metadata), where Keras saves a weights file for it.

npkeras has no profiler, so a profile_batch other than 0 is refused. Each run folder has a writer of its own,
flushed every epoch and closed at the end of training (and of evaluate()); on several processes only process 0
writes.
"""

import itertools
import os
import time
import warnings

import numpy as np

from npkeras.backend import collective
from npkeras.callbacks.callback import Callback

_EVENT_FILES = itertools.count()  # part of each event file's name: two writers never share a file


def import_tensorboardx():
    try:
        import tensorboardX
    except ImportError as e:
        raise ImportError(
            f"The TensorBoard callback writes its event files with tensorboardX ({e}); install it with: pip install "
            '"npkeras[tensorboard]"'
        ) from e
    return tensorboardX


class TensorBoard(Callback):
    def __init__(
        self,
        log_dir="logs",
        histogram_freq=0,
        write_graph=True,
        write_images=False,
        write_steps_per_second=False,
        update_freq="epoch",
        profile_batch=0,
        embeddings_freq=0,
        embeddings_metadata=None,
    ):
        super().__init__()
        import_tensorboardx()
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = _frequency(histogram_freq, "histogram_freq")
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = _update_freq(update_freq)
        _refuse_profiling(profile_batch)
        self.embeddings_freq = _frequency(embeddings_freq, "embeddings_freq")
        self.embeddings_metadata = embeddings_metadata
        self._writers = {}
        self._training = False
        self._graph_due = False
        self._writing = True
        self._global_train_batch = 0
        self._skipped = set()  # logs that are not one number, warned about once each

    # ---- hooks ------------------------------------------------------------------------
    def set_model(self, model):
        """A new model (each fit and evaluate sets it): new event files, and the graph written once more."""
        super().set_model(model)
        self._close_writers()
        self._writing = collective.is_chief()
        self._graph_due = bool(self.write_graph)
        self._embedding_rows = self._read_embeddings_metadata() if self.embeddings_freq else {}

    def on_train_begin(self, logs=None):
        self._training = True
        self._global_train_batch = 0
        self._write_graph()

    def on_train_end(self, logs=None):
        self._training = False
        self._close_writers()

    def on_test_begin(self, logs=None):
        if not self._training:  # evaluate(): Keras writes the model's config here too, not the graph of a train step
            self._write_graph(layers=False)

    def on_test_end(self, logs=None):
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None and hasattr(optimizer, "iterations"):
            step = int(np.asarray(optimizer.iterations))
            for name, value in (logs or {}).items():
                self._scalar("validation", f"evaluation_{name}_vs_iterations", value, step)
        if not self._training:
            self._close_writers()

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        if self.write_steps_per_second:
            self._batch_start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        step = self._global_train_batch
        if self.update_freq == "epoch" or step % self.update_freq:
            return
        if self.write_steps_per_second:
            self._scalar("train", "batch_steps_per_second", 1.0 / _elapsed(self._batch_start), step)
        if isinstance(logs, dict):
            for name, value in logs.items():
                self._scalar("train", f"batch_{name}", value, step)

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._epoch_start = (self._iterations(), time.perf_counter())

    def on_epoch_end(self, epoch, logs=None):
        self._log_epoch_metrics(epoch, logs)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        if self.embeddings_freq and epoch % self.embeddings_freq == 0:
            self._log_embeddings(epoch)
        for writer in self._writers.values():
            writer.flush()

    # ---- what is written --------------------------------------------------------------
    def _log_epoch_metrics(self, epoch, logs):
        if not logs:
            return
        train = {name: value for name, value in logs.items() if not name.startswith("val_")}
        train.update(self._learning_rates())
        if self.write_steps_per_second:
            iterations, start = self._epoch_start
            train["steps_per_second"] = (self._iterations() - iterations) / _elapsed(start)
        for name, value in train.items():
            self._scalar("train", f"epoch_{name}", value, epoch)
        for name, value in logs.items():
            if name.startswith("val_"):
                self._scalar("validation", f"epoch_{name[4:]}", value, epoch)

    def _learning_rates(self):
        optimizer = getattr(self.model, "optimizer", None)
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)  # a loss-scaling wrapper's own optimizer
        if optimizer is None:
            return {}
        if hasattr(optimizer, "optimizers"):
            return {f"learning_rate_{o.name}": float(np.asarray(o.learning_rate)) for o in optimizer.optimizers}
        rate = getattr(optimizer, "learning_rate", None)
        return {} if rate is None else {"learning_rate": float(np.asarray(rate))}

    def _iterations(self):
        optimizer = getattr(self.model, "optimizer", None)
        return 0 if optimizer is None else int(np.asarray(optimizer.iterations))

    def _log_weights(self, epoch):
        from npkeras.callbacks.tensorboard_summaries import image_summary, keras_weight_names

        if not self._writing:
            return
        writer = self._writer("train")
        for name, weight in keras_weight_names(self.model):
            values = np.asarray(weight)
            finite = values[np.isfinite(values)] if values.dtype.kind == "f" else values.ravel()
            if finite.size < values.size:
                left_out = values.size - finite.size
                message = f"{left_out} of the {values.size} values of weight {name!r} are NaN or infinite"
                self._warn_once(name, f"TensorBoard: {message}; its histogram leaves them out")
            if finite.size:
                writer.add_histogram(f"{name}/histogram", finite.astype(np.float64), global_step=epoch, bins=30)
            if self.write_images:
                summary = image_summary(f"{name}/image", values)
                if summary is not None:
                    writer.file_writer.add_summary(summary, global_step=epoch)

    def _write_graph(self, layers=True):
        if not (self._graph_due and self._writing):
            return
        self._graph_due = False
        from tensorboardX.proto.event_pb2 import Event

        from npkeras.callbacks.tensorboard_graph import layer_graph_def
        from npkeras.callbacks.tensorboard_summaries import keras_model_summary
        from npkeras.models.functional import Functional
        from npkeras.models.sequential import Sequential

        file_writer = self._writer("train").file_writer
        if isinstance(self.model, (Sequential, Functional)):
            try:
                file_writer.add_summary(keras_model_summary(self.model.to_json()), global_step=0)
            except Exception as e:  # as in Keras: a model that cannot be written never stops training
                warnings.warn(f"TensorBoard: the model failed to serialize as JSON, so its config is not written: {e}",
                              stacklevel=3)  # fmt: skip
        if not layers:
            return
        try:
            graph_def, traced = layer_graph_def(self.model)
        except Exception as e:
            warnings.warn(f"TensorBoard: the model's layer graph could not be written: {e}", stacklevel=3)
            return
        file_writer.add_event(Event(graph_def=graph_def.SerializeToString()))
        if not traced:
            warnings.warn(
                f'TensorBoard: model "{self.model.name}" ({type(self.model).__name__}) defines its own call(), which '
                "npkeras does not trace, so its graph shows its layers without the connections between them; a "
                "Sequential or functional model's graph has them.",
                stacklevel=3,
            )

    def _read_embeddings_metadata(self):
        """{Embedding layer name: (rows, header)} from embeddings_metadata, checked before any training."""
        layers = self._embedding_layers()
        if not layers:
            warnings.warn(f"TensorBoard(embeddings_freq={self.embeddings_freq}): the model has no Embedding layer, so "
                          "no embeddings are written.", stacklevel=3)  # fmt: skip
        meta = self.embeddings_metadata
        if meta is None:
            return {}
        if isinstance(meta, (str, os.PathLike)):
            files = {layer.name: meta for layer in layers}
        elif isinstance(meta, dict):
            names = [layer.name for layer in layers]
            unknown = [name for name in meta if name not in names]
            if unknown:
                raise ValueError(
                    f"TensorBoard's embeddings_metadata names {unknown}, which are not Embedding layers of the model; "
                    f"its Embedding layers are {names}"
                )
            files = meta
        else:
            raise TypeError(f"TensorBoard's embeddings_metadata should be a file name or a dict of layer names to file "
                            f"names; received {type(meta).__name__}")  # fmt: skip
        sizes = {layer.name: layer.input_dim for layer in layers}
        return {name: _metadata_rows(path, self.log_dir, name, sizes[name]) for name, path in files.items()}

    def _embedding_layers(self):
        from npkeras.layers.embedding import Embedding

        return [layer for layer in self.model.layers if isinstance(layer, Embedding)]

    def _log_embeddings(self, epoch):
        if not self._writing:
            return
        for layer in self._embedding_layers():
            rows, header = self._embedding_rows.get(layer.name, (None, None))
            self._writer("train").add_embedding(np.asarray(layer.embeddings), metadata=rows, metadata_header=header,
                                                global_step=epoch, tag=layer.name)  # fmt: skip

    # ---- writers ----------------------------------------------------------------------
    def _writer(self, run):
        writer = self._writers.get(run)
        if writer is None:
            from tensorboardX import SummaryWriter

            suffix = f".{os.getpid()}.{next(_EVENT_FILES)}.v2"
            writer = self._writers[run] = SummaryWriter(os.path.join(self.log_dir, run), filename_suffix=suffix)
        return writer

    def _scalar(self, run, tag, value, step):
        if not self._writing:
            return
        number = _number(value)
        if number is None:
            self._warn_once(tag, f"TensorBoard: {tag} is not a single number ({value!r:.80}); it is not written")
            return
        self._writer(run).add_scalar(tag, number, global_step=step)

    def _warn_once(self, key, message):
        if key not in self._skipped:
            self._skipped.add(key)
            warnings.warn(message, stacklevel=4)

    def _close_writers(self):
        writers, self._writers = self._writers, {}
        for writer in writers.values():
            writer.close()


def _number(value):
    try:
        array = np.asarray(value)
    except Exception:
        return None
    if array.ndim != 0 or array.dtype.kind not in "biuf":
        return None
    return float(array)


def _elapsed(start):
    return max(time.perf_counter() - start, 1e-9)


def _frequency(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"TensorBoard's {name} should be a non-negative integer (0: never); received {value!r}")
    return int(value)


def _update_freq(value):
    if value == "batch":
        return 1
    if value == "epoch":
        return "epoch"
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(
            f'TensorBoard\'s update_freq should be "epoch", "batch" or a positive number of batches; received {value!r}'
        )
    return int(value)


def _refuse_profiling(profile_batch):
    """profile_batch as Keras reads it (N, (start, stop) or "start,stop"); anything but 0 is refused: no profiler."""
    batches = profile_batch
    if isinstance(batches, str):
        try:
            batches = [int(part) for part in batches.split(",")]
        except ValueError:
            batches = None
    if isinstance(batches, (int, np.integer)) and not isinstance(batches, bool):
        batches = (batches, batches)
    if not (isinstance(batches, (list, tuple)) and len(batches) == 2 and 0 <= batches[0] <= batches[1]):
        raise ValueError(
            "TensorBoard's profile_batch should be a non-negative integer or a pair of positive integers (a range of "
            f"batches); received {profile_batch!r}"
        )
    if tuple(batches) != (0, 0):
        raise ValueError(
            f"TensorBoard(profile_batch={profile_batch!r}): npkeras has no profiler to sample batches with (nor has "
            "Keras's NumPy backend); leave profile_batch=0 and profile the training in Python instead, e.g. "
            "python -m cProfile or pyinstrument"
        )


def _metadata_rows(path, log_dir, layer_name, size):
    """(rows, header) of a metadata TSV file for the projector: one label a line, or a header line then rows of
    tab-separated columns; a relative path is looked for in log_dir first (where Keras's projector config points)."""
    path = os.fspath(path)
    candidates = [path] if os.path.isabs(path) else [os.path.join(log_dir, path), path]
    found = next((p for p in candidates if os.path.isfile(p)), None)
    if found is None:
        raise FileNotFoundError(f"TensorBoard: no embeddings metadata file for layer {layer_name!r} at "
                                f"{' or '.join(candidates)}")  # fmt: skip
    with open(found, encoding="utf-8") as f:
        lines = f.read().splitlines()
    if lines and lines[-1] == "":
        lines.pop()
    header = None
    if lines and "\t" in lines[0]:
        header, lines = lines[0].split("\t"), [line.split("\t") for line in lines[1:]]
    if len(lines) != size:
        raise ValueError(
            f"TensorBoard: the embeddings metadata {found} has {len(lines)} rows{' after its header' if header else ''}"
            f", but Embedding layer {layer_name!r} has input_dim {size}; the projector needs one row per embedding"
        )
    return lines, header
