"""scikit-learn wrappers (keras.wrappers): SKLearnClassifier, SKLearnRegressor, SKLearnTransformer.

scikit-learn is imported only when one of them is first used (`pip install "npkeras[sklearn]"`).
"""

_NAMES = ("SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer")

__all__ = list(_NAMES)


def __getattr__(name):
    if name in _NAMES:
        from npkeras.wrappers import sklearn_wrapper

        return getattr(sklearn_wrapper, name)
    raise AttributeError(f"module 'npkeras.wrappers' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_NAMES))
