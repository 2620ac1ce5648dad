"""Keras's named activations as ONNX nodes; each works in any layout (softmax along Keras's last axis)."""

import numpy as np

from npkeras import activations

SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805


def _scalar(g, value, dtype, hint):
    return g.constant(np.asarray(value, dtype=dtype), hint)


def _gelu(g, x, value, hint, approximate):
    if g.opset >= 20:
        return g.node("Gelu", [x], hint, approximate="tanh" if approximate else "none")
    half = _scalar(g, 0.5, value.dtype, f"{hint}_half")
    one = _scalar(g, 1.0, value.dtype, f"{hint}_one")
    if approximate:  # 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
        cube = g.node("Mul", [g.node("Mul", [x, x], f"{hint}_sq"), x], f"{hint}_cube")
        inner = g.node("Add", [x, g.node("Mul", [cube, _scalar(g, 0.044715, value.dtype, f"{hint}_c")],
                                         f"{hint}_cc")], f"{hint}_in")  # fmt: skip
        core = g.node("Tanh", [g.node("Mul", [inner, _scalar(g, np.sqrt(2 / np.pi), value.dtype, f"{hint}_k")],
                                      f"{hint}_scaled")], f"{hint}_tanh")  # fmt: skip
    else:  # 0.5 x (1 + erf(x / sqrt(2)))
        core = g.node("Erf", [g.node("Div", [x, _scalar(g, np.sqrt(2.0), value.dtype, f"{hint}_r2")],
                                     f"{hint}_scaled")], f"{hint}_erf")  # fmt: skip
    return g.node("Mul", [g.node("Mul", [x, half], f"{hint}_hx"), g.node("Add", [core, one], f"{hint}_1p")], hint)


def apply(g, fn, value, hint):
    """The name of `fn(value)`; `fn` is one of npkeras.activations' functions (ValueError otherwise)."""
    x = value.name
    last = value.physical_axis(-1)
    name = getattr(fn, "__name__", None)
    if fn is activations.linear:
        return x
    simple = {"relu": "Relu", "sigmoid": "Sigmoid", "tanh": "Tanh", "softsign": "Softsign", "softplus": "Softplus",
              "exponential": "Exp"}  # fmt: skip
    if name in simple and getattr(activations, name) is fn:
        return g.node(simple[name], [x], hint)
    if fn is activations.softmax:
        return g.node("Softmax", [x], hint, axis=last)
    if fn is activations.log_softmax:
        return g.node("LogSoftmax", [x], hint, axis=last)
    if fn is activations.leaky_relu:
        return g.node("LeakyRelu", [x], hint, alpha=0.2)
    if fn is activations.elu:
        return g.node("Elu", [x], hint, alpha=1.0)
    if fn is activations.selu:
        return g.node("Selu", [x], hint, alpha=SELU_ALPHA, gamma=SELU_SCALE)
    if fn is activations.relu6:
        low, high = (_scalar(g, v, value.dtype, f"{hint}_{n}") for v, n in ((0.0, "lo"), (6.0, "hi")))
        return g.node("Clip", [x, low, high], hint)
    if fn is activations.hard_sigmoid:  # Keras 3: relu6(x + 3) / 6
        return g.node("HardSigmoid", [x], hint, alpha=1.0 / 6.0, beta=0.5)
    if fn is activations.silu:
        return g.node("Mul", [x, g.node("Sigmoid", [x], f"{hint}_sigmoid")], hint)
    if fn is activations.gelu:
        return _gelu(g, x, value, hint, approximate=False)
    raise ValueError(f"has the activation {name or fn!r}, which has no ONNX form (Keras's named activations do)")
