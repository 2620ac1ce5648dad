"""GradientTape: the custom-training-loop API of TensorFlow/Keras over the npkeras engine."""

from npkeras.autograd import engine, mode
from npkeras.autograd.tensor import Tensor


class GradientTape:
    """Records operations inside its block; `gradient(target, sources)` differentiates them.

    Every trainable Variable is watched automatically (`watch_accessed_variables`);
    other tensors can be watched with `tape.watch(t)`. A non-persistent tape frees the
    graph after its first `gradient` call.
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self.persistent = persistent
        self.watch_accessed_variables = watch_accessed_variables
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

    def gradient(self, target, sources, output_gradients=None):
        """Gradients of `target` with respect to `sources` (a tensor, list or dict)."""
        if self._used and not self.persistent:
            raise RuntimeError(
                "A non-persistent GradientTape can only be used to compute one set of "
                "gradients. Use GradientTape(persistent=True) for more."
            )
        self._used = True
        if not isinstance(target, Tensor):
            raise ValueError(f"`target` must be an npkeras Tensor. Received: {type(target).__name__}")
        if isinstance(sources, dict):
            keys = list(sources)
            grads = self.gradient(target, [sources[k] for k in keys], output_gradients)
            return dict(zip(keys, grads))
        single = isinstance(sources, Tensor)
        source_list = [sources] if single else list(sources)
        grads = engine.gradients(target, source_list, output_gradients, retain_graph=self.persistent)
        grads = [None if g is None else Tensor(g) for g in grads]
        return grads[0] if single else grads
