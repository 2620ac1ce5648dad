"""SimpleRNN, LSTM, GRU and Bidirectional as ONNX's RNN, LSTM and GRU ops (time-major inside, Keras outside)."""

import numpy as np

from npkeras import activations
from npkeras import layers as L
from npkeras.export.graph_builder import Value
from npkeras.export.onnx_layers import converts

_INT64_MIN = np.iinfo(np.int64).min


def _activation(fn):
    """(ONNX recurrent activation name, alpha, beta) of a Keras activation (alpha/beta None when unused)."""
    table = {
        activations.tanh: ("Tanh", None, None),
        activations.sigmoid: ("Sigmoid", None, None),
        activations.relu: ("Relu", None, None),
        activations.softsign: ("Softsign", None, None),
        activations.hard_sigmoid: ("HardSigmoid", 1.0 / 6.0, 0.5),  # Keras 3: relu6(x + 3) / 6
        activations.linear: ("Affine", 1.0, 0.0),
    }
    if fn not in table:
        raise ValueError(f"uses the activation {getattr(fn, '__name__', fn)!r}, which ONNX's recurrent ops lack")
    return table[fn]


def _activation_attributes(functions):
    names, alphas, betas = [], [], []
    for fn in functions:
        name, alpha, beta = _activation(fn)
        names.append(name)
        if alpha is not None:
            alphas.append(alpha)
            betas.append(beta)
    attributes = {"activations": names}
    if alphas:
        attributes.update(activation_alpha=alphas, activation_beta=betas)
    return attributes


def _gate_blocks(array, order, units):
    """Keras's gate columns (last axis) in ONNX's gate order."""
    return np.concatenate([array[..., k * units : (k + 1) * units] for k in order], axis=-1)


def _cell_op(cell):
    """(op, ONNX gate order from Keras's, activations, extra attributes) of a cell."""
    if isinstance(cell, L.LSTMCell):  # Keras i, f, c, o; ONNX i, o, f, c
        acts = (cell.recurrent_activation, cell.activation, cell.activation)
        return "LSTM", (0, 3, 1, 2), acts, {}
    if isinstance(cell, L.GRUCell):  # both z, r, h
        acts = (cell.recurrent_activation, cell.activation)
        return "GRU", (0, 1, 2), acts, {"linear_before_reset": int(bool(cell.reset_after))}
    return "RNN", (0,), (cell.activation,), {}


def _weights(g, layer, order):
    cell, units = layer.cell, layer.cell.units
    dtype = cell.kernel.dtype
    kernel = _gate_blocks(np.asarray(cell.kernel), order, units).T[None]  # (1, gates * units, features)
    recurrent = _gate_blocks(np.asarray(cell.recurrent_kernel), order, units).T[None]
    names = [g.constant(kernel.astype(dtype), f"{layer.name}/W"),
             g.constant(recurrent.astype(dtype), f"{layer.name}/R")]  # fmt: skip
    if cell.bias is None:
        return names + [""]
    bias = np.asarray(cell.bias)
    if bias.ndim == 2:  # GRU with reset_after: input and recurrent biases
        both = np.concatenate([_gate_blocks(bias[0], order, units), _gate_blocks(bias[1], order, units)])
    else:
        both = np.concatenate([_gate_blocks(bias, order, units), np.zeros_like(bias)])
    return names + [g.constant(both[None].astype(dtype), f"{layer.name}/B")]


def _reverse_steps(g, name, hint):
    """`name` (batch, steps, ...) with its steps in reverse order."""
    args = [g.ints([-1], f"{hint}_start"), g.ints([_INT64_MIN], f"{hint}_end"), g.ints([1], f"{hint}_axis"),
            g.ints([-1], f"{hint}_step")]  # fmt: skip
    return g.node("Slice", [name, *args], hint)


@converts(L.SimpleRNN, L.LSTM, L.GRU)
def recurrent(g, layer, inputs, output_shapes):
    x, states = inputs[0], inputs[1:]
    if x.mask is not None:
        raise ValueError(
            "receives a mask, which ONNX's recurrent ops cannot hold exactly (their sequence_lens assumes padding "
            "after the steps; Keras's pad_sequences pads before)"
        )
    if layer.stateful:
        raise ValueError("is stateful: an exported model cannot carry states between calls")
    op, order, functions, extra = _cell_op(layer.cell)
    hint = layer.name
    time_major = g.node("Transpose", [g.keras(x)], f"{hint}_time_major", perm=[1, 0, 2])
    args = [time_major, *_weights(g, layer, order), ""]  # no sequence_lens
    for state in states:
        args.append(g.node("Unsqueeze", [g.keras(state), g.ints([0], f"{hint}_dir")], f"{hint}_initial"))
    while args[-1] == "":
        args.pop()
    count = 3 if op == "LSTM" else 2
    outputs = g.node(op, args, hint, outputs=count, hidden_size=layer.cell.units,
                     direction="reverse" if layer.go_backwards else "forward",
                     **_activation_attributes(functions), **extra)  # fmt: skip
    squeeze_dir = g.ints([0], f"{hint}_squeeze_dir")
    if layer.return_sequences:
        steps = g.node("Squeeze", [outputs[0], g.ints([1], f"{hint}_squeeze")], f"{hint}_steps")
        output = g.node("Transpose", [steps], f"{hint}_sequences", perm=[1, 0, 2])
        if layer.go_backwards:  # Keras's outputs follow the reversed sequence
            output = _reverse_steps(g, output, f"{hint}_reversed")
    else:
        output = g.node("Squeeze", [outputs[1], squeeze_dir], f"{hint}_last")
    result = [Value(output, output_shapes[0], x.dtype, mask=x.mask if layer.return_sequences else None)]
    if layer.return_state:
        for i, state in enumerate(outputs[1:]):
            name = g.node("Squeeze", [state, squeeze_dir], f"{hint}_state{i}")
            result.append(Value(name, output_shapes[1 + i], x.dtype))
    return result


@converts(L.Bidirectional)
def bidirectional(g, layer, inputs, output_shapes):
    x, states = inputs[0], inputs[1:]
    half = len(states) // 2
    units_shapes = layer.forward_layer.compute_output_shape(x.shape)
    units_shapes = [tuple(s) for s in units_shapes] if layer.return_state else [tuple(units_shapes)]
    forward = recurrent(g, layer.forward_layer, [x, *states[:half]], units_shapes)
    backward = recurrent(g, layer.backward_layer, [x, *states[half:]], units_shapes)
    y, y_rev = forward[0].name, backward[0].name
    if layer.return_sequences:
        y_rev = _reverse_steps(g, y_rev, f"{layer.name}_backward_in_order")
    mode = layer.merge_mode
    if mode is None:
        outputs = [Value(y, units_shapes[0], x.dtype), Value(y_rev, units_shapes[0], x.dtype)]
    else:
        if mode == "concat":
            merged = g.node("Concat", [y, y_rev], layer.name, axis=-1)
        elif mode == "ave":
            total = g.node("Add", [y, y_rev], f"{layer.name}_sum")
            merged = g.node("Mul", [total, g.constant(np.asarray(0.5, x.dtype), f"{layer.name}_half")], layer.name)
        else:
            merged = g.node("Add" if mode == "sum" else "Mul", [y, y_rev], layer.name)
        outputs = [Value(merged, output_shapes[0], x.dtype)]
    if layer.return_state:
        outputs += forward[1:] + backward[1:]
    return outputs
