"""Merge layers: values, broadcasting, gradients (gradient_check) and Keras's shape errors."""

import numpy as np
import pytest

import npkeras
from npkeras import layers
from npkeras.autograd import gradient_check

RNG = np.random.default_rng(0)
A, B, C = (RNG.standard_normal((4, 3)) for _ in range(3))

ELEMENTWISE = [
    (layers.Add, lambda *xs: sum(xs)),
    (layers.Multiply, lambda *xs: np.prod(xs, axis=0)),
    (layers.Average, lambda *xs: np.mean(xs, axis=0)),
    (layers.Maximum, lambda *xs: np.max(xs, axis=0)),
    (layers.Minimum, lambda *xs: np.min(xs, axis=0)),
]


@pytest.mark.parametrize("cls, reference", ELEMENTWISE)
def test_elementwise_values_and_gradients(float64, cls, reference):
    layer = cls()
    np.testing.assert_allclose(np.asarray(layer([A, B, C])), reference(A, B, C), rtol=1e-12)
    assert gradient_check(lambda a, b, c: layer([a, b, c]), A, B, C)


def test_subtract_takes_exactly_two(float64):
    np.testing.assert_allclose(np.asarray(layers.Subtract()([A, B])), A - B)
    assert gradient_check(lambda a, b: layers.Subtract()([a, b]), A, B)
    with pytest.raises(ValueError, match="A `Subtract` layer should be called on exactly 2 inputs"):
        layers.Subtract()([A, B, C])


def test_broadcasting_over_size_one_axes(float64):
    row = RNG.standard_normal((4, 1))
    np.testing.assert_allclose(np.asarray(layers.Add()([A, row])), A + row)
    assert gradient_check(lambda a, r: layers.Multiply()([a, r]), A, row)
    assert layers.Add().compute_output_shape([(None, 4, 1), (None, 4, 5)]) == (None, 4, 5)


@pytest.mark.parametrize("axis", [-1, 1, 2])
def test_concatenate_values_gradients_and_shape(float64, axis):
    x, y = RNG.standard_normal((2, 3, 4)), RNG.standard_normal((2, 3, 4))
    layer = layers.Concatenate(axis=axis)
    np.testing.assert_allclose(np.asarray(layer([x, y])), np.concatenate([x, y], axis=axis))
    assert gradient_check(lambda a, b: layer([a, b]), x, y)
    expected = [None, 3, 4]
    expected[axis] = expected[axis] * 2
    assert layer.compute_output_shape([(None, 3, 4), (None, 3, 4)]) == tuple(expected)
    assert layer.get_config()["axis"] == axis


def test_functional_helpers_match_the_layers():
    a, b = npkeras.Input((3,)), npkeras.Input((3,))
    for fn, cls in ((layers.add, layers.Add), (layers.concatenate, layers.Concatenate),
                    (layers.maximum, layers.Maximum), (layers.subtract, layers.Subtract)):  # fmt: skip
        out = fn([a, b])
        assert isinstance(out._keras_history[0], cls)


def test_incompatible_shapes_are_keras_errors():
    a, b = npkeras.Input((3,)), npkeras.Input((4,))
    with pytest.raises(ValueError, match=r"Inputs have incompatible shapes. Received shapes \(3,\) and \(4,\)"):
        layers.Add()([a, b])
    with pytest.raises(ValueError, match="requires inputs with matching shapes except for the concatenation axis"):
        layers.Concatenate(axis=1)([npkeras.Input((3, 4)), npkeras.Input((5, 5))])
    with pytest.raises(ValueError, match="should be called on a list of inputs"):
        layers.Add()(A)
