"""Bidirectional and TimeDistributed: shapes, merge modes, weights, names, configs and errors as in Keras 3."""

import numpy as np
import pytest
from random_weights import built, rand

import npkeras
from npkeras import layers


def _halves(bi, x, **kwargs):
    """The forward layer's output and the backward layer's output put back in input order."""
    y = np.asarray(bi.forward_layer(x, **kwargs))
    y_rev = np.asarray(bi.backward_layer(x, **kwargs))
    return y, (y_rev[:, ::-1] if bi.return_sequences else y_rev)


# ---- Bidirectional ----------------------------------------------------------------------

MERGES = {
    "concat": lambda a, b: np.concatenate([a, b], axis=-1),
    "sum": lambda a, b: a + b,
    "ave": lambda a, b: (a + b) / 2,
    "mul": lambda a, b: a * b,
}


@pytest.mark.parametrize("merge_mode", [*MERGES, None])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_bidirectional_output_shapes_and_merge(merge_mode, return_sequences):
    x = rand((2, 5, 3))
    bi = built(layers.Bidirectional(layers.LSTM(4, return_sequences=return_sequences), merge_mode=merge_mode), x.shape)
    out = bi(x)
    main = (2, 5) if return_sequences else (2,)
    width = 8 if merge_mode == "concat" else 4
    symbolic = bi.compute_output_shape((None, 5, 3))
    y, y_rev = _halves(bi, x)
    if merge_mode is None:
        assert isinstance(out, list) and [o.shape for o in out] == [(*main, 4)] * 2
        assert symbolic == [(None, *main[1:], 4)] * 2
        np.testing.assert_array_equal(np.asarray(out[0]), y)
        np.testing.assert_array_equal(np.asarray(out[1]), y_rev)
    else:
        assert out.shape == (*main, width)
        assert symbolic == (None, *main[1:], width)
        np.testing.assert_allclose(np.asarray(out), MERGES[merge_mode](y, y_rev), rtol=1e-6, atol=1e-7)


