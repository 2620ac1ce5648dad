"""fit, evaluate and predict on random inputs: random shapes, dtypes, NaN and inf, empty and ragged data.

Every outcome is a correct result or an npkeras error that names the argument at fault, never an error
raised from inside an op or NumPy."""

import os

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import npkeras
from npkeras import layers

PACKAGE = os.path.dirname(npkeras.__file__)
NUMERIC = ["float16", "float32", "float64", "int8", "uint8", "int64", "bool"]
DTYPES = NUMERIC + ["complex64", "str", "object"]
NAMED = ("`x`", "`y`", "y_true", "y_pred", "`sample_weight`", "Input", "input", "layer", "loss", "data set", "samples")


def _model():
    npkeras.utils.set_random_seed(0)
    model = npkeras.Sequential([npkeras.Input((3,)), layers.Dense(2)])
    model.compile("sgd", "mse")
    return model


MODEL = _model()


@st.composite
def arrays(draw, rows, fits):
    """An array of a random dtype, mostly of the shape that `fits` (else another), maybe with NaN or inf; or,
    now and then, a ragged list."""
    if draw(st.integers(0, 9)) == 0:
        return [[0.0] * draw(st.integers(1, 4)) for _ in range(draw(st.integers(1, 4)))] + [[0.0] * 5]
    others = [(rows, 3), (rows, 2), (rows,), (rows, 3, 1), (), (rows, 0), (rows + 1,) + fits[1:]]
    shape = fits if draw(st.integers(0, 9)) < 6 else draw(st.sampled_from(others))
    dtype = draw(st.sampled_from(NUMERIC)) if draw(st.integers(0, 9)) < 8 else draw(st.sampled_from(DTYPES))
    values = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape) % 5
    if dtype.startswith("float") and values.size and draw(st.integers(0, 9)) == 0:
        values.flat[draw(st.integers(0, values.size - 1))] = draw(st.sampled_from([np.nan, np.inf, -np.inf]))
    return values.astype(dtype)


def _check_outcome(call):
    try:
        result = call()
    except (ValueError, TypeError) as e:
        frames = []
        tb = e.__traceback__
        while tb is not None:
            frames.append(tb.tb_frame.f_code.co_filename)
            tb = tb.tb_next
        raised_in = frames[-1]
        assert raised_in.startswith(PACKAGE) and os.sep + "ops" + os.sep not in raised_in, (raised_in, repr(e))
        assert any(name in str(e) for name in NAMED), repr(e)
        return None
    return result


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.integers(0, 6), weighted=st.booleans(), data=st.data())
def test_fit_and_evaluate_return_finite_logs_or_name_the_argument(rows, weighted, data):
    x, y = data.draw(arrays(rows, (rows, 3))), data.draw(arrays(rows, (rows, 2)))
    sample_weight = data.draw(arrays(rows, (rows,))) if weighted else None
    before = MODEL.get_weights()
    history = _check_outcome(lambda: MODEL.fit(x, y, sample_weight=sample_weight, epochs=1, verbose=0))
    if history is not None:
        assert np.isfinite(history.history["loss"]).all()
        logs = _check_outcome(lambda: MODEL.evaluate(x, y, verbose=0, return_dict=True))
        assert logs is None or np.isfinite(logs["loss"])
    MODEL.set_weights(before)


@settings(max_examples=200, deadline=None)
@given(rows=st.integers(0, 6), data=st.data())
def test_predict_returns_one_row_per_sample_or_names_the_argument(rows, data):
    x = data.draw(arrays(rows, (rows, 3)))
    out = _check_outcome(lambda: MODEL.predict(x, verbose=0))
    if out is not None:
        assert out.shape == (len(x), 2) and out.dtype == np.float32 and np.isfinite(out).all()
