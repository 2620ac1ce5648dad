"""The fused recurrent ops against central differences, over every option they take."""

import threading

import numpy as np
import pytest

from npkeras import gradient_check, ops
from npkeras.autograd.tensor import Tensor
from npkeras.backend import blas_threads_scope, threads
from npkeras.ops import rnn
from npkeras.ops.rnn_cells import GRUScan, LSTMScan, SimpleRNNScan

B, T, F, U = 3, 4, 2, 3
CELLS = {"simple_rnn": (SimpleRNNScan, 1, {}), "lstm": (LSTMScan, 4, {}), "gru": (GRUScan, 3, {})}
GRU_BEFORE = (GRUScan, 3, {"reset_after": False})


def _arrays(gates, reset_after=True, use_bias=True, seed=0, states=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((B, T, F))
    kernel = rng.standard_normal((F, gates * U)) * 0.7
    recurrent = rng.standard_normal((U, gates * U)) * 0.7
    arrays = [x, kernel, recurrent]
    if use_bias:
        shape = (2, gates * U) if gates == 3 and reset_after else (gates * U,)
        arrays.append(rng.standard_normal(shape) * 0.5)
    arrays += [rng.standard_normal((B, U)) for _ in range(states)]
    return arrays


def _mask():
    mask = np.ones((B, T), bool)
    mask[0, :2] = False  # a masked prefix
    mask[1, -1] = False  # a masked suffix
    return mask


def _combined(op_factory):
    """All of an op's outputs as one tensor, so one check covers every output's gradient."""

    def fn(*xs):
        outs = op_factory()(*xs)
        return ops.concatenate([ops.reshape(o, (B, -1)) for o in outs], axis=1)

    return fn


@pytest.fixture(params=["whole batch", "row halves"])
def rows(request, monkeypatch):
    """Each check once over the whole batch and once with the time loops in row halves ([0:1], [1:3])."""
    if request.param == "row halves":
        monkeypatch.setattr(rnn, "SPLIT_ROWS", 2)
    return request.param


def _check(cls, gates, extra, use_bias=True, states=0, **flags):
    arrays = _arrays(gates, extra.get("reset_after", True), use_bias, states=states)
    assert gradient_check(_combined(lambda: cls(use_bias=use_bias, **extra, **flags)), *arrays, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("cell", [*CELLS, "gru_reset_before"])
@pytest.mark.parametrize(
    "flags",
    [
        {},
        {"return_sequences": True},
        {"go_backwards": True},
        {"go_backwards": True, "return_sequences": True},
        {"mask": "mask"},
        {"mask": "mask", "return_sequences": True},
        {"mask": "mask", "return_sequences": True, "zero_output_for_mask": True},
        {"mask": "mask", "zero_output_for_mask": True},
        {"mask": "mask", "go_backwards": True, "return_sequences": True},
    ],
    ids=lambda f: "-".join(f) or "default",
)
def test_gradients_over_flags(cell, flags, rows):
    cls, gates, extra = GRU_BEFORE if cell == "gru_reset_before" else CELLS[cell]
    flags = {k: (_mask() if v == "mask" else v) for k, v in flags.items()}
    _check(cls, gates, extra, **flags)


@pytest.mark.parametrize("cell", [*CELLS, "gru_reset_before"])
def test_gradients_without_bias_with_initial_states_and_recurrent_dropout(cell, rows):
    cls, gates, extra = GRU_BEFORE if cell == "gru_reset_before" else CELLS[cell]
    keep = (np.random.default_rng(3).random((B, U)) > 0.3) / 0.7
    states = 2 if cls is LSTMScan else 1
    _check(cls, gates, extra, use_bias=False, states=states, recurrent_mask=keep, return_sequences=True)
    _check(cls, gates, extra, states=states, mask=_mask(), return_sequences=True)
    _check(cls, gates, extra, states=states, mask=_mask())  # the last step's output masked, a state given


@pytest.mark.parametrize(
    "activation, recurrent_activation",
    [("relu", "hard_sigmoid"), ("softsign", "sigmoid"), ("linear", "tanh")],
)
@pytest.mark.parametrize("cell", list(CELLS))
def test_gradients_with_other_activations(cell, activation, recurrent_activation, rows):
    cls, gates, extra = CELLS[cell]
    _check(cls, gates, extra, activation=activation, recurrent_activation=recurrent_activation, return_sequences=True)


def _lstm_by_hand(x, kernel, recurrent, bias):
    """The notes' recurrence written out step by step (gate order i, f, c, o)."""

    def sigmoid(a):
        return 1 / (1 + np.exp(-a))

    h = c = np.zeros((x.shape[0], recurrent.shape[0]))
    outputs = []
    for t in range(x.shape[1]):
        z = x[:, t] @ kernel + h @ recurrent + bias
        i, f, g, o = np.split(z, 4, axis=1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        outputs.append(h)
    return np.stack(outputs, axis=1), h, c


def test_lstm_forward_equals_the_step_by_step_formula():
    x, kernel, recurrent, bias = _arrays(4)
    seq, h, c = (np.asarray(o) for o in LSTMScan(return_sequences=True)(*map(Tensor, (x, kernel, recurrent, bias))))
    want_seq, want_h, want_c = _lstm_by_hand(x, kernel, recurrent, bias)
    np.testing.assert_allclose(seq, want_seq, rtol=1e-12)
    np.testing.assert_allclose(h, want_h, rtol=1e-12)
    np.testing.assert_allclose(c, want_c, rtol=1e-12)


def test_simple_rnn_forward_is_the_notes_update():
    """h_t = tanh(W_hh h_{t-1} + W_xh x_t + b), the notes' §1.3 formula with σ = tanh."""
    x, kernel, recurrent, bias = _arrays(1)
    out = np.asarray(SimpleRNNScan()(*map(Tensor, (x, kernel, recurrent, bias)))[0])
    h = np.zeros((B, U))
    for t in range(T):
        h = np.tanh(x[:, t] @ kernel + h @ recurrent + bias)
    np.testing.assert_allclose(out, h, rtol=1e-12)


def test_masked_steps_carry_the_state_and_output_zeros_before_the_first_unmasked_step():
    x, kernel, recurrent, bias = _arrays(1)
    mask = _mask()
    h0 = np.full((B, U), 0.5)
    tensors = map(Tensor, (x, kernel, recurrent, bias, h0))
    seq, h = (np.asarray(o) for o in SimpleRNNScan(return_sequences=True, mask=mask)(*tensors))
    np.testing.assert_array_equal(seq[0, :2], 0)  # row 0: masked prefix -> zero outputs
    np.testing.assert_array_equal(seq[1, -1], seq[1, -2])  # row 1: masked last step repeats the output
    np.testing.assert_array_equal(h[1], seq[1, -2])


def _outputs_and_gradients(cls, extra, arrays, **flags):
    """The op's outputs, and the gradients of a weighted sum of them (the same weights in every row)."""
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    outs = cls(**extra, **flags)(*tensors)
    loss = 0
    for o in outs:
        per_row = o.size // o.shape[0]
        loss = loss + (o * np.linspace(-1, 1, per_row, dtype=np.float32).reshape(o.shape[1:])).sum()
    loss.backward()
    return [np.asarray(o) for o in outs], [t.grad for t in tensors]


@pytest.mark.parametrize("cell", [*CELLS, "gru_reset_before"])
def test_row_halves_give_the_same_bits_on_one_core_or_two(cell, monkeypatch):
    """A float32 batch of 128 (two halves): inside fit's thread scope the halves run on two threads
    (as they do when BLAS's idle threads sleep soon), outside it one after another; outputs and every
    gradient are the same bits, and they match each half run on its own (each below SPLIT_ROWS, so whole)."""
    monkeypatch.setattr(threads, "idle_workers_sleep", lambda: True)
    ran_on = set()
    real_loop = rnn.Recurrence.in_row_shares
    monkeypatch.setattr(
        rnn.Recurrence,
        "in_row_shares",
        lambda self, loop, batch: real_loop(self, lambda rows: (ran_on.add(threading.get_ident()), loop(rows)), batch),
    )
    cls, gates, extra = GRU_BEFORE if cell == "gru_reset_before" else CELLS[cell]
    rng = np.random.default_rng(5)
    batch, steps, features, units = 128, 6, 5, 8
    arrays = [
        rng.standard_normal((batch, steps, features)).astype(np.float32),
        (rng.standard_normal((features, gates * units)) * 0.5).astype(np.float32),
        (rng.standard_normal((units, gates * units)) * 0.5).astype(np.float32),
        (rng.standard_normal((2, gates * units) if cell == "gru" else (gates * units,)) * 0.3).astype(np.float32),
        rng.standard_normal((batch, units)).astype(np.float32),
    ]
    mask = rng.random((batch, steps)) > 0.2
    keep = ((rng.random((batch, units)) > 0.25) / 0.75).astype(np.float32)
    flags = {"return_sequences": True, "mask": mask, "recurrent_mask": keep}
    outs, grads = _outputs_and_gradients(cls, extra, arrays, **flags)
    assert len(ran_on) == 1
    with blas_threads_scope():
        cores = min(2, threads.chunk_threads())
        outs_2, grads_2 = _outputs_and_gradients(cls, extra, arrays, **flags)
    assert len(ran_on) == cores  # the calling thread, and a helper for the second half where there are two cores
    for a, b in zip(outs + grads, outs_2 + grads_2):
        np.testing.assert_array_equal(a, b)
    for rows in (slice(0, 64), slice(64, 128)):
        half_flags = {**flags, "mask": mask[rows], "recurrent_mask": keep[rows]}
        half_outs, half_grads = _outputs_and_gradients(
            cls, extra, [arrays[0][rows], *arrays[1:4], arrays[4][rows]], **half_flags
        )
        for got, want in zip(outs + [grads[0], grads[-1]], half_outs + [half_grads[0], half_grads[-1]]):
            np.testing.assert_allclose(got[rows], want, rtol=1e-5, atol=1e-6)
