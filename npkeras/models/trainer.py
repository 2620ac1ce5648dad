"""Trainer: compile, fit, evaluate, predict and the *_on_batch methods of every Model."""

import numpy as np

from npkeras import losses as losses_module
from npkeras import metrics as metrics_module
from npkeras import optimizers
from npkeras.autograd import engine, mode
from npkeras.backend import random
from npkeras.backend.runtime import compute_scope
from npkeras.callbacks import CallbackList
from npkeras.layers.layer import collect_losses
from npkeras.layers.symbolic import map_structure
from npkeras.models import batch_sources, data_adapter
from npkeras.models.multi_output import OutputLosses


class Trainer:
    compiled = False
    stop_training = False
    _loss_sources = None  # (layers that may add losses, regularized weights), found once per fit

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
        """Configure training: optimizer, loss and metrics, by name or by object."""
        self.optimizer = optimizers.get(optimizer)
        self.loss = loss
        self._outputs = None
        names = self._output_names()
        if len(names) > 1:  # a functional model with several outputs: a loss and metrics per output
            self._loss_weight = 1.0
            self._outputs = OutputLosses(names, loss, loss_weights, metrics, weighted_metrics)
            self._loss_fn = self._outputs
            metrics = weighted_metrics = None
        else:
            self._loss_weight = _single_loss_weight(loss_weights)
            self._loss_fn = None if loss is None else losses_module.get(loss)
        if metrics is not None and not isinstance(metrics, (list, tuple)):
            raise TypeError(f"`metrics` must be a list or tuple. Received: metrics={metrics!r}")
        self._metric_specs = list(metrics or [])
        self._weighted_metric_specs = list(weighted_metrics or [])
        for spec in self._metric_specs + self._weighted_metric_specs:
            if isinstance(spec, str) and spec not in ("accuracy", "acc"):
                metrics_module.get(spec)  # unknown names fail now, with the valid ones listed
        self._plain_metrics = self._weighted_metrics = None
        self._loss_tracker = metrics_module.Mean(name="loss")
        self.compiled = True
        self.stop_training = False
        self._compile_config = {
            "optimizer": optimizer if isinstance(optimizer, str) else optimizers.serialize(self.optimizer),
            "loss": _loss_config(loss),
            "loss_weights": loss_weights,
            "metrics": _metrics_config(self._outputs, self._metric_specs),
            "weighted_metrics": None,
            "run_eagerly": run_eagerly,
            "steps_per_execution": steps_per_execution,
            "jit_compile": False,
        }

    def get_compile_config(self):
        return getattr(self, "_compile_config", None)

    def compile_from_config(self, config):
        """compile() from get_compile_config()'s dict, as saved in a .keras file."""
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
        if self._loss_fn is None:
            raise ValueError(f"No loss to compute. Provide a `loss` argument in `compile()`. (model {self.name!r})")

    # ---- metrics --------------------------------------------------------------------
    @property
    def metrics(self):
        if not self.compiled:
            return []
        heads = self._outputs.all_metrics() if self._outputs is not None else []
        return [self._loss_tracker] + heads + list(self._plain_metrics or []) + list(self._weighted_metrics or [])

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    def reset_metrics(self):
        for m in self.metrics:
            m.reset_state()

    def _resolve_metrics(self, y, y_pred):
        """Build the compiled metrics from the first batch's shapes, as Keras does."""
        if self._outputs is not None:
            self._outputs.resolve_metrics(y, y_pred)
        if self._plain_metrics is not None:
            return
        if self._outputs is not None:
            self._plain_metrics, self._weighted_metrics = [], []
            return
        plain = [metrics_module.for_compile(s, y.shape, y_pred.shape) for s in self._metric_specs]
        weighted = [metrics_module.for_compile(s, y.shape, y_pred.shape) for s in self._weighted_metric_specs]
        names = {m.name for m in plain}
        for m in weighted:
            if m.name in names:
                m.name = f"weighted_{m.name}"
        self._plain_metrics, self._weighted_metrics = plain, weighted

    def _update_metrics(self, y, y_pred, loss_value, sample_weight, n):
        self._loss_tracker.update_state(loss_value, sample_weight=n)
        if self._outputs is not None:
            self._outputs.update(y, y_pred, sample_weight, n)
        for m in self._plain_metrics:
            m.update_state(y, y_pred)
        for m in self._weighted_metrics:
            m.update_state(y, y_pred, sample_weight)

    def _metric_logs(self):
        logs = {m.name: _log_value(m.result()) for m in self.metrics}
        return dict(sorted(logs.items()))

    # ---- one step -------------------------------------------------------------------
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The compiled loss plus the layers' added losses and regularization penalties."""
        loss = self._loss_fn(y, y_pred, sample_weight)
        if self._loss_weight != 1.0:
            loss = loss * self._loss_weight
        penalties = collect_losses(*(self._loss_sources or self._find_loss_sources()))
        if penalties:
            loss = loss + sum(penalties[1:], penalties[0])
        return loss

    def _train_step(self, x, y, sample_weight, variables):
        with mode.enable_grad():
            y_pred = self(x, training=True)
            self._resolve_metrics(y, y_pred)
            loss = self.compute_loss(x, y, y_pred, sample_weight)
            grads = engine.gradients(loss, variables)
        self.optimizer.apply(grads, variables)
        self._update_metrics(y, _values(y_pred), loss.data, sample_weight, len(x))

    def _test_step(self, x, y, sample_weight):
        with mode.no_grad():
            y_pred = self(x, training=False)
            self._resolve_metrics(y, y_pred)
            loss = self.compute_loss(x, y, y_pred, sample_weight, training=False)
        self._update_metrics(y, _values(y_pred), loss.data, sample_weight, len(x))

    def _predict_step(self, x):
        with mode.no_grad():
            return map_structure(lambda t: np.asarray(t.data), self(x, training=False))

    def _train_variables(self):
        variables = self.trainable_weights
        if not variables:
            raise ValueError(f"Model {self.name!r} has no trainable weights to train.")
        return variables

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
        batch_size = _check_batch_size(batch_size)
        if batch_sources.is_batch_stream(x):
            _refuse_with_stream("fit", y=y, sample_weight=sample_weight, validation_split=validation_split or None)
            source = batch_sources.StreamBatches(x, steps_per_epoch, class_weight, "fit")
        else:
            x, y, sample_weight = data_adapter.prepare(x, y, sample_weight, self._input_count(), self._output_count())
            if y is None:
                raise ValueError("fit() needs targets: pass `y` along with `x`.")
            sample_weight = data_adapter.apply_class_weight(y, sample_weight, class_weight)
            data_adapter.warn_unused_class_weights(y, class_weight)
            if validation_split and validation_data is None:
                (x, y, sample_weight), validation_data = data_adapter.split_validation(
                    x, y, sample_weight, validation_split
                )
            source = batch_sources.ArrayBatches(x, y, sample_weight, batch_size, steps_per_epoch)
        val = None
        if validation_data is not None:
            val = self._validation_source(validation_data, validation_batch_size or batch_size, validation_steps)
        _check_validation_freq(validation_freq)
        cbs = CallbackList(
            callbacks,
            add_history=True,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=epochs,
            steps=source.steps,
        )
        history = cbs.history
        self.stop_training = False
        self.history = history
        self._in_fit = True
        try:
            with compute_scope():
                self._ensure_built(source.peek_x())
                variables = self._train_variables()
                cbs.on_train_begin()
                logs = {}
                for epoch in range(initial_epoch, epochs):
                    self.reset_metrics()
                    cbs.on_epoch_begin(epoch)
                    self._train_epoch(source, shuffle, variables, cbs)
                    logs = self._metric_logs()
                    if val is not None and (epoch + 1) % validation_freq == 0:
                        val_logs = self._evaluate_loop(val, cbs)
                        logs.update({f"val_{k}": v for k, v in val_logs.items()})
                    cbs.on_epoch_end(epoch, logs)
                    if self.stop_training:
                        break
                cbs.on_train_end(logs)
        finally:
            self._in_fit = False
        return history

    def _train_epoch(self, source, shuffle, variables, cbs):
        """One pass over the (shuffled) batches; batch logs are built only if a callback reads them."""
        want_logs = cbs.wants("on_train_batch_end")
        want_begin = cbs.wants("on_train_batch_begin")
        for step, (x, y, sw) in enumerate(source.epoch(shuffle, random.generator())):
            if y is None:
                raise ValueError(f"fit() needs targets: batch {step} of the data set holds x only, not (x, y).")
            if want_begin:
                cbs.on_train_batch_begin(step)
            self._train_step(x, y, sw, variables)
            if want_logs:
                cbs.on_train_batch_end(step, self._metric_logs())
            if self.stop_training:
                return

    def _validation_source(self, data, batch_size, steps):
        if batch_sources.is_batch_stream(data):
            return batch_sources.StreamBatches(data, steps, role="validation")
        if not isinstance(data, (tuple, list)) or len(data) not in (2, 3):
            raise ValueError(
                "`validation_data` should be a tuple `(x_val, y_val)` or `(x_val, y_val, val_sample_weights)`. "
                f"Received: {type(data).__name__} of length {len(data) if hasattr(data, '__len__') else '?'}"
            )
        x, y, sw = (list(data) + [None])[:3]
        return batch_sources.ArrayBatches(
            *data_adapter.prepare(x, y, sw, self._input_count(), self._output_count()), batch_size, steps
        )

    def _evaluate_loop(self, source, cbs):
        self.reset_metrics()
        cbs.on_test_begin()
        want_logs = cbs.wants("on_test_batch_end")
        for step, (x, y, sw) in enumerate(source.epoch()):
            if y is None:
                raise ValueError(f"evaluate() needs targets: batch {step} of the data set holds x only, not (x, y).")
            cbs.on_test_batch_begin(step)
            self._test_step(x, y, sw)
            if want_logs:
                cbs.on_test_batch_end(step, self._metric_logs())
        logs = self._metric_logs()
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
        batch_size = _check_batch_size(batch_size)
        if batch_sources.is_batch_stream(x):
            _refuse_with_stream("evaluate", y=y, sample_weight=sample_weight)
            source = batch_sources.StreamBatches(x, steps, role="evaluate")
        else:
            x, y, sample_weight = data_adapter.prepare(x, y, sample_weight, self._input_count(), self._output_count())
            if y is None:
                raise ValueError("evaluate() needs targets: pass `y` along with `x`.")
            source = batch_sources.ArrayBatches(x, y, sample_weight, batch_size, steps)
        cbs = CallbackList(
            callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1, steps=source.steps
        )
        with compute_scope():
            self._ensure_built(source.peek_x())
            logs = self._evaluate_loop(source, cbs)
        return self._results(logs, return_dict)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Model outputs for x (arrays, a PyDataset or a generator), batch by batch, as one ndarray."""
        batch_size = _check_batch_size(batch_size)
        if batch_sources.is_batch_stream(x):
            source = batch_sources.StreamBatches(x, steps, role="predict")
        else:
            source = batch_sources.ArrayBatches(
                data_adapter.as_inputs(x, "x", self._input_count()), None, None, batch_size, steps
            )
        cbs = CallbackList(
            callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1, steps=source.steps
        )
        outputs = []
        with compute_scope():
            cbs.on_predict_begin()
            for step, (xb, _, _) in enumerate(source.epoch()):
                cbs.on_predict_batch_begin(step)
                outputs.append(self._predict_step(xb))
                cbs.on_predict_batch_end(step, {"outputs": outputs[-1]})
            cbs.on_predict_end()
        if not outputs:
            raise ValueError("predict() received no samples: `x` is empty.")
        return _concatenate_batches(outputs)

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """One gradient update on one batch; returns the batch's loss and metrics."""
        self._assert_compiled("train_on_batch")
        x, y, sample_weight = data_adapter.prepare(x, y, sample_weight, self._input_count(), self._output_count())
        sample_weight = data_adapter.apply_class_weight(y, sample_weight, class_weight)
        with compute_scope():
            self._ensure_built(x)
            self.reset_metrics()
            self._train_step(x, y, sample_weight, self._train_variables())
        return self._results(self._metric_logs(), return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        self._assert_compiled("test_on_batch")
        x, y, sample_weight = data_adapter.prepare(x, y, sample_weight, self._input_count(), self._output_count())
        with compute_scope():
            self._ensure_built(x)
            self.reset_metrics()
            self._test_step(x, y, sample_weight)
        return self._results(self._metric_logs(), return_dict)

    def predict_on_batch(self, x):
        x = data_adapter.as_inputs(x, "x", self._input_count())
        with compute_scope():
            return self._predict_step(x)

    def _results(self, logs, return_dict):
        """Keras's return shape: the logs dict, a scalar loss, or [loss, *metrics in compile order]."""
        if return_dict:
            return logs
        ordered = [logs[m.name] for m in self.metrics]
        return ordered[0] if len(ordered) == 1 else ordered

    def _output_names(self):
        """Keras's output names: a dict's keys, or the layers that made the outputs (one name: one output)."""
        outputs = getattr(self, "_outputs_struct", None)
        if isinstance(outputs, dict):
            return list(outputs)
        return [t._keras_history[0].name for t in getattr(self, "_output_tensors", ())] or [self.name]

    def _output_count(self):
        return len(self._output_names())

    def _input_count(self):
        """How many input arrays the model takes (a functional model may take several)."""
        return len(getattr(self, "_input_tensors", ())) or 1

    def _ensure_built(self, x):
        """Build from the data's shape if needed, and note where loss terms come from."""
        if not self.built:
            self.build((None,) + tuple(x.shape[1:]))
        self._loss_sources = self._find_loss_sources()


def _values(y_pred):
    """The arrays of the model's output Tensor(s)."""
    return map_structure(lambda t: t.data, y_pred)


def _loss_config(loss):
    if loss is None or isinstance(loss, str):
        return loss
    if isinstance(loss, dict):
        return {k: _loss_config(v) for k, v in loss.items()}
    if isinstance(loss, (list, tuple)):
        return [_loss_config(v) for v in loss]
    return losses_module.serialize(losses_module.get(loss))


def _metrics_config(outputs, specs):
    def name(m):
        return m if isinstance(m, str) else getattr(m, "name", str(m))

    if outputs is not None:
        return {n: [name(m) for m in ms] for n, ms in zip(outputs.names, outputs.metric_specs)}
    return [name(m) for m in specs]


def _concatenate_batches(outputs):
    """One array per model output from the per-batch outputs (a list or dict of them for several outputs)."""
    first = outputs[0]
    if isinstance(first, dict):
        return {k: np.concatenate([o[k] for o in outputs]) for k in first}
    if isinstance(first, (list, tuple)):
        return [np.concatenate([o[i] for o in outputs]) for i in range(len(first))]
    return np.concatenate(outputs)


def _check_batch_size(batch_size):
    if batch_size is None:
        return 32
    if not isinstance(batch_size, (int, np.integer)) or isinstance(batch_size, bool) or batch_size < 1:
        raise ValueError(f"`batch_size` must be a positive integer. Received: batch_size={batch_size!r}")
    return int(batch_size)


def _refuse_with_stream(method, **given):
    """Arguments that a PyDataset or generator must carry itself, as Keras refuses them."""
    for name, value in given.items():
        if value is not None:
            raise ValueError(
                f"`{name}` argument is not supported when using a PyDataset or a generator as input to "
                f"{method}(): its batches carry them ((x, y) or (x, y, sample_weight))."
            )


def _check_validation_freq(validation_freq):
    if not isinstance(validation_freq, int) or isinstance(validation_freq, bool) or validation_freq < 1:
        raise ValueError(f"`validation_freq` must be a positive integer. Received: validation_freq={validation_freq!r}")


def _single_loss_weight(loss_weights):
    """The scale of the loss of a single-output model: a number, or a list/dict holding one."""
    if loss_weights is None:
        return 1.0
    if isinstance(loss_weights, dict):
        loss_weights = list(loss_weights.values())
    if isinstance(loss_weights, (list, tuple)):
        if len(loss_weights) != 1:
            raise ValueError(
                f"`loss_weights` has {len(loss_weights)} entries, but the model has one output (models with "
                "several outputs come with the functional API)."
            )
        loss_weights = loss_weights[0]
    if not isinstance(loss_weights, (int, float, np.floating, np.integer)) or isinstance(loss_weights, bool):
        raise ValueError(f"`loss_weights` must be a number (or a list/dict of one). Received: {loss_weights!r}")
    return float(loss_weights)


def _log_value(result):
    """A metric's result for the logs: a float, or an array for per-class or per-threshold metrics."""
    value = np.asarray(result)
    return float(value) if value.ndim == 0 else value
