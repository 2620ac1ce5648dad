"""The fused SimpleRNN, LSTM and GRU ops: each cell's time loop and its backward through time.

Weights follow Keras's layout: kernel (features, gates * units), recurrent_kernel
(units, gates * units), gate order i, f, c, o (LSTM) and z, r, h (GRU). The frame they share
(input projection, masks, go_backwards, the weight-gradient GEMMs) is ops/rnn.py.
"""

import numpy as np

from npkeras.backend.threads import matmul
from npkeras.ops import rnn
from npkeras.ops.rnn import Recurrence

# The time loop's products (32x128 by 128x512 for the notes' LSTM at batch 32, 2M multiply-adds) are
# lifted to all BLAS threads from 1M multiply-adds, below the policy's 4M: the notes' LSTM trained
# 19% faster so (in-process A/B on Reuters, batch 32: 694-749 against 592-628 samples/s); back to
# back with only the gate arithmetic between them, the second thread stays awake.
STEP_LIFT_MACS = 1 << 20


def step_matmul(a, b, out=None):
    return matmul(a, b, out=out, lift_from=STEP_LIFT_MACS)


def _stacked(a):
    """(steps, batch, n) as (steps * batch, n)."""
    return a.reshape(-1, a.shape[-1])


class SimpleRNNScan(Recurrence):
    """h_t = act(x_t W + h_{t-1} U + b)."""

    saved = Recurrence.saved + ("hs", "y")

    def scan(self, zw, bias, states):
        u = self.recurrent_kernel
        hs = np.empty((zw.shape[0] + 1, *states[0].shape), zw.dtype)
        hs[0] = states[0]

        def loop(rows):
            z_rows, h_rows = zw[:, rows], hs[:, rows]
            if bias is not None:
                z_rows += bias
            for t in range(z_rows.shape[0]):
                z = z_rows[t]
                z += step_matmul(self._recurrent_input(h_rows[t], rows), u)
                h_rows[t + 1] = self._carry(t, rows, self.act(z), h_rows[t])

        self.in_row_shares(loop, zw.shape[1])
        self.y, self.hs = zw, hs  # zw now holds each step's activation output
        self.final_states = [hs[-1]]
        return hs

    def scan_backward(self, g_seq, g_final):
        u_t = self.recurrent_kernel_t()
        dz = np.empty_like(self.y)
        g_initial = np.empty_like(g_final[0])

        def loop(rows):
            dh = g_final[0][rows]
            for t in range(dz.shape[0] - 1, -1, -1):
                g, carried = self._split_carry(t, rows, self._reaching_h(g_seq, t, rows, dh))
                d = dz[t, rows]
                np.multiply(g, self.act_grad(self.y[t, rows]), out=d)
                dh = self._recurrent_input(step_matmul(d, u_t), rows)
                if carried is not None:
                    dh += carried
            g_initial[rows] = dh

        self.in_row_shares(loop, dz.shape[1])
        self.dz = dz
        return dz, [g_initial]

    def recurrent_kernel_grad(self):
        if not self.input_requires_grad(2):
            return None
        return matmul(_stacked(self._recurrent_input(self.hs[:-1])).T, _stacked(self.dz))


