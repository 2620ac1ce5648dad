"""Callbacks: hooks into fit, evaluate and predict."""

from npkeras.callbacks.callback import Callback, CallbackList
from npkeras.callbacks.csv_logger import CSVLogger
from npkeras.callbacks.early_stopping import EarlyStopping
from npkeras.callbacks.history import History
from npkeras.callbacks.lambda_callback import LambdaCallback
from npkeras.callbacks.learning_rate_scheduler import LearningRateScheduler
from npkeras.callbacks.model_checkpoint import ModelCheckpoint
from npkeras.callbacks.progbar_logger import ProgbarLogger
from npkeras.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from npkeras.callbacks.tensorboard import TensorBoard
from npkeras.callbacks.terminate_on_nan import TerminateOnNaN

__all__ = [
    "CSVLogger",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "ModelCheckpoint",
    "ProgbarLogger",
    "ReduceLROnPlateau",
    "TensorBoard",
    "TerminateOnNaN",
]
