"""ProgbarLogger: prints "Epoch i/n" and a Progbar per epoch, evaluate or predict."""

from npkeras.callbacks.callback import Callback
from npkeras.utils.progbar import Progbar


class _EveryName:
    """Logs hold running results already: the bar shows every value as-is."""

    def __contains__(self, name):
        return True


class ProgbarLogger(Callback):
    def __init__(self):
        super().__init__()
        self.progbar = None
        self.epochs = 1
        self.verbose = 1
        self.target = None

    def set_params(self, params):
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else int(verbose)
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    def _new_bar(self, target=None):
        self.progbar = Progbar(
            target=target if target is not None else self.target,
            verbose=self.verbose,
            stateful_metrics=_EveryName(),
            unit_name="step",
        )

    def on_epoch_begin(self, epoch, logs=None):
        if self.verbose and self.epochs > 1:
            print(f"Epoch {epoch + 1}/{self.epochs}", flush=True)
        self._new_bar()

    def on_train_batch_end(self, batch, logs=None):
        if self.verbose == 1:
            self.progbar.update(batch + 1, list((logs or {}).items()), finalize=False)

    def on_epoch_end(self, epoch, logs=None):
        self._finalize(logs)

    def _finalize(self, logs=None):
        target = self.progbar.target if self.progbar.target is not None else self.progbar._seen
        self.progbar.target = target
        self.progbar.update(target, list((logs or {}).items()), finalize=True)

    def on_test_begin(self, logs=None):
        if self.model is not None and not getattr(self.model, "_in_fit", False):
            self._new_bar(self.params.get("test_steps", self.target))

    def on_test_batch_end(self, batch, logs=None):
        if self.verbose == 1 and not getattr(self.model, "_in_fit", False):
            self.progbar.update(batch + 1, list((logs or {}).items()), finalize=False)

    def on_test_end(self, logs=None):
        if not getattr(self.model, "_in_fit", False):
            self._finalize(logs)

    def on_predict_begin(self, logs=None):
        self._new_bar()

    def on_predict_batch_end(self, batch, logs=None):
        if self.verbose == 1:
            self.progbar.update(batch + 1, finalize=False)

    def on_predict_end(self, logs=None):
        self._finalize()
