"""Trainer: compile, the overridable steps, and fit/evaluate/predict as loops over them, as in Keras 3.

`fit` calls `train_step(data)` once per batch, `evaluate` calls `test_step(data)` and `predict`
calls `predict_step(data)`; each batch arrives as Keras packs it (x, (x, y) or (x, y, sample_weight)).
A subclass overrides a step to customise what happens in fit, as in Keras's guides. The default
steps compute the loss with `compute_loss` (the compiled loss plus the layers' add_loss() values
and weight penalties, collected afresh every step) and update the metrics with `compute_metrics`.
"""

import inspect
import warnings

import numpy as np

from npkeras import optimizers
from npkeras.autograd import engine, mode
from npkeras.autograd.tensor import Tensor
from npkeras.backend import collective, random
from npkeras.backend.config import floatx
from npkeras.backend.runtime import compute_scope
from npkeras.callbacks import CallbackList
from npkeras.layers.symbolic import map_structure
from npkeras.metrics import Mean
from npkeras.models import data_adapter, data_parallel_run
from npkeras.models.compile_loss import CompileLoss
from npkeras.models.compile_metrics import CompileMetrics
from npkeras.models.compile_settings import check_batch_size, check_validation_freq, compile_config, should_validate
from npkeras.models.epoch_iterator import EpochIterator, is_batch_stream

_STREAM_REFUSES = "`{}` argument is not supported when using a PyDataset or a generator as input to {}(): its batches carry them ((x, y) or (x, y, sample_weight))."  # noqa: E501


_TAKES_TRAINING = {}  # compute_loss function -> whether it has a `training` parameter


