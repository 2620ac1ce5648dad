"""GradientTape: the custom-training-loop API of TensorFlow/Keras over the npkeras engine."""

from npkeras.autograd import engine, mode
from npkeras.autograd.tensor import Tensor
from npkeras.autograd.variable import Variable


class GradientTape:
    """Records operations inside its block; `gradient(target, sources)` differentiates them.

    Trainable Variables are watched automatically unless `watch_accessed_variables=False`;
    other tensors are watched with `tape.watch(t)`. A non-persistent tape frees the graph
    after its first `gradient` call.
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self.persistent = persistent
        self.watch_accessed_variables = watch_accessed_variables
        self._watched = set()
        self._scope = None
        self._used = False

    def __enter__(self):
        self._scope = mode.set_grad_enabled(True)
        self._scope.__enter__()
        return self

    def __exit__(self, *exc):
        self._scope.__exit__(*exc)
        self._scope = None
        return False

    def watch(self, tensor):
        """Track operations on `tensor` (a Tensor or a nested list of Tensors)."""
        for t in tensor if isinstance(tensor, (list, tuple)) else [tensor]:
            if not isinstance(t, Tensor):
                raise ValueError(
                    f"GradientTape.watch expects npkeras Tensors or Variables. Received: {type(t).__name__}. "
                    "Wrap arrays with npkeras.ops.convert_to_tensor first."
                )
            t.requires_grad = True
            self._watched.add(id(t))

    def _is_watched(self, source):
        if id(source) in self._watched:
            return True
        return self.watch_accessed_variables or not isinstance(source, Variable)

    def gradient(self, target, sources, output_gradients=None):
        """Gradients of `target` with respect to `sources` (a tensor, list or dict)."""
        if self._used and not self.persistent:
            raise RuntimeError(
                "A non-persistent GradientTape can only be used to compute one set of "
                "gradients. Use GradientTape(persistent=True) for more."
            )
        if not isinstance(target, Tensor):
            raise ValueError(f"`target` must be an npkeras Tensor. Received: {type(target).__name__}")
        self._used = True
        keys = list(sources) if isinstance(sources, dict) else None
        single = isinstance(sources, Tensor)
        source_list = [sources[k] for k in keys] if keys is not None else [sources] if single else list(sources)
        grads = engine.gradients(target, source_list, output_gradients, retain_graph=self.persistent)
        grads = [Tensor(g) if g is not None and self._is_watched(s) else None for g, s in zip(grads, source_list)]
        if keys is not None:
            return dict(zip(keys, grads))
        return grads[0] if single else grads
