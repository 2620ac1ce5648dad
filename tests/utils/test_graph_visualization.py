"""plot_graph / graph_to_dot: the autograd graph behind a Tensor (ops as boxes, tensors as ellipses, arrows input ->
op -> output, parameters marked), and clear errors where there is no graph to draw."""

import os
import sys
import types

import numpy as np
import pydot
import pytest

import npkeras
from npkeras import layers, ops
from npkeras.utils import graph_to_dot, plot_graph
from npkeras.utils.graph_visualization import COLORS, walk_graph

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def nodes(dot):
    return {n.get_name(): n for n in dot.get_nodes() if n.get_name() not in ("node", "edge", "graph")}


def edge_pairs(dot):
    return sorted((e.get_source(), e.get_destination()) for e in dot.get_edges())


def t(tensor):
    return f"t{id(tensor)}"


def f(tensor):
    return f"f{id(tensor.creator)}"


def dense_relu_loss():
    """y = relu(x @ W + b), loss = mean((y - target)^2), every intermediate tensor kept for the assertions."""
    W = npkeras.Variable(np.full((4, 3), 0.1, "float32"), name="W")
    b = npkeras.Variable(np.zeros(3, "float32"), name="b")
    x = npkeras.Tensor(np.ones((2, 4), "float32"))
    target = npkeras.Tensor(np.ones((2, 3), "float32"))
    with npkeras.GradientTape(persistent=True) as tape:
        h = ops.matmul(x, W)
        z = h + b
        y = ops.relu(z)
        d = y - target
        s = ops.square(d)
        loss = ops.mean(s)
    return tape, dict(W=W, b=b, x=x, target=target, h=h, z=z, y=y, d=d, s=s, loss=loss)


def test_relu_dense_loss_graph_has_exactly_the_expected_ops_and_edges():
    _, v = dense_relu_loss()
    dot = graph_to_dot(v["loss"])
    assert isinstance(dot, pydot.Dot)
    found = nodes(dot)
    ops_found = sorted(n.get("label") for n in found.values() if n.get("shape") == "box")
    assert ops_found == ["Add", "MatMul", "Mean", "Relu", "Square", "Subtract"]
    tensors = {name for name, n in found.items() if n.get("shape") == "ellipse"}
    assert tensors == {t(v[k]) for k in ("W", "b", "x", "target", "h", "z", "y", "d", "s", "loss")}
    expected = [
        (t(v["x"]), f(v["h"])), (t(v["W"]), f(v["h"])), (f(v["h"]), t(v["h"])),
        (t(v["h"]), f(v["z"])), (t(v["b"]), f(v["z"])), (f(v["z"]), t(v["z"])),
        (t(v["z"]), f(v["y"])), (f(v["y"]), t(v["y"])),
        (t(v["y"]), f(v["d"])), (t(v["target"]), f(v["d"])), (f(v["d"]), t(v["d"])),
        (t(v["d"]), f(v["s"])), (f(v["s"]), t(v["s"])),
        (t(v["s"]), f(v["loss"])), (f(v["loss"]), t(v["loss"])),
    ]  # fmt: skip
    assert edge_pairs(dot) == sorted(expected)
    assert found[f(v["h"])].get("label") == "MatMul" and found[f(v["y"])].get("label") == "Relu"


def test_tensor_kinds_are_told_apart():
    _, v = dense_relu_loss()
    found = nodes(graph_to_dot(v["loss"]))
    kind = {key: found[t(v[key])].get("class") for key in v}
    assert kind == {"W": "parameter", "b": "parameter", "x": "constant", "target": "constant", "h": "intermediate",
                    "z": "intermediate", "y": "intermediate", "d": "intermediate", "s": "intermediate",
                    "loss": "output"}  # fmt: skip
    W = found[t(v["W"])]
    assert W.get("fillcolor") == COLORS["parameter"] and W.get("peripheries") == 2
    assert W.get("label") == "<<b>W</b><br/>(4, 3) float32>"
    assert found[t(v["x"])].get("label") == "<(2, 4) float32>"
    assert found[t(v["loss"])].get("label") == "<() float32>"
    assert found[t(v["h"])].get("fillcolor") == COLORS["intermediate"]
    assert {n.get("fillcolor") for n in found.values() if n.get("shape") == "box"} == {COLORS["op"]}
    without = nodes(graph_to_dot(v["loss"], show_shapes=False))
    assert without[t(v["W"])].get("label") == "<<b>W</b>>" and without[t(v["x"])].get("label") == '""'


def test_model_weights_are_named_by_their_path():
    model = npkeras.Sequential(
        [npkeras.Input((4,)), layers.Dense(3, activation="relu", name="hidden"), layers.Dense(2)]
    )
    x = np.ones((5, 4), "float32")
    with npkeras.GradientTape():
        loss = ops.mean(model(x))
    found = nodes(graph_to_dot(loss))
    labels = [n.get("label") for n in found.values() if n.get("class") == "parameter"]
    assert len(labels) == 4
    assert "<<b>hidden/kernel</b><br/>(4, 3) float32>" in labels and "<<b>hidden/bias</b><br/>(3,) float32>" in labels
    assert sorted(n.get("label") for n in found.values() if n.get("shape") == "box") == ["Dense", "Dense", "Mean"]


