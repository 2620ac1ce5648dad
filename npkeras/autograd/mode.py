"""When operations record a graph for backpropagation (per thread, as in Keras).

Three states, as TensorFlow/Keras users expect while tensors that ask for gradients still work:
- inside a GradientTape, fit() or `enable_grad()`: every op on a tensor that requires grad
  (trainable Variables included) is recorded;
- inside `no_grad()` (predict, evaluate, metrics): nothing is recorded;
- otherwise (the default): ops are recorded only when a non-Variable input asked for grad
  (`Tensor(x, requires_grad=True)`, `tape.watch(x)`, or an already recorded result). So
  `model(x)` for inference builds no graph, even though its weights are trainable.
The state belongs to the thread that set it: `no_grad()` in one thread leaves another's tape recording.
"""

import contextlib

from npkeras.backend.global_state import context


def is_grad_enabled():
    return context.grad_mode is not False


@contextlib.contextmanager
def set_grad_enabled(enabled):
    previous = context.grad_mode
    context.grad_mode = bool(enabled)
    try:
        yield
    finally:
        context.grad_mode = previous


def no_grad():
    """Context in which no graph is built: inference and metric computation."""
    return set_grad_enabled(False)


def enable_grad():
    """Context in which every op on a tensor that requires grad is recorded (as in a tape)."""
    return set_grad_enabled(True)
