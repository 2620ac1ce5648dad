"""Recurrence: the shared frame of the fused SimpleRNN, LSTM and GRU ops (ops/rnn_cells.py).

A recurrent layer runs as one op over the whole sequence. The input projection x @ W for all
timesteps is one GEMM up front; inside the time loop only h @ U (and the cell's elementwise
gate arithmetic) remains. Backward runs through time inside the same op and accumulates the
weight gradients of all timesteps in one GEMM each at the end: dW = X^T dZ, dU = H^T dZ,
dx = dZ W^T over the stacked (steps * batch) rows.

A batch's rows recur independently, so from SPLIT_ROWS rows the time loops run on fixed row halves,
one per core (backend/parallel.run_chunks), each half with its own one-thread products and its own
gate arithmetic; when BLAS's idle threads would spin on the second core (threads.idle_workers_sleep),
the halves run one after another instead. Otherwise the per-step products follow the thread policy
with a lower threshold (rnn_cells.STEP_LIFT_MACS): back to back with only the gate arithmetic between
them they gain from a second BLAS thread.

Time is the leading axis inside the op, (steps, batch, features), so each step's slice is
contiguous. Keras's semantics for the rest:
- `go_backwards` reads the sequence from its end, and the returned sequence stays in that order;
- a mask (batch, steps) carries the previous state through a masked step; the output there is
  the previous output (zeros before the first unmasked step), or zeros with
  `zero_output_for_mask`;
- a recurrent dropout mask (batch, units) multiplies h_{t-1} where it enters h @ U.
"""

import numpy as np

from npkeras.autograd.function import Function
from npkeras.backend import elementwise, threads
from npkeras.backend.parallel import run_chunks
from npkeras.backend.threads import matmul

# From 128 rows a batch's time loops run as two row halves, one per core (while BLAS's idle threads sleep soon:
# npkeras/_blas_env.py). The halves are fixed by the batch size alone, so the sums are the same on one core or
# two. The row-LSTM in fit (1,536 images, median of 6 alternated epochs, samples/s, halves against whole):
# batch 128 7,113 against 6,139; batch 64 5,436 against 5,540; batch 32 3,693 against 4,471 (halves of 16 rows
# hand the GIL back and forth more than they compute).
SPLIT_ROWS = 128


