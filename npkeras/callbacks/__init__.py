"""Callbacks: hooks into fit, evaluate and predict."""

from npkeras.callbacks.callback import Callback, CallbackList
from npkeras.callbacks.history import History
from npkeras.callbacks.progbar_logger import ProgbarLogger

__all__ = ["Callback", "CallbackList", "History", "ProgbarLogger"]
