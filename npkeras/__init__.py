"""npkeras: the Keras API, training for real, on NumPy alone."""

import npkeras._blas_env  # noqa: F401  (first: it sets what OpenBLAS reads when NumPy loads it)
from npkeras import (
    activations,
    applications,
    backend,
    callbacks,
    datasets,
    distribution,
    evaluation,
    export,
    initializers,
    layers,
    losses,
    metrics,
    models,
    ops,
    optimizers,
    preprocessing,
    random,
    regularizers,
    saving,
    utils,
    wrappers,
)
from npkeras.autograd import GradientTape, Variable, gradient_check, no_grad
from npkeras.autograd.tensor import Tensor
from npkeras.backend import clear_session
from npkeras.layers import Input
from npkeras.models import Model, Sequential

__version__ = "0.1.0"


__all__ = [
    "GradientTape",
    "Input",
    "Model",
    "Sequential",
    "Tensor",
    "Variable",
    "activations",
    "applications",
    "backend",
    "callbacks",
    "clear_session",
    "datasets",
    "distribution",
    "evaluation",
    "export",
    "gradient_check",
    "initializers",
    "layers",
    "losses",
    "metrics",
    "models",
    "no_grad",
    "ops",
    "optimizers",
    "preprocessing",
    "random",
    "regularizers",
    "saving",
    "utils",
    "wrappers",
]