def row_shares(batch):
    """The fixed row ranges a batch's time loops run on: two halves from SPLIT_ROWS rows, else one."""
    if batch < SPLIT_ROWS:
        return [slice(0, batch)]
    return [slice(0, batch // 2), slice(batch // 2, batch)]


def _sigmoid(x):
    """In place: 1 / (1 + exp(-x)) written as 0.5 * tanh(x / 2) + 0.5, which cannot overflow."""
    x *= 0.5
    np.tanh(x, out=x)
    x *= 0.5
    x += 0.5
    return x


def _tanh(x):
    return np.tanh(x, out=x)


def _relu(x):
    return elementwise.relu(x, out=x)


def _hard_sigmoid(x):
    x /= 6
    x += 0.5
    return np.clip(x, 0, 1, out=x)


def _softsign(x):
    x /= 1 + np.abs(x)
    return x


# name -> (in-place activation, derivative as a function of the activation's output)
ACTIVATIONS = {
    "tanh": (_tanh, lambda y: 1 - y * y),
    "sigmoid": (_sigmoid, lambda y: y * (1 - y)),
    "relu": (_relu, lambda y: (y > 0).astype(y.dtype)),
    "hard_sigmoid": (_hard_sigmoid, lambda y: ((y > 0) & (y < 1)).astype(y.dtype) / 6),
    "linear": (lambda x: x, lambda y: np.ones_like(y)),
    "softsign": (_softsign, lambda y: np.square(1 - np.abs(y))),
}


class Recurrence(Function):
    """forward(x, kernel, recurrent_kernel[, bias], *initial_states) -> (output, *final_states).

    x is (batch, steps, features); output is (batch, steps, units) with `return_sequences`,
    else (batch, units). Subclasses set `state_count` and write `scan` and `scan_backward`
    over the projected inputs in (steps, batch, gates * units).
    """

    saved = (
        "mask",
        "recurrent_mask",
        "given_states",
        "kernel",
        "out_mask",
        "recurrent_kernel",
        "steps_mask",
        "xt",
        "final_states",
    )

    state_count = 1

    def __init__(
        self,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        return_sequences=False,
        go_backwards=False,
        mask=None,
        recurrent_mask=None,
        zero_output_for_mask=False,
    ):
        self.act, self.act_grad = ACTIVATIONS[activation]
        self.rec_act, self.rec_act_grad = ACTIVATIONS[recurrent_activation]
        self.use_bias = use_bias
        self.return_sequences = return_sequences
        self.go_backwards = go_backwards
        self.mask = mask
        self.recurrent_mask = recurrent_mask
        self.zero_output_for_mask = zero_output_for_mask

    # ---- forward --------------------------------------------------------------------
    def forward(self, x, kernel, recurrent_kernel, *rest):
        bias = rest[0] if self.use_bias else None
        given_states = rest[1:] if self.use_bias else rest
        self.given_states = len(given_states)
        b, steps = x.shape[0], x.shape[1]
        units = recurrent_kernel.shape[0]
        dtype = np.result_type(x.dtype, kernel.dtype)
        self.xt = xt = self._time_major(x.astype(dtype, copy=False))
        self.kernel, self.recurrent_kernel = kernel, recurrent_kernel
        self.steps_mask = None if self.mask is None else self._time_major(self.mask)[:, :, None]
        zw = matmul(xt.reshape(steps * b, -1), self.projection_kernel(kernel)).reshape(steps, b, -1)
        states = [np.zeros((b, units), dtype) for _ in range(self.state_count)]
        for i, s in enumerate(given_states):
            states[i] = np.asarray(s, dtype)
        hs = self.scan(zw, bias, states)  # (steps + 1, batch, units), hs[0] the initial h
        self.out_mask = self._output_mask(steps)
        seq = hs[1:] if self.out_mask is None else hs[1:] * self.out_mask
        output = seq.transpose(1, 0, 2).copy() if self.return_sequences else seq[-1].copy()
        return (output, *(s.copy() for s in self.final_states))

    def _time_major(self, a):
        """(batch, steps, ...) to contiguous (steps, batch, ...), reversed for go_backwards."""
        a = a.swapaxes(0, 1)
        return np.ascontiguousarray(a[::-1] if self.go_backwards else a)

    def _output_mask(self, steps):
        """Where outputs are zero instead of the carried h: masked steps, or those before the first
        unmasked one (which matters only when an initial state is given: otherwise h is zero there)."""
        m = self.steps_mask
        if m is None:
            return None
        if self.zero_output_for_mask:
            return m.astype(self.xt.dtype)
        if not self.given_states:
            return None
        return np.maximum.accumulate(m, axis=0).astype(self.xt.dtype)

    def in_row_shares(self, loop, batch):
        """Run `loop(rows)` on each of `row_shares(batch)`: the shares on as many cores as there are while BLAS's
        idle threads sleep soon (threads.idle_workers_sleep), else one after another with their products lifted."""
        cores = None if threads.idle_workers_sleep() else 1
        run_chunks(lambda rows, _state: loop(rows), row_shares(batch), cores=cores)

    def _carry(self, t, rows, new, old):
        """The state of `rows` after step t: `new`, or `old` where step t is masked."""
        if self.steps_mask is None:
            return new
        return np.where(self.steps_mask[t, rows], new, old)

    def _recurrent_input(self, h, rows=slice(None)):
        """h of `rows` as it enters h @ U: times the recurrent dropout mask when there is one."""
        return h if self.recurrent_mask is None else h * self.recurrent_mask[rows]

    # ---- backward -------------------------------------------------------------------
    def backward(self, g_output, *g_states):
        steps, b = self.xt.shape[0], self.xt.shape[1]
        dtype = self.xt.dtype
        g_final = [np.asarray(g, dtype) for g in g_states]
        if self.return_sequences:
            g_seq = np.array(g_output.swapaxes(0, 1), dtype=dtype, order="C")
            if self.out_mask is not None:
                g_seq *= self.out_mask
        else:  # only the last step's h is returned: its gradient joins the final state's
            g_seq = None
            g_final[0] = g_final[0] + (g_output if self.out_mask is None else g_output * self.out_mask[-1])
        dz, g_initial = self.scan_backward(g_seq, g_final)
        grads = [None, None, None]
        dz2 = dz.reshape(steps * b, -1)
        if self.input_requires_grad(0):
            gx = matmul(dz2, self.kernel.T).reshape(steps, b, -1)
            grads[0] = self._time_major_back(gx)
        if self.input_requires_grad(1):
            grads[1] = matmul(self.xt.reshape(steps * b, -1).T, dz2)
        grads[2] = self.recurrent_kernel_grad()
        if self.use_bias:
            grads.append(self.bias_grad(dz2))
        grads.extend(g_initial[: self.given_states])
        return tuple(grads)

    def _time_major_back(self, a):
        a = a[::-1] if self.go_backwards else a
        return np.ascontiguousarray(a.swapaxes(0, 1))

    def _split_carry(self, t, rows, g):
        """(the gradient reaching step t's new state of `rows`, the part carried past a masked step)."""
        if self.steps_mask is None:
            return g, None
        m = self.steps_mask[t, rows]
        return np.where(m, g, 0), np.where(m, 0, g)

    def recurrent_kernel_t(self):
        """U^T as a C-contiguous array for the backward time loop's dz @ U^T: one thread, 64 rows of the
        LSTM(128), 89 us a product against 114 on the transposed view."""
        return np.ascontiguousarray(self.recurrent_kernel.T)

    @staticmethod
    def _reaching_h(g_seq, t, rows, dh):
        """dL/dh_t of `rows`: the returned sequence's gradient at step t (in place in `g_seq`; None when only the
        last step is returned, whose gradient came in with the final state's) plus what step t + 1 sent back."""
        if g_seq is None:
            return dh
        g = g_seq[t, rows]
        g += dh
        return g

    def bias_grad(self, dz2):
        return dz2.sum(axis=0)

    def projection_kernel(self, kernel):
        """The kernel the inputs are projected with (a cell may rescale its gates' columns)."""
        return kernel

    # ---- hooks ----------------------------------------------------------------------
    def scan(self, zw, bias, states):
        """Run the cell over the projected inputs (in place); return h for steps 0..T (h_0 first) and
        set `self.final_states`."""
        raise NotImplementedError

    def scan_backward(self, g_seq, g_final_states):
        """(dL/d(projected input) for every step, the gradients of the initial states); `g_seq` is the returned
        sequence's gradient in (steps, batch, units), or None when only the last step is returned."""
        raise NotImplementedError

    def recurrent_kernel_grad(self):
        raise NotImplementedError
