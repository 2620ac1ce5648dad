"""scikit-learn estimators around npkeras models, as keras.wrappers (Keras 3.5+)."""

import numpy as np

from npkeras.wrappers.sklearn_utils import (
    BaseEstimator,
    ClassifierMixin,
    OneHotEncoder,
    RegressorMixin,
    TargetReshaper,
    TransformerMixin,
    check_model,
    clone_model,
    make_pipeline,
    sklearn,
    type_of_target,
    validate_data,
)

__all__ = ["SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer"]


class SKLBase(BaseEstimator):
    """Base of the wrappers.

    model: a compiled npkeras Model (cloned with fresh weights before each fit unless warm_start),
    or a callable `model(X=X, y=y, **model_kwargs)` that returns a compiled Model.
    warm_start: reuse the fitted model (or the given Model itself) on the next fit.
    model_kwargs: keyword arguments for `model` when it is a callable.
    fit_kwargs: keyword arguments for `Model.fit`; those given to `fit()` itself take precedence.

    After fit: `model_` (the trained Model), `history_` (the History that Model.fit returned),
    `n_features_in_` (and `feature_names_in_` for DataFrames).
    """

    def __init__(self, model, warm_start=False, model_kwargs=None, fit_kwargs=None):
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    def _more_tags(self):  # scikit-learn < 1.6
        return {"non_deterministic": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = True
        return tags

    def __sklearn_clone__(self):
        """An unfitted copy with the same parameters; the model (or model function) itself is shared, not copied."""
        params = self.get_params(deep=False)
        copied = {k: v if k == "model" else sklearn.base.clone(v, safe=False) for k, v in params.items()}
        return type(self)(**copied)

    @property
    def epoch_(self):
        """How many epochs the last fit ran (0 before fitting)."""
        history = getattr(self, "history_", None)
        return len(getattr(history, "epoch", ())) if history is not None else 0

    def _get_model(self, X, y):
        from npkeras.models import Model

        if self.warm_start and hasattr(self, "model_"):
            return self.model_
        if isinstance(self.model, Model):
            return self.model if self.warm_start else clone_model(self.model)
        if not callable(self.model):
            raise TypeError(
                f"{type(self).__name__}: `model` must be an npkeras Model or a callable that returns a compiled "
                f"Model. Received: model={self.model!r:.200} (type {type(self.model).__name__})"
            )
        if self.model_kwargs is not None and not isinstance(self.model_kwargs, dict):
            raise TypeError(f"`model_kwargs` must be a dict or None. Received: {self.model_kwargs!r:.200}")
        return self.model(X=X, y=y, **(self.model_kwargs or {}))

    def _fit_kwargs(self, kwargs):
        if self.fit_kwargs is not None and not isinstance(self.fit_kwargs, dict):
            raise TypeError(f"`fit_kwargs` must be a dict or None. Received: {self.fit_kwargs!r:.200}")
        merged = dict(self.fit_kwargs or {})
        merged.update(kwargs)
        return merged

    def fit(self, X, y, **kwargs):
        """Fit the model on X (n_samples, n_features) and y; kwargs go to Model.fit (epochs, batch_size, ...)."""
        X, y = validate_data(self, X, y)
        y = self._process_target(y, reset=True)
        model = self._get_model(X, y)
        check_model(model, f"{type(self).__name__}'s model")
        self.history_ = model.fit(X, y, **self._fit_kwargs(kwargs))
        self.model_ = model
        return self

    def _raw_predict(self, X):
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return self.model_.predict(X)

    def predict(self, X):
        """Predict with the fitted model, in the targets' original form."""
        return self._reverse_process_target(self._raw_predict(X))

    def _process_target(self, y, reset=False):
        """Regressors and transformers only make 1-D targets 2-D."""
        type_of_target(y)
        if reset:
            self._target_encoder = TargetReshaper().fit(y)
        return self._target_encoder.transform(y)

    def _reverse_process_target(self, y):
        return self._target_encoder.inverse_transform(y)


class SKLearnClassifier(ClassifierMixin, SKLBase):
    """scikit-learn classifier around an npkeras model (keras.wrappers.SKLearnClassifier).

    Targets are one-hot encoded before reaching the model (so compile it with
    `categorical_crossentropy` and give it one output unit per class; a model function sees the
    one-hot `y`); `predict` returns the original class labels (the argmax of the outputs), and
    `decision_function` the model's raw outputs. `classes_` holds the sorted labels.
    """

    def decision_function(self, X):
        """The model's raw outputs, one column per class in `classes_` order."""
        return self._raw_predict(X)

    def _process_target(self, y, reset=False):
        kind = type_of_target(y)
        if kind not in ("binary", "multiclass"):
            raise ValueError(f"Only binary and multiclass target types are supported. Target type: {kind}")
        if reset:
            self._target_encoder = make_pipeline(TargetReshaper(), OneHotEncoder(sparse_output=False)).fit(y)
            self.classes_ = np.unique(y)
            if len(self.classes_) == 1:
                raise ValueError("Classifier can't train when only one class is present.")
        return self._target_encoder.transform(y)

    def _reverse_process_target(self, y):
        y = np.asarray(y)
        if y.ndim != 2 or y.shape[1] != len(self.classes_):
            raise ValueError(
                f"The model's output must have one column per class ({len(self.classes_)} classes: "
                f"{self.classes_!r:.200}); got output of shape {y.shape}."
            )
        return self._target_encoder.inverse_transform(y)

    def _more_tags(self):  # scikit-learn < 1.6
        return {"non_deterministic": True, "poor_score": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        return tags


class SKLearnRegressor(RegressorMixin, SKLBase):
    """scikit-learn regressor around an npkeras model (keras.wrappers.SKLearnRegressor).

    A 1-D `y` reaches the model as a column (n_samples, 1); `predict` returns it 1-D again.
    `score` is R^2, from scikit-learn's RegressorMixin.
    """

    def _more_tags(self):  # scikit-learn < 1.6
        return {"non_deterministic": True, "poor_score": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        return tags


class SKLearnTransformer(TransformerMixin, SKLBase):
    """scikit-learn transformer: `transform` is the fitted model's `predict` (keras.wrappers.SKLearnTransformer)."""

    def transform(self, X):
        """The fitted model's outputs for X."""
        return self._raw_predict(X)

    def _more_tags(self):  # scikit-learn < 1.6
        return {"non_deterministic": True, "preserves_dtype": []}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        return tags