def test_a_tensor_used_twice_and_a_several_output_op():
    x = npkeras.Tensor(np.arange(8, dtype="float32").reshape(2, 4), requires_grad=True)  # recorded outside a tape
    left, right = ops.split(x, 2, axis=1)
    loss = ops.sum(left * right + left * left)
    dot = graph_to_dot(loss)
    found = nodes(dot)
    assert found[t(x)].get("class") == "input"  # a watched leaf
    assert sorted(n.get("label") for n in found.values() if n.get("shape") == "box") == [
        "Add",
        "Multiply",
        "Multiply",
        "Split",
        "Sum",
    ]
    pairs = edge_pairs(dot)
    split = f"f{id(left.creator)}"
    assert (split, t(left)) in pairs and (split, t(right)) in pairs and (t(x), split) in pairs
    edge_labels = {(e.get_source(), e.get_destination()): e.get("label") for e in dot.get_edges()}
    assert edge_labels[(split, t(left))] == "0" and edge_labels[(split, t(right))] == "1"
    # left * left: two arrows from `left` into one Multiply
    multiplies = [name for name, n in found.items() if n.get("label") == "Multiply"]
    into = [sum(p == (t(left), m) for p in pairs) for m in multiplies]
    assert sorted(into) == [1, 2]
    tensors, functions, edges = walk_graph(loss)
    assert len(functions) == 5 and len(tensors) == 7 and len(edges) == len(pairs)


def test_several_roots():
    _, v = dense_relu_loss()
    found = nodes(graph_to_dot([v["loss"], v["y"]]))
    assert found[t(v["loss"])].get("class") == "output" and found[t(v["y"])].get("class") == "output"


def test_no_graph_errors():
    W = npkeras.Variable(np.ones((4, 3), "float32"), name="W")
    x = np.ones((2, 4), "float32")
    with pytest.raises(TypeError, match="numpy.ndarray") as info:
        graph_to_dot(x)
    assert "GradientTape" in str(info.value)
    outside = ops.relu(ops.matmul(x, W))  # outside a tape: the trainable Variable alone records nothing
    assert outside.creator is None
    with pytest.raises(ValueError, match="no autograd graph") as info:
        graph_to_dot(outside)
    assert "GradientTape" in str(info.value) and "no_grad" in str(info.value)
    with pytest.raises(ValueError, match="'W' is a leaf"):
        graph_to_dot(W)
    with pytest.raises(ValueError, match="empty"):
        graph_to_dot([])
    model = npkeras.Sequential([npkeras.Input((4,)), layers.Dense(2)])
    with pytest.raises(ValueError, match="no autograd graph"):
        graph_to_dot(model(x))  # inference builds no graph


def test_graph_freed_by_backpropagation():
    W = npkeras.Variable(np.ones((4, 3), "float32"), name="W")
    with npkeras.GradientTape() as tape:
        loss = ops.sum(ops.matmul(np.ones((2, 4), "float32"), W))
    graph_to_dot(loss)
    tape.gradient(loss, W)
    with pytest.raises(RuntimeError, match="freed by backpropagation"):
        graph_to_dot(loss)
    tape, v = dense_relu_loss()  # a persistent tape keeps it
    tape.gradient(v["loss"], [v["W"], v["b"]])
    assert len(nodes(graph_to_dot(v["loss"]))) == 16


def test_plot_graph_writes_png_and_svg(tmp_path, graphviz):
    _, v = dense_relu_loss()
    assert plot_graph(v["loss"], to_file=tmp_path / "graph.png", dpi=40) is None
    assert (tmp_path / "graph.png").read_bytes()[:8] == PNG_MAGIC
    plot_graph(v["loss"], to_file=str(tmp_path / "graph.svg"), rankdir="LR")
    svg = (tmp_path / "graph.svg").read_text()
    assert "<svg" in svg and "MatMul" in svg and "(4, 3) float32" in svg
    assert sorted(os.listdir(tmp_path)) == ["graph.png", "graph.svg"]
    with pytest.raises(TypeError):
        plot_graph(np.ones(3), to_file=tmp_path / "x.png")
    assert sorted(os.listdir(tmp_path)) == ["graph.png", "graph.svg"]


def test_missing_pydot(monkeypatch, tmp_path, capsys):
    _, v = dense_relu_loss()
    for name in ("pydot", "pydot_ng", "pydotplus"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ImportError, match=r'pip install "npkeras\[plots\]"'):
        graph_to_dot(v["loss"])
    with pytest.raises(ImportError, match=r'pip install "npkeras\[plots\]"'):
        plot_graph(v["loss"], to_file=tmp_path / "g.png")
    monkeypatch.setitem(sys.modules, "IPython.core.magics.namespace", types.ModuleType("namespace"))
    assert plot_graph(v["loss"], to_file=tmp_path / "g.png") is None
    assert "plot_graph" in capsys.readouterr().out
    assert os.listdir(tmp_path) == []