class LSTMScan(Recurrence):
    """i, f, o = σ(.), g = act(.), c_t = f c_{t-1} + i g, h_t = o act(c_t); states (h, c).

    Inside the op the gate columns run in the order i, f, o, g (Keras's i, f, c, o reordered), so
    the three sigmoid gates are one block; the weights' gradients come back in Keras's order. With
    Keras's default activations (tanh, sigmoid) one tanh covers all four gates per step:
    σ(a) = (tanh(a / 2) + 1) / 2, so the sigmoid gates' columns of W, U and b are halved up front,
    and the cell candidate is kept as g' = (g + 1) / 2 beside them, so that the halving and shifting
    run over whole contiguous rows (a 3/4-row slice took four times as long; g = 2 g' - 1 enters
    the products, and g's derivative 1 - g^2 is 4 g' (1 - g')).
    """

    saved = Recurrence.saved + ("columns", "cs", "gates", "hs", "tcs")

    state_count = 2

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tanh_cell = self.act is rnn.ACTIVATIONS["tanh"][0]
        self.default_activations = self.tanh_cell and self.rec_act is rnn.ACTIVATIONS["sigmoid"][0]

    def forward(self, x, kernel, recurrent_kernel, *rest):
        n = recurrent_kernel.shape[0]
        self.columns = np.r_[0 : 2 * n, 3 * n : 4 * n, 2 * n : 3 * n]  # Keras's columns in the op's order
        if self.use_bias:
            rest = (rest[0][..., self.columns], *rest[1:])
        return super().forward(x, kernel[:, self.columns], recurrent_kernel[:, self.columns], *rest)

    def backward(self, *output_grads):
        grads = list(super().backward(*output_grads))
        keras_order = np.argsort(self.columns)
        for k in (1, 2, 3) if self.use_bias else (1, 2):
            if grads[k] is not None:
                grads[k] = grads[k][..., keras_order]
        return tuple(grads)

    def _gate_scale(self, n, dtype):
        """0.5 on the sigmoid gates' columns (i, f, o), 1 on the cell candidate's (g)."""
        scale = np.full(4 * n, 0.5, dtype)
        scale[3 * n :] = 1
        return scale

    def projection_kernel(self, kernel):
        if not self.default_activations:
            return kernel
        return kernel * self._gate_scale(kernel.shape[1] // 4, kernel.dtype)

    def scan(self, zw, bias, states):
        steps, n = zw.shape[0], states[0].shape[1]
        u = self.recurrent_kernel
        if self.default_activations:
            scale = self._gate_scale(n, zw.dtype)
            u = u * scale
            bias = None if bias is None else bias * scale
        hs = np.empty((steps + 1, *states[0].shape), zw.dtype)
        cs = np.empty_like(hs)
        tcs = np.empty((steps, *states[0].shape), zw.dtype)
        hs[0], cs[0] = states

        def loop(rows):
            z_rows, h_rows, c_rows, tc_rows = zw[:, rows], hs[:, rows], cs[:, rows], tcs[:, rows]
            if bias is not None:
                z_rows += bias
            inner = np.empty_like(z_rows[0])
            for t in range(steps):
                z = z_rows[t]
                z += step_matmul(self._recurrent_input(h_rows[t], rows), u, out=inner)
                self._activate_gates(z, n)
                i, f, o, g = z[:, :n], z[:, n : 2 * n], z[:, 2 * n : 3 * n], z[:, 3 * n :]
                c, tc, h = c_rows[t + 1], tc_rows[t], h_rows[t + 1]
                np.multiply(f, c_rows[t], out=c)
                c += self._times_candidate(i, g, out=inner[:, :n])
                if self.tanh_cell:
                    np.tanh(c, out=tc)
                else:
                    tc[...] = c
                    self.act(tc)
                np.multiply(o, tc, out=h)
                if self.steps_mask is not None:
                    c[...] = self._carry(t, rows, c, c_rows[t])
                    h[...] = self._carry(t, rows, h, h_rows[t])

        self.in_row_shares(loop, zw.shape[1])
        self.gates, self.hs, self.cs, self.tcs = zw, hs, cs, tcs
        self.final_states = [hs[-1], cs[-1]]
        return hs

    def _activate_gates(self, z, n):
        """In place: pre-activations (halved on i, f, o with the default activations) to gates (g as g')."""
        if not self.default_activations:
            self.rec_act(z[:, : 3 * n])
            self.act(z[:, 3 * n :])
            return
        np.tanh(z, out=z)
        z *= 0.5
        z += 0.5

    def _times_candidate(self, a, g, out):
        """Into `out`: a * g, from the stored candidate (g' with the default activations)."""
        np.multiply(a, g, out=out)
        if self.default_activations:  # a (2 g' - 1)
            out *= 2
            out -= a
        return out

    def _gate_grads(self, z, n, out):
        """Into `out`: each gate's derivative with respect to its pre-activation, from the gates `z`."""
        if not self.default_activations:
            out[:, : 3 * n] = self.rec_act_grad(z[:, : 3 * n])
            out[:, 3 * n :] = self.act_grad(z[:, 3 * n :])
            return out
        np.multiply(z, z, out=out)
        np.subtract(z, out, out=out)  # σ' = y - y^2, and g' - g'^2 on the candidate ...
        out[:, 3 * n :] *= 4  # ... whose tanh' = 1 - g^2 = 4 (g' - g'^2)
        return out

    def scan_backward(self, g_seq, g_final):
        n = self.recurrent_kernel.shape[0]
        u_t = self.recurrent_kernel_t()
        dz = np.empty_like(self.gates)
        g_initial = [np.empty_like(g) for g in g_final]

        def loop(rows):
            post = np.empty_like(self.gates[0, rows])  # dL/d(gate) for i, f, o, g
            through_h = np.empty_like(self.tcs[0, rows])
            dh, dc = (g[rows] for g in g_final)
            for t in range(dz.shape[0] - 1, -1, -1):
                z = self.gates[t, rows]
                i, f, o, g = z[:, :n], z[:, n : 2 * n], z[:, 2 * n : 3 * n], z[:, 3 * n :]
                gh, carried_h = self._split_carry(t, rows, self._reaching_h(g_seq, t, rows, dh))
                gc, carried_c = self._split_carry(t, rows, dc)
                tc = self.tcs[t, rows]
                if self.tanh_cell:
                    np.multiply(tc, tc, out=through_h)
                    np.subtract(1, through_h, out=through_h)
                else:
                    through_h[...] = self.act_grad(tc)
                through_h *= o
                through_h *= gh
                through_h += gc
                gc = through_h
                self._times_candidate(gc, g, out=post[:, :n])
                np.multiply(gc, self.cs[t, rows], out=post[:, n : 2 * n])
                np.multiply(gh, tc, out=post[:, 2 * n : 3 * n])
                np.multiply(gc, i, out=post[:, 3 * n :])
                d = self._gate_grads(z, n, dz[t, rows])
                d *= post
                dc = gc * f
                dh = self._recurrent_input(step_matmul(d, u_t), rows)
                if carried_h is not None:
                    dh += carried_h
                    dc += carried_c
            g_initial[0][rows], g_initial[1][rows] = dh, dc

        self.in_row_shares(loop, dz.shape[1])
        self.dz = dz
        return dz, g_initial

    def recurrent_kernel_grad(self):
        if not self.input_requires_grad(2):
            return None
        return matmul(_stacked(self._recurrent_input(self.hs[:-1])).T, _stacked(self.dz))


class GRUScan(Recurrence):
    """z, r = σ(.), hh = act(x W_h + r (h U_h + b_h)) (reset_after) or act(x W_h + (r h) U_h),
    h_t = z h_{t-1} + (1 - z) hh. With reset_after the bias is (2, 3 * units): input, recurrent."""

    saved = Recurrence.saved + ("gates", "hs", "rec_h")

    def __init__(self, *args, reset_after=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.reset_after = reset_after

    def scan(self, zw, bias, states):
        in_bias = rec_bias = None
        if bias is not None:
            in_bias = bias[0] if self.reset_after else bias
            rec_bias = bias[1] if self.reset_after else None
        steps, n = zw.shape[0], states[0].shape[1]
        u = self.recurrent_kernel
        u_zr, u_h = u[:, : 2 * n], u[:, 2 * n :]
        hs = np.empty((steps + 1, *states[0].shape), zw.dtype)
        hs[0] = states[0]
        self.rec_h = np.empty((steps, *states[0].shape), zw.dtype)  # h U_h (+ b_h), or r h
        act, rec_act = self.act, self.rec_act

        def loop(rows):
            z_rows, h_rows, rec_h = zw[:, rows], hs[:, rows], self.rec_h[:, rows]
            if in_bias is not None:
                z_rows += in_bias
            for t in range(steps):
                z = z_rows[t]
                h_in = self._recurrent_input(h_rows[t], rows)
                if self.reset_after:
                    inner = step_matmul(h_in, u)
                    if rec_bias is not None:
                        inner += rec_bias
                    z[:, : 2 * n] += inner[:, : 2 * n]
                    rec_act(z[:, : 2 * n])
                    rec_h[t] = inner[:, 2 * n :]
                    z[:, 2 * n :] += z[:, n : 2 * n] * inner[:, 2 * n :]
                else:
                    z[:, : 2 * n] += step_matmul(h_in, u_zr)
                    rec_act(z[:, : 2 * n])
                    np.multiply(z[:, n : 2 * n], h_in, out=rec_h[t])
                    z[:, 2 * n :] += step_matmul(rec_h[t], u_h)
                hh = act(z[:, 2 * n :])
                update = z[:, :n]
                h = h_rows[t] - hh
                h *= update
                h += hh
                h_rows[t + 1] = self._carry(t, rows, h, h_rows[t])

        self.in_row_shares(loop, zw.shape[1])
        self.gates, self.hs = zw, hs
        self.final_states = [hs[-1]]
        return hs

    def scan_backward(self, g_seq, g_final):
        n = self.recurrent_kernel.shape[0]
        u_t = self.recurrent_kernel_t()
        u_zr_t, u_h_t = u_t[: 2 * n], u_t[2 * n :]
        dz = np.empty_like(self.gates)
        d_inner = np.empty_like(self.gates) if self.reset_after else None
        g_initial = np.empty_like(g_final[0])
        act_grad, rec_act_grad = self.act_grad, self.rec_act_grad

        def loop(rows):
            dh = g_final[0][rows]
            for t in range(dz.shape[0] - 1, -1, -1):
                gates = self.gates[t, rows]
                update, reset, hh = gates[:, :n], gates[:, n : 2 * n], gates[:, 2 * n :]
                g, carried = self._split_carry(t, rows, self._reaching_h(g_seq, t, rows, dh))
                h_prev = self.hs[t, rows]
                d = dz[t, rows]
                np.multiply(g * (h_prev - hh), rec_act_grad(update), out=d[:, :n])
                np.multiply(g * (1 - update), act_grad(hh), out=d[:, 2 * n :])
                d_hh = d[:, 2 * n :]
                dh = g * update
                if self.reset_after:
                    np.multiply(d_hh * self.rec_h[t, rows], rec_act_grad(reset), out=d[:, n : 2 * n])
                    di = d_inner[t, rows]
                    di[:, : 2 * n] = d[:, : 2 * n]
                    np.multiply(d_hh, reset, out=di[:, 2 * n :])
                    dh += self._recurrent_input(step_matmul(di, u_t), rows)
                else:
                    d_rh = step_matmul(d_hh, u_h_t)
                    h_in = self._recurrent_input(h_prev, rows)
                    np.multiply(d_rh * h_in, rec_act_grad(reset), out=d[:, n : 2 * n])
                    dh += self._recurrent_input(step_matmul(d[:, : 2 * n], u_zr_t) + d_rh * reset, rows)
                if carried is not None:
                    dh += carried
            g_initial[rows] = dh

        self.in_row_shares(loop, dz.shape[1])
        self.dz, self.d_inner = dz, d_inner
        return dz, [g_initial]

    def recurrent_kernel_grad(self):
        if not self.input_requires_grad(2):
            return None
        h_in = _stacked(self._recurrent_input(self.hs[:-1]))
        if self.reset_after:
            return matmul(h_in.T, _stacked(self.d_inner))
        n = self.recurrent_kernel.shape[0]
        dz = _stacked(self.dz)
        return np.concatenate([matmul(h_in.T, dz[:, : 2 * n]), matmul(_stacked(self.rec_h).T, dz[:, 2 * n :])], axis=1)

    def bias_grad(self, dz2):
        if not self.reset_after:
            return dz2.sum(axis=0)
        return np.stack([dz2.sum(axis=0), _stacked(self.d_inner).sum(axis=0)])
