"""Dot and dot (npkeras/layers/merging.py): batch dot products and cosines by hand, shapes, errors, configs."""

import numpy as np
import pytest

import npkeras
from npkeras import layers


def test_dot_of_vectors_and_of_a_matrix_with_a_vector():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((3, 4)).astype(np.float32), rng.standard_normal((3, 4)).astype(np.float32)
    np.testing.assert_allclose(np.asarray(layers.Dot(axes=1)([a, b])), (a * b).sum(axis=1, keepdims=True), rtol=1e-5)
    m = rng.standard_normal((3, 5, 4)).astype(np.float32)
    np.testing.assert_allclose(np.asarray(layers.Dot(axes=(2, 1))([m, b])), np.einsum("bij,bj->bi", m, b), rtol=1e-5)
    np.testing.assert_allclose(np.asarray(layers.Dot(axes=(1, 2))([b, m])), np.einsum("bj,bij->bi", b, m), rtol=1e-5)


def test_dot_normalize_gives_cosines():
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((2, 3, 4)).astype(np.float32), rng.standard_normal((2, 5, 4)).astype(np.float32)
    y = np.asarray(layers.dot([a, b], axes=-1, normalize=True))
    an = a / np.linalg.norm(a, axis=-1, keepdims=True)
    bn = b / np.linalg.norm(b, axis=-1, keepdims=True)
    np.testing.assert_allclose(y, np.einsum("bik,bjk->bij", an, bn), rtol=1e-5)
    assert np.abs(y).max() <= 1 + 1e-6


def test_dot_output_shapes_and_no_output_mask():
    dot = layers.Dot(axes=(2, 1))
    assert dot.compute_output_shape([(None, 3, 4), (None, 4, 5)]) == (None, 3, 5)
    assert layers.Dot(axes=1).compute_output_shape([(None, 4), (None, 4)]) == (None, 1)
    assert dot.compute_mask(None, None) is None
    inputs = [npkeras.Input((3, 4)), npkeras.Input((4, 5))]
    model = npkeras.Model(inputs, layers.dot(inputs, axes=(2, 1)))
    assert model.output_shape == (None, 3, 5)


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: layers.Dot(axes="last"), TypeError, "Invalid type for argument `axes`"),
        (lambda: layers.Dot(axes=(1, 2, 3)), ValueError, "it should contain two elements"),
        (lambda: layers.Dot(axes=(1, 2.0)), ValueError, "list elements should be integers"),
    ],
)
def test_bad_axes(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_incompatible_or_wrong_inputs_are_refused():
    with pytest.raises(ValueError, match=r"Incompatible input shapes: axis values 4 \(at axis 1\) != 3"):
        layers.Dot(axes=1)([np.zeros((2, 4), np.float32), np.zeros((2, 3), np.float32)])
    with pytest.raises(ValueError, match="should be called on a list of 2 inputs"):
        layers.Dot(axes=1)([np.zeros((2, 4), np.float32)] * 3)


def test_dot_gradients_match_the_hand_derived_ones():
    rng = np.random.default_rng(2)
    a = npkeras.ops.convert_to_tensor(rng.standard_normal((2, 3)).astype(np.float32))
    b = npkeras.ops.convert_to_tensor(rng.standard_normal((2, 3)).astype(np.float32))
    with npkeras.GradientTape() as tape:
        tape.watch(a)
        tape.watch(b)
        loss = npkeras.ops.sum(layers.Dot(axes=-1)([a, b]))
    ga, gb = tape.gradient(loss, [a, b])
    np.testing.assert_allclose(np.asarray(ga), np.asarray(b))
    np.testing.assert_allclose(np.asarray(gb), np.asarray(a))


@pytest.mark.parametrize("layer", [layers.Dot(axes=(2, 1)), layers.Dot(axes=-1, normalize=True)])
def test_config_round_trips(layer):
    config = layers.serialize(layer)
    again = layers.deserialize(config)
    assert type(again) is layers.Dot and layers.serialize(again) == config
