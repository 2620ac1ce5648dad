"""Callback (every Keras hook) and CallbackList (dispatches hooks to many callbacks)."""


class Callback:
    def __init__(self):
        self.model = None
        self.params = {}

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_train_begin(self, logs=None): ...
    def on_train_end(self, logs=None): ...
    def on_epoch_begin(self, epoch, logs=None): ...
    def on_epoch_end(self, epoch, logs=None): ...
    def on_train_batch_begin(self, batch, logs=None): ...
    def on_train_batch_end(self, batch, logs=None): ...
    def on_test_begin(self, logs=None): ...
    def on_test_end(self, logs=None): ...
    def on_test_batch_begin(self, batch, logs=None): ...
    def on_test_batch_end(self, batch, logs=None): ...
    def on_predict_begin(self, logs=None): ...
    def on_predict_end(self, logs=None): ...
    def on_predict_batch_begin(self, batch, logs=None): ...
    def on_predict_batch_end(self, batch, logs=None): ...

    # Keras 2 names, still called by Keras 3
    def on_batch_begin(self, batch, logs=None): ...
    def on_batch_end(self, batch, logs=None): ...


_HOOKS = [name for name in vars(Callback) if name.startswith("on_")]


def _overrides(callback, hook):
    """The class defines the hook, or the instance was given one (LambdaCallback)."""
    return hook in vars(callback) or getattr(type(callback), hook) is not getattr(Callback, hook)


class CallbackList:
    """Calls each hook on every callback that overrides it (cheap on the per-batch path).

    As in Keras, a History and a ProgbarLogger are appended after the user's callbacks when
    asked for and not already given.
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        from npkeras.callbacks.history import History
        from npkeras.callbacks.progbar_logger import ProgbarLogger

        self.callbacks = [callbacks] if isinstance(callbacks, Callback) else list(callbacks or [])
        self.history = next((cb for cb in self.callbacks if isinstance(cb, History)), None)
        if add_history and self.history is None:
            self.history = History()
            self.callbacks.append(self.history)
        if add_progbar and not any(isinstance(cb, ProgbarLogger) for cb in self.callbacks):
            self.callbacks.append(ProgbarLogger())
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"Expected npkeras.callbacks.Callback instances; received {type(cb).__name__}.")
            if model is not None:
                cb.set_model(model)
            cb.set_params(params)
        self._active = {hook: [cb for cb in self.callbacks if _overrides(cb, hook)] for hook in _HOOKS}
        self.params = params

    def append(self, callback):
        self.callbacks.append(callback)
        for hook in _HOOKS:
            if _overrides(callback, hook):
                self._active[hook].append(callback)

    def _call(self, hook, *args):
        callbacks = self._active[hook]
        if callbacks:
            *head, logs = args
            logs = dict(logs or {})  # Keras always hands callbacks a dict
            for cb in callbacks:
                getattr(cb, hook)(*head, logs)

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs)
        self._call("on_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs)
        self._call("on_batch_end", batch, logs)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call("on_test_batch_end", batch, logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._call("on_predict_batch_end", batch, logs)

    def wants(self, hook):
        """Whether any callback overrides `hook` (lets the loop skip building batch logs)."""
        aliases = {"on_train_batch_begin": "on_batch_begin", "on_train_batch_end": "on_batch_end"}
        return bool(self._active[hook]) or bool(self._active.get(aliases.get(hook), ()))