def test_bidirectional_backward_half_reads_the_sequence_reversed():
    x = rand((2, 5, 3))
    bi = built(layers.Bidirectional(layers.GRU(3)), x.shape)
    backward_out = np.asarray(bi(x))[:, 3:]
    reference = layers.GRU(3)
    reference.build(x.shape)
    reference.set_weights(bi.backward_layer.get_weights())
    np.testing.assert_allclose(backward_out, np.asarray(reference(x[:, ::-1])), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("merge_mode", ["concat", None])
def test_bidirectional_return_state_shapes(merge_mode):
    x = rand((2, 5, 3))
    bi = layers.Bidirectional(layers.LSTM(4, return_state=True), merge_mode=merge_mode)
    out = bi(x)
    outputs = [(2, 8)] if merge_mode == "concat" else [(2, 4), (2, 4)]
    assert [o.shape for o in out] == outputs + [(2, 4)] * 4  # forward h, c then backward h, c
    assert bi.compute_output_shape((None, 5, 3)) == [(None, *s[1:]) for s in outputs] + [(None, 4)] * 4
    np.testing.assert_array_equal(np.asarray(out[-4]), np.asarray(out[0])[:, :4] if merge_mode else np.asarray(out[0]))


def test_bidirectional_initial_state_is_split_in_halves():
    x = rand((2, 5, 3))
    bi = built(layers.Bidirectional(layers.GRU(3)), x.shape)
    forward_state, backward_state = rand((2, 3), seed=1), rand((2, 3), seed=2)
    out = np.asarray(bi(x, initial_state=[forward_state, backward_state]))
    np.testing.assert_allclose(out[:, :3], np.asarray(bi.forward_layer(x, initial_state=[forward_state])), rtol=1e-6)
    np.testing.assert_allclose(out[:, 3:], np.asarray(bi.backward_layer(x, initial_state=[backward_state])), rtol=1e-6)


def test_bidirectional_weights_are_forward_then_backward_and_names():
    bi = layers.Bidirectional(layers.LSTM(4, name="encoder"))
    bi(rand((2, 5, 3)))
    assert bi.forward_layer.name == "forward_encoder"
    assert bi.backward_layer.name == "backward_encoder"
    assert bi.forward_layer.go_backwards is False
    assert bi.backward_layer.go_backwards is True
    forward, backward = bi.forward_layer.weights, bi.backward_layer.weights
    assert len(bi.weights) == 6
    assert all(a is b for a, b in zip(bi.weights, forward + backward))
    assert [w.shape for w in bi.weights] == [(3, 16), (4, 16), (16,)] * 2
    assert bi.count_params() == 2 * 4 * 4 * (3 + 4 + 1)
    assert not np.array_equal(np.asarray(forward[0]), np.asarray(backward[0]))  # initialized independently


def test_bidirectional_default_names():
    bi = layers.Bidirectional(layers.GRU(2))
    assert bi.name == "bidirectional"
    assert (bi.forward_layer.name, bi.backward_layer.name) == ("forward_gru", "backward_gru")


def test_bidirectional_weight_paths_are_distinct():
    bi = layers.Bidirectional(layers.LSTM(2))
    bi(rand((1, 3, 2)))
    assert bi.weights[0].path == "bidirectional/forward_lstm/lstm_cell/kernel"
    assert len({w.path for w in bi.weights}) == 6


def test_bidirectional_mask_is_passed_to_both_halves_and_on():
    x = rand((2, 5, 3))
    mask = np.array([[True, True, True, False, False], [True] * 5])
    bi = built(layers.Bidirectional(layers.LSTM(3, return_sequences=True)), x.shape)
    out = bi(x, mask=mask)
    np.testing.assert_array_equal(out._keras_mask, mask)
    y, y_rev = _halves(bi, x, mask=mask)
    np.testing.assert_array_equal(np.asarray(out), np.concatenate([y, y_rev], axis=-1))
    np.testing.assert_array_equal(np.asarray(out)[0, 3:], 0)  # masked steps are zeros (zero_output_for_mask)
    assert bi.forward_layer.zero_output_for_mask and bi.backward_layer.zero_output_for_mask
    assert layers.Bidirectional(layers.LSTM(3))(x, mask=mask)._keras_mask is None


def test_bidirectional_in_a_sequential_after_a_masking_embedding():
    ids = np.array([[3, 5, 1, 0], [2, 0, 0, 0]])
    model = npkeras.Sequential(
        [layers.Embedding(8, 4, mask_zero=True), layers.Bidirectional(layers.SimpleRNN(3)), layers.Dense(2)]
    )
    out = model(ids)
    assert out.shape == (2, 2)
    embedding, bi, dense = model.layers
    explicit = dense(bi(np.asarray(embedding(ids)), mask=ids != 0))
    np.testing.assert_array_equal(np.asarray(out), np.asarray(explicit))
    assert model.count_params() == 8 * 4 + 2 * 3 * (4 + 3 + 1) + (6 * 2 + 2)


@pytest.mark.parametrize("inner", [lambda: layers.LSTM(3, return_sequences=True), lambda: layers.GRU(2)])
@pytest.mark.parametrize("merge_mode", ["concat", "mul", None])
def test_bidirectional_config_round_trip(inner, merge_mode):
    x = rand((2, 4, 3))
    bi = built(layers.Bidirectional(inner(), merge_mode=merge_mode, name="bi"), x.shape)
    config = bi.get_config()
    assert list(config) == ["name", "trainable", "dtype", "merge_mode", "layer", "backward_layer"]
    assert config["merge_mode"] == merge_mode
    assert config["layer"]["config"]["name"].startswith("forward_")
    assert config["layer"]["config"]["go_backwards"] is False
    assert config["backward_layer"]["config"]["name"].startswith("backward_")
    assert config["backward_layer"]["config"]["go_backwards"] is True
    assert "build_config" in config["layer"] and "build_config" in config["backward_layer"]  # built inner layers
    clone = layers.Bidirectional.from_config(config)
    assert (clone.forward_layer.name, clone.backward_layer.name) == (bi.forward_layer.name, bi.backward_layer.name)
    clone.build(x.shape)
    assert clone.get_config() == config
    clone.set_weights(bi.get_weights())
    got, want = clone(x), bi(x)
    got, want = (got, want) if isinstance(got, list) else ([got], [want])
    for g, w in zip(got, want):
        np.testing.assert_array_equal(np.asarray(g), np.asarray(w))


@pytest.mark.parametrize("merge_mode", ["max", "", "Concat"])
def test_bidirectional_invalid_merge_mode(merge_mode):
    with pytest.raises(ValueError, match="merge mode") as info:
        layers.Bidirectional(layers.LSTM(3), merge_mode=merge_mode)
    assert repr(merge_mode) in str(info.value)


@pytest.mark.parametrize("inner", [lambda: layers.Dense(3), lambda: layers.Conv1D(2, 3), lambda: "lstm"])
def test_bidirectional_refuses_a_non_recurrent_layer(inner):
    with pytest.raises(ValueError, match="recurrent layer"):
        layers.Bidirectional(inner(), name="bi")


def test_bidirectional_backward_layer_must_agree():
    with pytest.raises(ValueError, match="return_sequences"):
        layers.Bidirectional(layers.LSTM(3), backward_layer=layers.LSTM(3, return_sequences=True, go_backwards=True))
    with pytest.raises(ValueError, match="recurrent layer"):
        layers.Bidirectional(layers.LSTM(3), backward_layer=layers.Dense(3))


def test_bidirectional_explicit_backward_layer_is_used():
    x = rand((2, 4, 3))
    backward = layers.GRU(3, go_backwards=True, name="custom_back")
    bi = layers.Bidirectional(layers.LSTM(2), backward_layer=backward)
    assert bi.backward_layer is backward
    assert bi(x).shape == (2, 5)
    assert [w.shape for w in bi.weights] == [(3, 8), (2, 8), (8,), (3, 9), (3, 9), (2, 9)]


# ---- TimeDistributed --------------------------------------------------------------------


def test_time_distributed_dense_equals_dense_on_each_step():
    x = rand((3, 4, 5))
    td = built(layers.TimeDistributed(layers.Dense(2, activation="tanh")), x.shape)
    out = td(x)
    assert out.shape == (3, 4, 2)
    assert td.compute_output_shape((None, 4, 5)) == (None, 4, 2)
    kernel, bias = td.layer.get_weights()
    np.testing.assert_allclose(np.asarray(out), np.tanh(x @ kernel + bias), rtol=1e-5, atol=1e-6)
    for t in range(4):
        np.testing.assert_array_equal(np.asarray(out)[:, t], np.asarray(td.layer(x[:, t])))
    assert [w.shape for w in td.weights] == [(5, 2), (2,)]
    assert td.layer.kernel.shape == (5, 2)  # built for one step's features, not for the steps


def test_time_distributed_over_rank4_input():
    x = rand((2, 3, 4, 5))
    td = layers.TimeDistributed(layers.Dense(6))
    out = td(x)
    assert out.shape == (2, 3, 4, 6)
    assert td.compute_output_shape((None, 3, 4, 5)) == (None, 3, 4, 6)
    kernel, bias = td.layer.get_weights()
    np.testing.assert_allclose(np.asarray(out), x @ kernel + bias, rtol=1e-5, atol=1e-6)


def test_time_distributed_passes_the_mask_on():
    x = rand((2, 4, 3))
    mask = np.array([[True, True, False, False], [True] * 4])
    seq = layers.LSTM(3, return_sequences=True)(x, mask=mask)
    out = layers.TimeDistributed(layers.Dense(2))(seq)
    np.testing.assert_array_equal(out._keras_mask, mask)


@pytest.mark.parametrize("shape", [(4, 5), (5,)])
def test_time_distributed_refuses_rank_below_3(shape):
    td = layers.TimeDistributed(layers.Dense(2), name="per_step")
    with pytest.raises(ValueError, match="per_step") as info:
        td(rand(shape))
    assert "at least 3 dimensions" in str(info.value)


def test_time_distributed_refuses_a_non_layer():
    with pytest.raises(ValueError, match="layer"):
        layers.TimeDistributed("dense")


def test_time_distributed_config_round_trip():
    x = rand((2, 4, 5))
    td = built(layers.TimeDistributed(layers.Dense(3, activation="relu", name="head"), name="td"), x.shape)
    config = td.get_config()
    assert list(config) == ["name", "trainable", "dtype", "layer"]
    assert config["layer"]["class_name"] == "Dense"
    assert config["layer"]["config"]["name"] == "head"
    assert config["layer"]["config"]["activation"] == "relu"
    clone = layers.TimeDistributed.from_config(config)
    assert clone.name == "td" and clone.layer.name == "head" and clone.layer.units == 3
    clone.build(x.shape)
    assert clone.get_config() == config
    clone.set_weights(td.get_weights())
    np.testing.assert_array_equal(np.asarray(clone(x)), np.asarray(td(x)))


# ---- gradients --------------------------------------------------------------------------


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave"])
@pytest.mark.parametrize("inner", [layers.LSTM, layers.GRU, layers.SimpleRNN])
def test_gradient_check_through_bidirectional_with_a_mask(float64, inner, merge_mode):
    bi = built(layers.Bidirectional(inner(3, return_sequences=True), merge_mode=merge_mode), (3, 5, 2), seed=6)
    mask = np.array([[False, True, True, True, True], [True, True, True, False, False], [True] * 5])
    x = np.random.default_rng(7).standard_normal((3, 5, 2))
    assert npkeras.gradient_check(lambda t: bi(t, mask=mask), x, rtol=1e-4, atol=1e-6)


def test_gradient_check_through_time_distributed_dense_after_an_lstm(float64):
    lstm = built(layers.LSTM(3, return_sequences=True), (2, 4, 2), seed=8)
    dense = built(layers.TimeDistributed(layers.Dense(2, activation="tanh")), (2, 4, 3), seed=9)
    x = np.random.default_rng(10).standard_normal((2, 4, 2))
    assert npkeras.gradient_check(lambda t: dense(lstm(t)), x, rtol=1e-4, atol=1e-6)
