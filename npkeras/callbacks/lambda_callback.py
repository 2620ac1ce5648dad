"""LambdaCallback: a callback made of the functions passed to it (e.g. on_epoch_end=lambda epoch, logs: ...)."""

from npkeras.callbacks.callback import _HOOKS, Callback


class LambdaCallback(Callback):
    def __init__(
        self,
        on_epoch_begin=None,
        on_epoch_end=None,
        on_train_begin=None,
        on_train_end=None,
        on_train_batch_begin=None,
        on_train_batch_end=None,
        **kwargs,
    ):
        super().__init__()
        given = dict(
            on_epoch_begin=on_epoch_begin,
            on_epoch_end=on_epoch_end,
            on_train_begin=on_train_begin,
            on_train_end=on_train_end,
            on_train_batch_begin=on_train_batch_begin,
            on_train_batch_end=on_train_batch_end,
            **kwargs,
        )
        unknown = sorted(set(given) - set(_HOOKS))
        if unknown:
            raise ValueError(f"LambdaCallback received unknown hooks {unknown}. Hooks are: {sorted(_HOOKS)}")
        for hook, fn in given.items():
            if fn is not None:
                if not callable(fn):
                    raise TypeError(f"LambdaCallback's `{hook}` must be callable. Received: {fn!r}")
                setattr(self, hook, fn)
