"""RNN(cell) with a user-defined cell: the loop of ops matches the fused SimpleRNN and LSTM, and trains and saves."""

import numpy as np
import pytest

import npkeras
from npkeras import layers, ops
from npkeras.autograd.gradient_check import gradient_check
from tests.layers.random_weights import rand


class TanhCell(layers.Layer):
    """SimpleRNNCell written as a user would: h = tanh(x W + h U + b)."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="recurrent_kernel")
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

    def call(self, inputs, states):
        h = ops.tanh(ops.matmul(inputs, self.kernel) + ops.matmul(states[0], self.recurrent_kernel) + self.bias)
        return h, [h]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


class TwoStateCell(layers.Layer):
    """LSTM's equations with Keras's gate order (i, f, c, o), two states [h, c] and a `training` argument."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = [units, units]
        self.trainings = []

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], 4 * self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, 4 * self.units), name="recurrent_kernel")
        self.bias = self.add_weight(shape=(4 * self.units,), initializer="zeros", name="bias")

    def call(self, inputs, states, training=False):
        self.trainings.append(training)
        h, c = states
        z = ops.matmul(inputs, self.kernel) + ops.matmul(h, self.recurrent_kernel) + self.bias
        n = self.units
        i, f, g, o = (z[:, k * n : (k + 1) * n] for k in range(4))
        c = ops.sigmoid(f) * c + ops.sigmoid(i) * ops.tanh(g)
        h = ops.sigmoid(o) * ops.tanh(c)
        return h, [h, c]


def twins(kwargs, x, mask=None, seed=0):
    """A SimpleRNN and an RNN(TanhCell) with the same weights, run on x: (fused output, loop output)."""
    fused, loop = layers.SimpleRNN(4, **kwargs), layers.RNN(TanhCell(4), **kwargs)
    fused.build(x.shape)
    loop.build(x.shape)
    weights = [rand(w.shape, seed + i) * 0.5 for i, w in enumerate(fused.get_weights())]
    fused.set_weights(weights)
    loop.set_weights(weights)
    return fused(x, mask=mask), loop(x, mask=mask)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"return_sequences": True},
        {"return_sequences": True, "go_backwards": True},
        {"return_state": True},
        {"return_sequences": True, "zero_output_for_mask": True},
    ],
    ids=str,
)
@pytest.mark.parametrize("masked", [False, True])
def test_user_cell_matches_the_fused_simple_rnn(kwargs, masked):
    x = rand((3, 5, 2))
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 0, 0, 0, 0]], dtype=bool) if masked else None
    fused, loop = twins(kwargs, x, mask)
    fused, loop = (out if isinstance(out, list) else [out] for out in (fused, loop))
    assert len(fused) == len(loop)
    for a, b in zip(fused, loop):
        np.testing.assert_allclose(np.asarray(b), np.asarray(a), rtol=1e-5, atol=1e-6)


def test_two_state_cell_matches_the_fused_lstm_and_gets_training():
    x = rand((2, 6, 3))
    fused = layers.LSTM(5, return_state=True, unit_forget_bias=False)
    cell = TwoStateCell(5)
    loop = layers.RNN(cell, return_state=True)
    fused.build(x.shape)
    loop.build(x.shape)
    weights = [rand(w.shape, i) * 0.5 for i, w in enumerate(fused.get_weights())]
    fused.set_weights(weights)
    loop.set_weights(weights)
    initial = [rand((2, 5), 7), rand((2, 5), 8)]
    for a, b in zip(fused(x, initial_state=initial), loop(x, initial_state=initial, training=True)):
        np.testing.assert_allclose(np.asarray(b), np.asarray(a), rtol=1e-5, atol=1e-6)
    assert cell.trainings == [True] * 6
    assert loop.compute_output_shape((2, 6, 3)) == [(2, 5), (2, 5), (2, 5)]


def test_gradients_through_the_loop(float64):
    layer = layers.RNN(TanhCell(3), return_sequences=True, dtype="float64")
    x = rand((2, 4, 2)).astype(np.float64)
    layer.build(x.shape)
    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 1]], dtype=bool)
    assert gradient_check(lambda t: layer(t, mask=mask), x)

    cell = layer.cell
    names = ("kernel", "recurrent_kernel", "bias")
    real = [getattr(cell, name) for name in names]

    def of_weights(*values):  # the checked tensors routed through the cell's own call
        for name, value in zip(names, values):
            object.__setattr__(cell, name, value)
        try:
            return layer(x, mask=mask)
        finally:
            for name, value in zip(names, real):
                object.__setattr__(cell, name, value)

    assert gradient_check(of_weights, *(w.data.copy() + 0.1 for w in real))


def test_cell_initial_state_output_size_and_parameter_count():
    class ProjectedCell(TanhCell):
        output_size = 2

        def build(self, input_shape):
            super().build(input_shape)
            self.projection = self.add_weight(shape=(self.units, 2), name="projection")

        def get_initial_state(self, batch_size=None):
            return [ops.ones((batch_size, self.units))]

        def call(self, inputs, states):
            h, _ = super().call(inputs, states)
            return ops.matmul(h, self.projection), [h]

    inputs = layers.Input((None, 3))
    model = npkeras.Model(inputs, layers.RNN(ProjectedCell(4), return_sequences=True)(inputs))
    assert model.output_shape == (None, None, 2)
    assert model.count_params() == 3 * 4 + 4 * 4 + 4 + 4 * 2  # Keras's count for the same cell
    layer = model.layers[1]
    x = rand((2, 3, 3))
    kernel, recurrent, bias, projection = (w.data for w in layer.weights)
    h = np.tanh(x[:, 0] @ kernel + np.ones((2, 4)) @ recurrent + bias)  # the first step starts from ones
    np.testing.assert_allclose(np.asarray(model(x))[:, 0], h @ projection, rtol=1e-5, atol=1e-6)


def test_user_cell_trains_saves_and_loads(tmp_path):
    npkeras.saving.register_keras_serializable(package="test_cell_loop")(TanhCell)
    inputs = layers.Input((5, 2))
    model = npkeras.Model(inputs, layers.Dense(1)(layers.RNN(TanhCell(6))(inputs)))
    x = rand((64, 5, 2))
    y = x.sum(axis=(1, 2))[:, None] * 0.3
    model.compile(optimizer=npkeras.optimizers.Adam(0.02), loss="mse")
    history = model.fit(x, y, epochs=20, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.3 * history.history["loss"][0]
    assert model.layers[1].weights[0].path == "rnn/tanh_cell/kernel"  # Keras's path for a nested cell's weight
    model.save(tmp_path / "cell.keras")
    loaded = npkeras.models.load_model(tmp_path / "cell.keras")
    assert type(loaded.layers[1].cell) is TanhCell
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


@pytest.mark.parametrize(
    "cell, message",
    [
        (object(), 'Argument `cell` of layer "rnn" should have a `call` method'),
        (layers.Dense(3), 'The RNN cell of layer "rnn" should have a `state_size` attribute'),
    ],
)
def test_cells_without_the_protocol_are_refused(cell, message):
    with pytest.raises(ValueError, match=message):
        layers.RNN(cell)


def test_a_bad_state_size_names_the_layer():
    cell = TanhCell(3)
    cell.state_size = "three"
    with pytest.raises(ValueError, match='Layer "my_rnn": state_size must be an integer'):
        layers.RNN(cell, name="my_rnn")