class Trainer:
    compiled = False
    stop_training = False
    optimizer = None
    _compile_loss = None
    _compile_metrics = None
    _loss_tracker = None

    # ---- compile --------------------------------------------------------------------
    def compile(
        self,
        optimizer="rmsprop",
        loss=None,
        loss_weights=None,
        metrics=None,
        weighted_metrics=None,
        run_eagerly=False,
        steps_per_execution=1,
        jit_compile="auto",
        auto_scale_loss=True,
    ):
        """Configure training: optimizer, loss and metrics, by name or by object (one per output, or for all).

        As in Keras 3, a compile without `loss` keeps the loss of an earlier compile, and one without `metrics`
        and `weighted_metrics` keeps its metrics."""
        names = self._output_names()
        compile_loss = self._compile_loss if loss is None else CompileLoss(loss, loss_weights, names)
        compile_metrics = self._compile_metrics
        if metrics is not None or weighted_metrics is not None:
            compile_metrics = CompileMetrics(metrics, weighted_metrics, names)
        state = {
            "optimizer": optimizers.get(optimizer),
            "loss": getattr(self, "loss", None) if loss is None else loss,
            "_compile_loss": compile_loss,
            "_compile_metrics": compile_metrics,
            "_loss_tracker": Mean(name="loss"),
            "compiled": True,
            "stop_training": False,
            "_compile_config": compile_config(
                optimizer, loss, loss_weights, metrics, weighted_metrics, run_eagerly, steps_per_execution
            ),  # fmt: skip
        }
        for name, value in state.items():  # not tracked as the model's own metrics or layers, as in Keras
            object.__setattr__(self, name, value)
        if self.built:  # split here, in the compiling thread, so fit in any thread shuffles the same
            self._training_generator()

    def get_compile_config(self):
        return getattr(self, "_compile_config", None)

    def compile_from_config(self, config):
        """compile() from get_compile_config()'s dict, as saved in a .keras file. A model whose compile() is its
        own is left uncompiled, with Keras's warning: only its own compile_from_config knows that compile."""
        if type(self).compile is not Trainer.compile:
            warnings.warn(
                "`compile()` was not called as part of model loading because the model's `compile()` method is "
                "custom. All subclassed Models that have `compile()` overridden should also override "
                "`get_compile_config()` and `compile_from_config(config)`. Alternatively, you can call `compile()` "
                "manually after loading.",
                stacklevel=2,
            )
            return
        if not isinstance(config, dict):
            raise ValueError(f"A compile config must be a dict. Received: {config!r:.200}")
        known = {"optimizer", "loss", "loss_weights", "metrics", "weighted_metrics", "run_eagerly",
                 "steps_per_execution", "jit_compile", "auto_scale_loss"}  # fmt: skip
        unknown = sorted(set(config) - known)
        if unknown:
            raise ValueError(f"Unknown entries in the compile config: {unknown}. Known entries: {sorted(known)}")
        self.compile(**config)

    def _assert_compiled(self, method):
        if not self.compiled:
            raise ValueError(
                f"You must call `compile()` before using the model. (`{method}()` was called on model {self.name!r}.)"
            )

    # ---- metrics --------------------------------------------------------------------
    @property
    def metrics(self):
        """Keras's order: the loss tracker, the compiled metrics, the per-output loss trackers, then the metrics
        set as attributes of this model and of its layers (not those of models nested in it)."""
        out = []
        if self.compiled:
            out.append(self._loss_tracker)
            if self._compile_metrics is not None:
                out.append(self._compile_metrics)
            if self._compile_loss is not None:
                out.extend(self._compile_loss.metrics)
        out.extend(self._metrics)
        for layer in self._self_and_sublayers()[1:]:
            if not isinstance(layer, Trainer):
                out.extend(layer._metrics)
        return out

    @property
    def metrics_names(self):
        """The log names in evaluate()'s list order (tf.keras's names: "loss", "accuracy", ...)."""
        names = []
        for metric in self.metrics:
            if isinstance(metric, CompileMetrics):
                names.extend(m.name for m in metric.metrics)
            else:
                names.append(metric.name)
        return names

    def reset_metrics(self):
        for metric in self.metrics:
            metric.reset_state()

    def get_metrics_result(self):
        """The value of every metric in `metrics`, by name (a dict result adds its entries)."""
        logs = {}
        for metric in self.metrics:
            result = metric.result()
            if isinstance(result, dict):
                logs.update(result)
            else:
                logs[metric.name] = result
        return pythonify_logs(logs)

    # ---- the steps ------------------------------------------------------------------
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The compiled loss plus the model's `losses` (add_loss() values and weight penalties) of this step."""
        loss = None if self._compile_loss is None else self._compile_loss(y, y_pred, sample_weight)
        extra = [_as_scalar_loss(value) for value in self.losses]
        if extra:
            penalty = sum(extra[1:], extra[0])
            loss = penalty if loss is None else loss + penalty
        if loss is None:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        return loss

    def _compute_loss(self, x, y, y_pred, sample_weight, training):
        """compute_loss, also when an override predates its `training` argument (Keras before 3.3)."""
        method = self.compute_loss
        takes_training = _TAKES_TRAINING.get(method.__func__)
        if takes_training is None:
            takes_training = _TAKES_TRAINING[method.__func__] = "training" in inspect.signature(method).parameters
        if takes_training:
            return method(x, y, y_pred, sample_weight, training=training)
        return method(x, y, y_pred, sample_weight)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Update the compiled metrics with this batch and return the logs of every metric."""
        if self._compile_metrics is not None:
            self._compile_metrics.update_state(y, _values(y_pred), sample_weight)
        return self.get_metrics_result()

    def train_step(self, data):
        """One gradient step on one batch; returns the logs (loss and metrics so far this epoch)."""
        x, y, sample_weight = data_adapter.unpack_x_y_sample_weight(data)
        with mode.enable_grad():
            y_pred = self(x, training=True)
            loss = self._compute_loss(x, y, y_pred, sample_weight, training=True)
            self._loss_tracker.update_state(loss.data, sample_weight=data_adapter.num_samples(x))
            variables = self.trainable_weights
            if variables:
                self.optimizer.apply(engine.gradients(loss, variables), variables)
            else:
                warnings.warn("The model does not have any trainable weights.", stacklevel=2)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def test_step(self, data):
        """Loss and metrics on one batch, without training."""
        x, y, sample_weight = data_adapter.unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self._compute_loss(x, y, y_pred, sample_weight, training=False)
        self._loss_tracker.update_state(loss.data, sample_weight=data_adapter.num_samples(x))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        """The model's outputs for one batch."""
        x, _, _ = data_adapter.unpack_x_y_sample_weight(data)
        return self(x, training=False)

    # tf.keras 2's names in custom train_steps, kept as Keras 3 keeps them (with its deprecation warnings)
    def compiled_loss(self, y, y_pred, sample_weight=None, regularization_losses=None):
        warnings.warn(
            "`model.compiled_loss()` is deprecated. Instead, use "
            "`model.compute_loss(x, y, y_pred, sample_weight, training)`.",
            stacklevel=2,
        )
        return self.compute_loss(None, y, y_pred, sample_weight)

    @property
    def compiled_metrics(self):
        return _DeprecatedCompiledMetrics(self)

    # ---- loops ----------------------------------------------------------------------
    def fit(
        self,
        x=None,
        y=None,
        batch_size=None,
        epochs=1,
        verbose="auto",
        callbacks=None,
        validation_split=0.0,
        validation_data=None,
        shuffle=True,
        class_weight=None,
        sample_weight=None,
        initial_epoch=0,
        steps_per_epoch=None,
        validation_steps=None,
        validation_batch_size=None,
        validation_freq=1,
    ):
        """Train for `epochs` epochs over (x, y) (arrays, a PyDataset or a generator); returns a History."""
        self._assert_compiled("fit")
        batch_size = check_batch_size(batch_size)
        check_validation_freq(validation_freq)
        if is_batch_stream(x):
            _refuse_with_stream("fit", y=y, sample_weight=sample_weight, validation_split=validation_split or None)
            if shuffle and inspect.isgenerator(x):
                warnings.warn(
                    "`shuffle=True` was passed, but will be ignored since the data `x` was provided as a generator. "
                    "The generator is expected to yield already-shuffled data.",
                    stacklevel=2,
                )
        elif validation_split and validation_data is None:
            x, y, sample_weight = data_adapter.prepare(x, y, sample_weight, *self._data_counts())
            (x, y, sample_weight), validation_data = data_adapter.split_validation(
                x, y, sample_weight, validation_split
            )
        batches = EpochIterator(x, y, sample_weight, batch_size, steps_per_epoch, class_weight, self._data_counts())
        val_batches = None
        if validation_data is not None:
            val_batches = self._validation_batches(validation_data, validation_batch_size or batch_size,
                                                   validation_steps)  # fmt: skip
        cbs = self._callbacks(callbacks, verbose, epochs, batches.num_batches, add_history=True)
        self.stop_training = False
        self.history = cbs.history
        self._in_fit = True
        run = data_parallel_run.current_run()
        try:
            with compute_scope(), data_parallel_run.aborting_on_error(run):
                self._ensure_built(batches.first_batch()[0])
                stream = self._training_generator()  # shuffling (and, on one process, dropout)
                if run is not None:
                    run.start_training(self, batch_size, batches.num_batches)
                with random.generator_scope(stream if run is None else run.step_generator(stream)):
                    cbs.on_train_begin()
                    epoch_logs = {}
                    for epoch in range(initial_epoch, epochs):
                        self.reset_metrics()
                        cbs.on_epoch_begin(epoch)
                        logs = {}
                        for step, data in enumerate(batches.epoch(shuffle, stream)):
                            cbs.on_train_batch_begin(step)
                            logs = pythonify_logs(data_parallel_run.step_on(run, self.train_step, data))
                            cbs.on_train_batch_end(step, logs)
                            if run is not None and run.any(self.stop_training):
                                self.stop_training = True
                            if self.stop_training:
                                break
                        epoch_logs = dict(self._metrics_result_or(logs, run))
                        if val_batches is not None and should_validate(epoch, validation_freq):
                            val_logs = self._evaluate_batches(val_batches, cbs, run)
                            epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
                        cbs.on_epoch_end(epoch, epoch_logs)
                        if self.stop_training:
                            break
                    cbs.on_train_end(epoch_logs)
        finally:
            self._in_fit = False
        return self.history

    def _validation_batches(self, data, batch_size, steps):
        if is_batch_stream(data):
            return EpochIterator(data, steps=steps, counts=self._data_counts(), role="validation",
                                 steps_argument="validation_steps")  # fmt: skip
        if not isinstance(data, (tuple, list)) or len(data) not in (2, 3):
            raise ValueError(
                "`validation_data` should be a tuple `(x_val, y_val)` or `(x_val, y_val, val_sample_weights)`. "
                f"Received: {type(data).__name__} of length {len(data) if hasattr(data, '__len__') else '?'}"
            )
        x, y, sample_weight = (list(data) + [None])[:3]
        return EpochIterator(x, y, sample_weight, batch_size, steps, counts=self._data_counts(), role="validation",
                             steps_argument="validation_steps")  # fmt: skip

    def _evaluate_batches(self, batches, cbs, run=None):
        self.reset_metrics()
        cbs.on_test_begin()
        logs = {}
        with mode.no_grad():
            for step, data in enumerate(batches.epoch()):
                cbs.on_test_batch_begin(step)
                logs = pythonify_logs(data_parallel_run.step_on(run, self.test_step, data))
                cbs.on_test_batch_end(step, logs)
        logs = pythonify_logs(self._metrics_result_or(logs, run))
        cbs.on_test_end(logs)
        return logs

    def evaluate(
        self,
        x=None,
        y=None,
        batch_size=None,
        verbose="auto",
        sample_weight=None,
        steps=None,
        callbacks=None,
        return_dict=False,
    ):
        """Loss and metrics on (x, y): a scalar if there are no metrics, else [loss, *metrics]."""
        self._assert_compiled("evaluate")
        batch_size = check_batch_size(batch_size)
        if is_batch_stream(x):
            _refuse_with_stream("evaluate", y=y, sample_weight=sample_weight)
        batches = EpochIterator(x, y, sample_weight, batch_size, steps, counts=self._data_counts(), role="evaluate",
                                steps_argument="steps")  # fmt: skip
        cbs = self._callbacks(callbacks, verbose, 1, batches.num_batches)
        run = data_parallel_run.current_run()
        with compute_scope(), data_parallel_run.aborting_on_error(run):
            self._ensure_built(batches.first_batch()[0])
            logs = self._evaluate_batches(batches, cbs, run)
        return logs if return_dict else self._in_metrics_order(logs)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Model outputs for x (arrays, a PyDataset or a generator), batch by batch, as ndarrays."""
        batch_size = check_batch_size(batch_size)
        batches = EpochIterator(x, batch_size=batch_size, steps=steps, counts=self._data_counts(), role="predict",
                                steps_argument="steps")  # fmt: skip
        cbs = self._callbacks(callbacks, verbose, 1, batches.num_batches)
        outputs = []
        run = data_parallel_run.current_run()
        with compute_scope(), mode.no_grad(), data_parallel_run.aborting_on_error(run):
            cbs.on_predict_begin()
            for step, data in enumerate(batches.epoch()):
                cbs.on_predict_batch_begin(step)
                outputs.append(data_parallel_run.step_on(run, self._numpy_predict_step, data, gather=True))
                cbs.on_predict_batch_end(step, {"outputs": outputs[-1]})
            cbs.on_predict_end()
        return _concatenate_batches(outputs)

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """One gradient update on one batch; returns the batch's loss and metrics."""
        self._assert_compiled("train_on_batch")
        x, y, sample_weight = data_adapter.prepare(x, y, sample_weight, *self._data_counts())
        sample_weight = data_adapter.apply_class_weight(y, sample_weight, class_weight)
        with compute_scope():
            self._ensure_built(x)
            self.reset_metrics()
            with random.generator_scope(self._training_generator()):
                logs = pythonify_logs(self.train_step(data_adapter.pack_x_y_sample_weight(x, y, sample_weight)))
        return logs if return_dict else self._in_metrics_order(logs)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        self._assert_compiled("test_on_batch")
        x, y, sample_weight = data_adapter.prepare(x, y, sample_weight, *self._data_counts())
        with compute_scope(), mode.no_grad():
            self._ensure_built(x)
            self.reset_metrics()
            logs = pythonify_logs(self.test_step(data_adapter.pack_x_y_sample_weight(x, y, sample_weight)))
        return logs if return_dict else self._in_metrics_order(logs)

    def predict_on_batch(self, x):
        n_inputs, _, text = self._data_counts()
        x = data_adapter.as_inputs(x, "x", n_inputs, text)
        with compute_scope(), mode.no_grad():
            return _to_numpy(self.predict_step(data_adapter.pack_x_y_sample_weight(x)))

    # ---- helpers --------------------------------------------------------------------
    def _callbacks(self, callbacks, verbose, epochs, steps, add_history=False):
        verbose = verbose if collective.is_chief() else 0  # one progress bar, from process 0
        return CallbackList(callbacks, add_history=add_history, add_progbar=verbose != 0, model=self,
                            verbose=verbose, epochs=epochs, steps=steps)  # fmt: skip

    def _metrics_result_or(self, logs, run=None):
        """The metrics' results when the step's logs name exactly the model's metrics (the default steps),
        else the last step's own logs (a custom step that reports something else), as Keras does. On several
        processes the results cover every process's samples."""
        results = self.get_metrics_result()
        if not (isinstance(logs, dict) and set(logs) == set(results)):
            return logs
        return results if run is None else pythonify_logs(run.combined_results(self.metrics))

    def _numpy_predict_step(self, data):
        return _to_numpy(self.predict_step(data))

    def _in_metrics_order(self, logs):
        """Keras's return shape: [loss, *metrics in compile order, then any other log], or one value alone."""
        names = self.metrics_names
        ordered = [logs[n] for n in names if n in logs] + [logs[k] for k in sorted(logs) if k not in names]
        return ordered[0] if len(ordered) == 1 else ordered

    def _output_names(self):
        """Keras's output names: a dict's keys (sorted, the order of model.outputs), or the layers that made the
        outputs; None where the model does not say (a subclassed model: learnt from its first predictions)."""
        outputs = getattr(self, "_outputs_struct", None)
        if isinstance(outputs, dict):
            return sorted(outputs)
        tensors = getattr(self, "_output_tensors", None)
        if tensors:
            return [t._keras_history[0].name for t in tensors]
        return [self.name] if self._is_single_io() else None

    def _is_single_io(self):
        """A plain stack (Sequential): one input, one output."""
        return False

    def _data_counts(self):
        """(inputs, outputs, text) of the model, None where it does not say: whether a list is one array or several;
        text: whether an Input takes strings (dtype="string")."""
        names = self._output_names()
        inputs = getattr(self, "_input_tensors", None)
        input_layer = getattr(self, "_input_layer", None)
        text = any(t.dtype == "string" for t in inputs or []) or getattr(input_layer, "dtype", None) == "string"
        n_inputs = len(inputs) if inputs else 1 if self._is_single_io() else None
        return n_inputs, (None if names is None else len(names)), text

    def _training_generator(self):
        """The model's own stream for shuffling and dropout, split from this thread's (which jumps ahead) at
        compile, or once built for a model that builds in fit, and saved with the model: a loaded model resumes
        training exactly without resetting the global seed, and a fresh one shuffles as it would have drawing
        from the global stream."""
        rng = vars(self).get("_training_rng")
        if rng is None:
            rng = random.split_generator()
            object.__setattr__(self, "_training_rng", rng)
        return rng

    def restore_training_random_state(self, state):
        """Continue the shuffling and dropout stream from a saved `state` (a PCG64 state dict)."""
        rng = np.random.Generator(np.random.PCG64())
        rng.bit_generator.state = state
        object.__setattr__(self, "_training_rng", rng)

    def _ensure_built(self, x):
        """Build the model from the first batch if it is not built yet."""
        if not self.built:
            self._build_from_batch(x)


