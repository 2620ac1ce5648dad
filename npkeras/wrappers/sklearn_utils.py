"""What the scikit-learn wrappers share: the sklearn import, data checks, target reshaping, model cloning."""

try:
    import sklearn
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder
except ImportError as exc:  # scikit-learn is an optional extra
    raise ImportError(
        'npkeras.wrappers needs scikit-learn, which is not installed. Install it with: pip install "npkeras[sklearn]"'
    ) from exc

import numpy as np

__all__ = [
    "BaseEstimator",
    "ClassifierMixin",
    "OneHotEncoder",
    "RegressorMixin",
    "TargetReshaper",
    "TransformerMixin",
    "check_model",
    "clone_model",
    "make_pipeline",
    "sklearn",
    "type_of_target",
    "validate_data",
]


def validate_data(estimator, *args, **kwargs):
    """sklearn's validate_data (>= 1.6), or BaseEstimator._validate_data on older versions."""
    try:
        from sklearn.utils.validation import validate_data as sk_validate_data
    except ImportError:
        return estimator._validate_data(*args, **kwargs)
    return sk_validate_data(estimator, *args, **kwargs)


def type_of_target(y):
    """sklearn's type_of_target, raising on the 'unknown' type."""
    from sklearn.utils.multiclass import type_of_target as sk_type_of_target

    kind = sk_type_of_target(y)
    if kind == "unknown":
        raise ValueError(f"Unknown label type for data: {y!r:.200}")
    return kind


def check_model(model, origin):
    """Refuse anything that is not a compiled model with a loss and an optimizer."""
    if not (hasattr(model, "fit") and hasattr(model, "predict")):
        raise TypeError(f"{origin} must be an npkeras Model; got {type(model).__name__}: {model!r:.200}")
    if not getattr(model, "compiled", False) or not getattr(model, "loss", None):
        raise RuntimeError(
            f"Given model needs to be compiled, and have a loss and an optimizer ({origin}: {model!r:.200}). "
            "Call model.compile(optimizer=..., loss=...) before handing it to the wrapper."
        )
    if getattr(model, "optimizer", None) is None:
        raise RuntimeError(f"Given model needs to be compiled with an optimizer ({origin}: {model!r:.200}).")


def clone_model(model):
    """A fresh, freshly initialised copy of `model`, compiled as it was (Keras's clone_model)."""
    from npkeras import models

    cloner = getattr(models, "clone_model", None)
    try:
        clone = cloner(model) if cloner is not None else type(model).from_config(model.get_config())
    except Exception as exc:
        raise ValueError(
            f"Could not clone the model {model.name!r} ({type(model).__name__}) from its config: {exc}. "
            "Pass a function that builds and compiles the model instead, or warm_start=True to train it in place."
        ) from exc
    config = model.get_compile_config() if getattr(model, "compiled", False) else None
    if config is not None and not getattr(clone, "compiled", False):
        clone.compile_from_config(config)
    return clone


class TargetReshaper(TransformerMixin, BaseEstimator):
    """Makes 1-D targets 2-D for fitting and squeezes predictions back to the targets' rank."""

    def fit(self, y):
        self.ndim_ = np.ndim(y)
        return self

    def transform(self, y):
        y = np.asarray(y)
        return y.reshape(-1, 1) if y.ndim == 1 else y

    def inverse_transform(self, y):
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        y = np.asarray(y)
        if self.ndim_ == 1 and y.ndim == 2 and y.shape[1] == 1:
            return y[:, 0]
        return y
