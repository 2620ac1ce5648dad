"""Whether operations record a graph for backpropagation."""

import contextlib

_recording = True


def is_grad_enabled():
    return _recording


@contextlib.contextmanager
def set_grad_enabled(enabled):
    global _recording
    previous = _recording
    _recording = bool(enabled)
    try:
        yield
    finally:
        _recording = previous


def no_grad():
    """Context in which no graph is built: inference and metric computation."""
    return set_grad_enabled(False)


def enable_grad():
    return set_grad_enabled(True)