class _DeprecatedCompiledMetrics:
    """`model.compiled_metrics.update_state(y, y_pred)` of tf.keras 2 custom train_steps."""

    def __init__(self, model):
        self.model = model

    def update_state(self, y, y_pred, sample_weight=None):
        warnings.warn(
            "`model.compiled_metrics()` is deprecated. Instead, use e.g.:\n```\nfor metric in self.metrics:\n"
            "    metric.update_state(y, y_pred)\n```\n",
            stacklevel=2,
        )
        if self.model._compile_metrics is not None:
            self.model._compile_metrics.update_state(y, _values(y_pred), sample_weight)


def _as_scalar_loss(value):
    """An add_loss() value or penalty as a scalar Tensor (summed when it has axes), as Keras aggregates them."""
    from npkeras import ops

    value = value if isinstance(value, Tensor) else Tensor(np.asarray(value))
    return value if value.ndim == 0 else ops.sum(value)


def pythonify_logs(logs):
    """Logs as Keras hands them on: sorted by name, nested dicts merged in, Python floats (ndarrays for
    per-class metrics) instead of Tensors and NumPy scalars."""
    if not isinstance(logs, dict):
        return logs
    out = {}
    for name, value in sorted(logs.items()):
        if isinstance(value, dict):
            out.update(pythonify_logs(value))
        else:
            out[name] = _log_value(value)
    return out


def _log_value(value):
    """A Python float at floatx precision, as Keras's metrics (floatx variables) log it: an accuracy of 789/1000
    logs as 0.7889999747276306, not 0.789; an ndarray for a per-class metric."""
    value = np.asarray(value.data if isinstance(value, Tensor) else value)
    return float(value.astype(floatx(), copy=False)) if value.ndim == 0 else value


def _values(y_pred):
    """The arrays of the model's output Tensor(s)."""
    return map_structure(lambda t: t.data if isinstance(t, Tensor) else t, y_pred)


def _to_numpy(outputs):
    return map_structure(lambda t: np.asarray(t.data if isinstance(t, Tensor) else t), outputs)


def _concatenate_batches(outputs):
    """One array per model output from the per-batch outputs (a list or dict of them for several outputs)."""
    first = outputs[0]
    if isinstance(first, dict):
        return {k: np.concatenate([o[k] for o in outputs]) for k in first}
    if isinstance(first, (list, tuple)):
        return [np.concatenate([o[i] for o in outputs]) for i in range(len(first))]
    return np.concatenate(outputs)


def _refuse_with_stream(method, **given):
    """Arguments that a PyDataset or generator must carry itself, as Keras refuses them."""
    for name, value in given.items():
        if value is not None:
            raise ValueError(_STREAM_REFUSES.format(name, method))
